"""Write path for activities: opening, sharing with other members, agreed fee rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from mutua.activities.models import Activity, ActivityParticipant, ParticipantRole
from mutua.core import audit
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.permissions import Role
from mutua.entities.models import Entity, FeeRate
from mutua.entities.queries import take_number
from mutua.members.models import MembershipStatus, Person
from mutua.members.queries import has_role, person_of


def _active_member(person: Person | None, entity: Entity) -> bool:
    return (
        person is not None
        and person.memberships.filter(entity=entity, status=MembershipStatus.ACTIVE).exists()
    )


@action("activity.open")
def open_activity(
    *,
    actor: Any,
    entity: Entity,
    name: str,
    sector: str = "",
    description: str = "",
    activity_type: str = "",
) -> Activity:
    """An active member opens an activity and becomes its holder."""
    person = person_of(actor)
    if person is None or not _active_member(person, entity):
        raise AccessDenied(f"only active members of {entity.name} may open an activity")
    if not name.strip():
        raise InvalidInput("give the activity a name", field="name")
    number = f"A{take_number(entity, 'activity'):05d}"
    activity = Activity.objects.create(
        entity=entity,
        number=number,
        name=name.strip(),
        sector=sector.strip(),
        description=description.strip(),
        activity_type=activity_type.strip(),
    )
    ActivityParticipant.objects.create(
        activity=activity, person=person, role=ParticipantRole.HOLDER
    )
    audit.record(
        actor=actor,
        action="activity.open",
        subject=activity,
        entity_id=entity.pk,
        after={"number": number, "name": activity.name, "sector": activity.sector},
    )
    return activity


def _require_holder(actor: Any, activity: Activity) -> None:
    if not ActivityParticipant.objects.filter(
        activity=activity, person__user=actor, role=ParticipantRole.HOLDER
    ).exists():
        raise AccessDenied("only a holder of the activity may change who takes part in it")


@action("activity.share")
def share_activity(*, actor: Any, activity: Activity, person: Person, role: str) -> Any:
    """A holder lets another active member of the entity take part, with a role."""
    _require_holder(actor, activity)
    if role not in ParticipantRole.values:
        raise InvalidInput(f"unknown role {role!r}", field="role")
    if not _active_member(person, activity.entity):
        raise InvalidInput("this person is not an active member of the entity", field="person")
    participant, created = ActivityParticipant.objects.update_or_create(
        activity=activity, person=person, defaults={"role": role}
    )
    audit.record(
        actor=actor,
        action="activity.share",
        subject=activity,
        entity_id=activity.entity_id,
        after={"person": person.pk, "role": role, "new": created},
    )
    return participant


@action("activity.unshare")
def unshare_activity(*, actor: Any, activity: Activity, person: Person) -> None:
    _require_holder(actor, activity)
    remaining_holders = ActivityParticipant.objects.filter(
        activity=activity, role=ParticipantRole.HOLDER
    ).exclude(person=person)
    if not remaining_holders.exists():
        raise StateConflict("an activity keeps at least one holder")
    deleted, _ = ActivityParticipant.objects.filter(activity=activity, person=person).delete()
    if not deleted:
        raise InvalidInput("this person does not take part in the activity", field="person")
    audit.record(
        actor=actor,
        action="activity.unshare",
        subject=activity,
        entity_id=activity.entity_id,
        after={"person": person.pk},
    )


@action("activity.set_fee_rate")
def set_activity_fee_rate(
    *, actor: Any, activity: Activity, rate: Decimal, valid_from: dt.date, source: str
) -> FeeRate:
    """An administrator records a fee rate agreed for one activity, from a date on."""
    if not has_role(actor, (Role.ADMINISTRATOR,), activity.entity):
        raise AccessDenied("only an administrator may set an activity's fee rate")
    if not Decimal("0") <= rate < Decimal("1"):
        raise InvalidInput("a fee rate is a fraction between 0 and 1", field="rate")
    if not source.strip():
        raise InvalidInput("say where the rate comes from (decision, agreement)", field="source")
    fee_rate, _created = FeeRate.objects.update_or_create(
        entity=activity.entity,
        activity=activity,
        valid_from=valid_from,
        defaults={"rate": rate, "source": source.strip()},
    )
    audit.record(
        actor=actor,
        action="activity.set_fee_rate",
        subject=activity,
        entity_id=activity.entity_id,
        after={"rate": rate, "valid_from": valid_from},
    )
    return fee_rate

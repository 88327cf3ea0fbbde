"""Insurance: the covers the employer holds for every contract (dated rates on gross pay, read
by payroll through `insurance_rate`), and the cooperative's policies an activity may join for a
year, its premium charged to the activity's budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from mutua.activities.models import Activity
from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.money import checked_cents
from mutua.entities.models import Entity
from mutua.services.charges import charge_activity, lock_budget
from mutua.services.models import CoverKind, EmployerCover, Policy, PolicyCover
from mutua.services.queries import may_charge, require_service_staff
from mutua.services.schedule import add_months


def insurance_rates(entity: Entity, on: dt.date) -> dict[str, Decimal]:
    """The rate on gross pay of each employer cover in force on `on` (latest start wins)."""
    rows = EmployerCover.objects.filter(entity=entity, valid_from__lte=on).order_by(
        "kind", "-valid_from"
    )
    rates: dict[str, Decimal] = {}
    for kind, rate in rows.values_list("kind", "rate"):
        rates.setdefault(kind, rate)
    return rates


def insurance_rate(entity: Entity, on: dt.date) -> Decimal:
    """The share of gross pay the employer's covers cost on `on` (a part of payroll's k)."""
    return sum(insurance_rates(entity, on).values(), Decimal("0"))


@action("services.set_employer_cover")
def set_employer_cover(
    *,
    actor: Any,
    entity: Entity,
    kind: str,
    rate: Decimal,
    valid_from: dt.date,
    insurer: str,
    mandatory: bool = False,
    policy_number: str = "",
) -> EmployerCover:
    """A cover's rate from `valid_from` on; earlier rates stay for the dates they covered."""
    require_service_staff(actor, entity.pk)
    if kind not in CoverKind.values:
        raise InvalidInput(_("Choose the cover."), field="kind")
    if not Decimal(0) <= rate < 1:
        raise InvalidInput(_("The rate is a fraction of gross pay (0.9 % is 0.009)."), field="rate")
    cover, _created = EmployerCover.objects.update_or_create(
        entity=entity,
        kind=kind,
        valid_from=valid_from,
        defaults={
            "rate": rate,
            "insurer": insurer,
            "mandatory": mandatory,
            "policy_number": policy_number,
        },
    )
    audit.record(
        actor=actor,
        action="services.set_employer_cover",
        subject=cover,
        entity_id=entity.pk,
        after={"kind": kind, "rate": rate, "from": valid_from},
    )
    return cover


@action("services.add_policy")
def add_policy(
    *,
    actor: Any,
    entity: Entity,
    name: str,
    covers: str,
    insurer: str,
    policy_number: str,
    annual_premium: Decimal,
) -> Policy:
    require_service_staff(actor, entity.pk)
    if not name.strip() or not covers.strip():
        raise InvalidInput(_("Name the policy and say what it covers."), field="name")
    policy = Policy.objects.create(
        entity=entity,
        name=name.strip(),
        covers=covers.strip(),
        insurer=insurer,
        policy_number=policy_number,
        annual_premium=checked_cents(annual_premium, field="annual_premium"),
    )
    audit.record(actor=actor, action="services.add_policy", subject=policy, entity_id=entity.pk)
    return policy


@action("services.set_policy_open")
def set_policy_open(*, actor: Any, policy: Policy, open_to_members: bool) -> Policy:
    """Open or close a policy to new covers; running covers stay until they end."""
    require_service_staff(actor, policy.entity_id)
    policy.active = open_to_members
    policy.save(update_fields=["active"])
    audit.record(
        actor=actor,
        action="services.set_policy_open",
        subject=policy,
        entity_id=policy.entity_id,
        after={"open": open_to_members},
    )
    return policy


@action("services.join_policy")
def join_policy(
    *, actor: Any, policy: Policy, activity: Activity, starts_on: dt.date | None = None
) -> PolicyCover:
    """Cover the activity for a year from `starts_on` (today by default); the yearly premium is
    charged at once. Refused while a cover of the same policy runs on those dates."""
    today = clock.today()
    starts_on = starts_on or today
    if not policy.active:
        raise StateConflict(_("This policy no longer takes new members."))
    if activity.entity_id != policy.entity_id:
        raise InvalidInput(_("Choose an activity of the same entity."), field="activity")
    if not may_charge(actor, activity):
        raise AccessDenied(_("Only a manager of the activity may join a policy for it."))
    if starts_on < today:
        raise InvalidInput(_("A cover cannot start in the past."), field="starts_on")
    lock_budget(activity, policy.annual_premium)  # also serialises two joins of one activity
    ends_on = add_months(starts_on, 12) - dt.timedelta(days=1)
    if PolicyCover.objects.filter(
        policy=policy, activity=activity, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).exists():
        raise StateConflict(_("The activity is already covered by this policy on these dates."))
    cover = PolicyCover.objects.create(
        policy=policy,
        activity=activity,
        starts_on=starts_on,
        ends_on=ends_on,
        premium=policy.annual_premium,
        joined_by=actor,
    )
    cover.charge_entry_id = charge_activity(
        actor=actor,
        activity=activity,
        amount=cover.premium,
        label=f"Insurance {policy.name} {starts_on:%Y-%m-%d}",
        key=f"services:cover:{cover.pk}",
        on=today,
    )
    cover.save(update_fields=["charge_entry_id"])
    audit.record(
        actor=actor,
        action="services.join_policy",
        subject=cover,
        entity_id=policy.entity_id,
        after={"policy": policy.pk, "activity": activity.pk, "premium": cover.premium},
    )
    return cover

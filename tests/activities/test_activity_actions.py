from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.activities.actions import (
    open_activity,
    set_activity_fee_rate,
    share_activity,
    unshare_activity,
)
from mutua.activities.queries import access_activity
from mutua.core.errors import AccessDenied, InvalidInput, NotFound, StateConflict
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.entities.queries import fee_rate_on
from mutua.members.models import Membership
from tests.conftest import make_member, make_staff


def test_an_active_member_opens_an_activity_and_holds_it(alice: Membership) -> None:
    activity = open_activity(
        actor=alice.person.user, entity=alice.entity, name="Studio Lumière", sector="photography"
    )
    second = open_activity(actor=alice.person.user, entity=alice.entity, name="Workshops")
    assert (activity.number, second.number) == ("A00001", "A00002")
    assert activity.participants.get().role == "holder"
    assert access_activity(alice.person.user, activity.pk) == activity


def test_applicants_cannot_open_activities_and_names_are_required(
    entity_be: Entity, adviser_be: Any, alice: Membership
) -> None:
    applicant = make_member(entity_be, approve=False)
    with pytest.raises(AccessDenied):
        open_activity(actor=applicant.person.user, entity=entity_be, name="X")
    with pytest.raises(InvalidInput) as excinfo:
        open_activity(actor=alice.person.user, entity=entity_be, name=" ")
    assert excinfo.value.field == "name"


def test_a_holder_shares_the_activity_and_others_cannot(alice: Membership, bob: Membership) -> None:
    activity = open_activity(actor=alice.person.user, entity=alice.entity, name="Band")
    with pytest.raises(NotFound):
        access_activity(bob.person.user, activity.pk)
    with pytest.raises(AccessDenied):
        share_activity(actor=bob.person.user, activity=activity, person=bob.person, role="holder")
    share_activity(actor=alice.person.user, activity=activity, person=bob.person, role="viewer")
    assert access_activity(bob.person.user, activity.pk) == activity
    with pytest.raises(StateConflict):
        unshare_activity(actor=alice.person.user, activity=activity, person=alice.person)
    unshare_activity(actor=alice.person.user, activity=activity, person=bob.person)
    with pytest.raises(NotFound):
        access_activity(bob.person.user, activity.pk)


def test_an_activity_can_have_its_own_dated_fee_rate(entity_be: Entity, alice: Membership) -> None:
    activity = open_activity(actor=alice.person.user, entity=entity_be, name="Festival")
    admin = make_staff(entity_be, Role.ADMINISTRATOR)
    with pytest.raises(AccessDenied):
        set_activity_fee_rate(
            actor=alice.person.user,
            activity=activity,
            rate=Decimal("0.03"),
            valid_from=dt.date(2026, 1, 1),
            source="board decision",
        )
    set_activity_fee_rate(
        actor=admin,
        activity=activity,
        rate=Decimal("0.03"),
        valid_from=dt.date(2026, 1, 1),
        source="board decision 2025-12-10",
    )
    on_2025 = fee_rate_on(entity_be, dt.date(2025, 6, 1), "", activity.pk)
    on_2026 = fee_rate_on(entity_be, dt.date(2026, 6, 1), "", activity.pk)
    assert (on_2025.rate, on_2026.rate) == (Decimal("0.06500"), Decimal("0.03000"))
    other = open_activity(actor=alice.person.user, entity=entity_be, name="Other")
    assert fee_rate_on(entity_be, dt.date(2026, 6, 1), "", other.pk).rate == Decimal("0.06500")

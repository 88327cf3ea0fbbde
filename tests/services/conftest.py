"""Services fixtures: a Belgian entity with open books, Alice's and Bob's funded activities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from mutua.activities.models import Activity
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.ledger.actions import set_up_ledger
from mutua.ledger.queries import activity_balance, posting_account, verify_books
from mutua.members.models import Membership
from mutua.services.actions import workspace
from mutua.services.models import Resource
from tests.conftest import make_entity, make_member, make_staff
from tests.ledger.conftest import make_activity, post, sale


@dataclass
class Coop:
    entity: Entity
    staff: Any
    alice: Membership
    bob: Membership
    alice_activity: Activity
    bob_activity: Activity


def open_books(entity: Entity) -> None:
    year = timezone.localdate().year
    set_up_ledger(entity=entity, years=(year - 1, year, year + 1))


def fund(activity: Activity, amount: str) -> None:
    """Income of `amount` booked on the activity today (a paid invoice, for the budget)."""
    entity = activity.entity
    codes = (posting_account(entity, "receivable").code, posting_account(entity, "sales").code)
    post(sale(entity, amount, on=timezone.localdate(), activity=activity, codes=codes))


def coop(code: str = "BE") -> Coop:
    entity = make_entity(code)
    open_books(entity)
    staff = make_staff(entity, Role.ADVISER)
    alice, bob = make_member(entity), make_member(entity)
    alice_activity = make_activity(entity, holder=alice.person)
    bob_activity = make_activity(entity, holder=bob.person)
    fund(alice_activity, "1000.00")
    fund(bob_activity, "1000.00")
    return Coop(entity, staff, alice, bob, alice_activity, bob_activity)


@pytest.fixture
def be(db: Any) -> Coop:
    return coop("BE")


def make_resource(c: Coop, *, hourly: str = "10.00", daily: str = "60.00") -> Resource:
    place = workspace.add_place(actor=c.staff, entity=c.entity, name="Bruxelles Midi")
    return workspace.add_resource(
        actor=c.staff,
        place=place,
        kind="studio",
        name="Studio A",
        hourly_price=Decimal(hourly),
        daily_price=Decimal(daily),
        free_cancellation_hours=24,
    )


def later(days: int = 3, hour: int = 10) -> dt.datetime:
    """A whole hour `days` from now, in the local time zone."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def budget(activity: Activity) -> Decimal:
    return activity_balance(activity)


def books_balance(entity: Entity) -> None:
    assert verify_books([entity]) == []

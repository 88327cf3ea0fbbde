"""A Belgian entity with members on day contracts paid from funded activities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.activities.models import Activity
from mutua.contracts.models import Contract
from mutua.entities.models import Entity
from mutua.members.models import Person
from tests.conftest import make_member
from tests.ledger.conftest import books, make_activity, post, sale

APRIL = dt.date(2026, 4, 1)


SALE_ACCOUNTS = {"SE": ("1510", "3041")}  # receivable, sales (other charts: the defaults)


def fund(activity: Activity, amount: str, on: dt.date = dt.date(2026, 3, 20)) -> None:
    """What clients paid into the activity (a sale booked on its dimension)."""
    codes = SALE_ACCOUNTS.get(activity.entity.country, ("400000", "700000"))
    post(sale(activity.entity, amount, on=on, activity=activity, codes=codes))


def day_contracts(
    person: Person,
    activity: Activity,
    budgets: list[str],
    *,
    first: dt.date = dt.date(2026, 4, 6),
    worker: str = "employee",
) -> list[Contract]:
    """Day contracts on consecutive days, made directly (contract making is tested apart)."""
    return [
        Contract.objects.create(
            entity=activity.entity,
            person=person,
            activity=activity,
            kind="day",
            worker=worker,
            start_date=first + dt.timedelta(days=n),
            end_date=first + dt.timedelta(days=n),
            days=Decimal("1"),
            work_budget=Decimal(budget),
            currency=activity.entity.currency,
        )
        for n, budget in enumerate(budgets)
    ]


@pytest.fixture
def payroll_be(db: Any) -> dict[str, Any]:
    return scene("BE")


def scene(code: str) -> dict[str, Any]:
    """Three members: two with contracts in April, funded; entity books open for 2026."""
    entity: Entity = books(code, years=(2026,))
    people = [make_member(entity).person for _ in range(3)]
    activities = [make_activity(entity, holder=p) for p in people]
    for activity in activities:
        fund(activity, "5000.00")
    day_contracts(people[0], activities[0], ["450.00", "450.00", "450.00"])
    day_contracts(people[1], activities[1], ["900.00", "900.00"])
    day_contracts(people[2], activities[2], ["600.00"], first=dt.date(2026, 5, 4))
    return {"entity": entity, "people": people, "activities": activities}

"""Insurance: dated employer cover rates, policies an activity joins for a year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mutua.core.errors import AccessDenied, NotFound, RuleViolation, StateConflict
from mutua.services.actions.insurance import (
    add_policy,
    insurance_rate,
    join_policy,
    set_employer_cover,
)
from mutua.services.models import Policy, PolicyCover
from mutua.services.queries import access_cover
from tests.conftest import make_entity
from tests.services.conftest import Coop, books_balance, budget


def policy(c: Coop, premium: str = "120.00") -> Policy:
    return add_policy(
        actor=c.staff,
        entity=c.entity,
        name="Equipment all risks",
        covers="Cameras, instruments and tools, theft and breakage",
        insurer="Mutual Insurance SA",
        policy_number="EQ-2025-01",
        annual_premium=Decimal(premium),
    )


def test_the_rate_in_force_is_the_latest_per_cover_on_that_date(be: Coop) -> None:
    def cover(kind: str, rate: str, start: dt.date) -> None:
        set_employer_cover(
            actor=be.staff,
            entity=be.entity,
            kind=kind,
            rate=Decimal(rate),
            valid_from=start,
            insurer="Insurer",
            mandatory=kind == "work_accident",
        )

    cover("work_accident", "0.0100", dt.date(2024, 1, 1))
    cover("work_accident", "0.0120", dt.date(2025, 1, 1))
    cover("liability", "0.0015", dt.date(2024, 6, 1))
    assert insurance_rate(be.entity, dt.date(2023, 12, 31)) == 0
    assert insurance_rate(be.entity, dt.date(2024, 7, 1)) == Decimal("0.0115")
    assert insurance_rate(be.entity, dt.date(2025, 1, 1)) == Decimal("0.0135")
    assert insurance_rate(make_entity("BX"), dt.date(2025, 1, 1)) == 0  # rates are per entity


def test_joining_a_policy_charges_the_yearly_premium(be: Coop) -> None:
    cover = join_policy(actor=be.alice.person.user, policy=policy(be), activity=be.alice_activity)
    assert budget(be.alice_activity) == Decimal("880.00")
    assert cover.ends_on == cover.starts_on.replace(year=cover.starts_on.year + 1) - dt.timedelta(1)
    books_balance(be.entity)


def test_an_activity_is_not_covered_twice_by_one_policy(be: Coop) -> None:
    p = policy(be)
    join_policy(actor=be.alice.person.user, policy=p, activity=be.alice_activity)
    later = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(StateConflict):
        join_policy(
            actor=be.alice.person.user, policy=p, activity=be.alice_activity, starts_on=later
        )
    assert budget(be.alice_activity) == Decimal("880.00")


def test_a_premium_above_the_budget_is_refused(be: Coop) -> None:
    with pytest.raises(RuleViolation):
        join_policy(
            actor=be.alice.person.user, policy=policy(be, "1500.00"), activity=be.alice_activity
        )
    assert not PolicyCover.objects.exists()


def test_bob_neither_joins_for_alice_nor_sees_her_cover(be: Coop) -> None:
    p = policy(be)
    with pytest.raises(AccessDenied):
        join_policy(actor=be.bob.person.user, policy=p, activity=be.alice_activity)
    cover = join_policy(actor=be.alice.person.user, policy=p, activity=be.alice_activity)
    with pytest.raises(NotFound):
        access_cover(be.bob.person.user, cover.pk)
    assert access_cover(be.staff, cover.pk) == cover

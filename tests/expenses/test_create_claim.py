"""Drafts: a member claims for an activity they run; lines are priced by the rules; bad input
is refused with a clear message and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutua.core.errors import DomainError, NotFound, RuleViolation, StateConflict
from mutua.expenses import actions
from mutua.expenses.actions import LineInput
from mutua.expenses.models import Claim, ClaimLine
from mutua.ledger.actions import close_period
from mutua.ledger.models import Period
from tests.expenses.conftest import draft, meal, mileage


def test_it_prices_mileage_with_the_legal_rate_and_totals_the_vat(world: dict[str, Any]) -> None:
    claim = draft(world["alice"], world["activity"], meal("121.00"), mileage("100"), receipt=False)
    lines = {line.category: line for line in claim.lines.all()}
    assert lines["mileage"].amount == Decimal("44.49")  # 100 km x 0.4449 (from 1 July 2025)
    assert lines["mileage"].rate == Decimal("0.4449")
    assert lines["meals"].vat_recoverable == Decimal("21.00")
    assert (claim.total, claim.vat_recoverable) == (Decimal("165.49"), Decimal("21.00"))
    assert claim.status == "draft" and claim.person == world["alice"].person


def test_it_replaces_a_drafts_lines(world: dict[str, Any]) -> None:
    claim = draft(world["alice"], world["activity"], receipt=False)
    actions.update_claim(
        actor=world["alice"].person.user, claim=claim, title="Tour", lines=[mileage("10")]
    )
    claim.refresh_from_db()
    assert claim.total == Decimal("4.45") and claim.lines.count() == 1


def test_bob_cannot_claim_on_alices_activity_nor_edit_her_draft(world: dict[str, Any]) -> None:
    bob = world["bob"].person.user
    with pytest.raises(NotFound):
        actions.create_claim(actor=bob, activity=world["activity"], title="x", lines=[meal()])
    claim = draft(world["alice"], world["activity"], receipt=False)
    with pytest.raises(NotFound):
        actions.update_claim(actor=bob, claim=claim, title="mine", lines=[meal("999")])
    claim.refresh_from_db()
    assert claim.title == "Tour in December" and Claim.objects.count() == 1


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        (meal(on=dt.date(2024, 12, 10)), "date", "claimed by 2025-01-15"),
        (meal(on=dt.date(2026, 2, 1)), "date", "future"),
        (meal("0"), "amount", "give the amount paid"),
        (meal("12.345"), "amount", "cents"),
        (mileage("0"), "quantity", "kilometres"),
        (LineInput(dt.date(2025, 12, 1), "bribes", "x", Decimal("1")), "category", "unknown"),
        (
            LineInput(
                dt.date(2025, 12, 1),
                "accommodation",
                "Hotel",
                Decimal("400"),
                Decimal("6"),
                quantity=Decimal("1"),
            ),
            "amount",
            "156.05 a night",
        ),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(
    world: dict[str, Any], line: LineInput, field: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message) as refused:
        draft(world["alice"], world["activity"], line, receipt=False)
    assert refused.value.field == field
    assert not Claim.objects.exists() and not ClaimLine.objects.exists()


def test_an_expense_dated_in_a_closed_period_is_refused(world: dict[str, Any]) -> None:
    november = Period.objects.get(entity=world["entity"], start=dt.date(2025, 11, 1))
    close_period(period=november, acting_user=None)
    with pytest.raises(RuleViolation, match="2025-11 are closed"):
        draft(world["alice"], world["activity"], meal(on=dt.date(2025, 11, 20)), receipt=False)
    assert not Claim.objects.exists()


def test_a_submitted_claim_can_no_longer_be_edited(world: dict[str, Any]) -> None:
    claim = draft(world["alice"], world["activity"])
    user = world["alice"].person.user
    actions.submit_claim(actor=user, claim=claim)
    with pytest.raises(StateConflict):
        actions.update_claim(actor=user, claim=claim, title="later", lines=[meal("1")])


def test_the_queries_do_not_grow_with_the_lines(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    user, activity = world["alice"].person.user, world["activity"]
    with CaptureQueriesContext(connection) as few:
        actions.create_claim(actor=user, activity=activity, title="few", lines=[mileage()] * 2)
    many = [mileage(on=dt.date(2025, 12, 1 + n % 28)) for n in range(40)]
    with django_assert_max_num_queries(len(few)):
        actions.create_claim(actor=user, activity=activity, title="many", lines=many)

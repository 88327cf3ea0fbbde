"""Submitting: receipts where needed, within the activity's budget (counting other claims
waiting), before the deadline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory

from mutua.core.errors import InvalidInput, NotFound, RuleViolation
from mutua.expenses import actions
from mutua.expenses.models import ClaimStatus
from tests.expenses.conftest import draft, meal, mileage, submitted


def test_it_submits_a_claim_with_its_receipt(world: dict[str, Any]) -> None:
    claim = submitted(world["alice"], world["activity"])
    assert claim.status == ClaimStatus.SUBMITTED and claim.submitted_at is not None


def test_mileage_alone_needs_no_receipt_but_a_meal_does(world: dict[str, Any]) -> None:
    user = world["alice"].person.user
    assert (
        actions.submit_claim(
            actor=user, claim=draft(world["alice"], world["activity"], mileage(), receipt=False)
        ).status
        == ClaimStatus.SUBMITTED
    )
    claim = draft(world["alice"], world["activity"], meal(), receipt=False)
    with pytest.raises(InvalidInput, match="attach the receipts"):
        actions.submit_claim(actor=user, claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_a_claim_above_the_available_budget_is_refused(world: dict[str, Any]) -> None:
    # The activity earned 1,000.00; 1,210.00 incl. 210.00 recoverable VAT charges 1,000.00.
    ok = draft(world["alice"], world["activity"], meal("1210.00"))
    too_much = draft(world["alice"], world["activity"], meal("1.21"))
    actions.submit_claim(actor=world["alice"].person.user, claim=ok)
    with pytest.raises(RuleViolation, match=r"above what the activity has available \(0.00"):
        actions.submit_claim(actor=world["alice"].person.user, claim=too_much)
    too_much.refresh_from_db()
    assert too_much.status == ClaimStatus.DRAFT


def test_past_the_yearly_deadline_a_draft_of_last_year_cannot_be_submitted(
    world: dict[str, Any], _frozen: FrozenDateTimeFactory
) -> None:
    claim = draft(world["alice"], world["activity"])
    _frozen.move_to("2026-01-16 09:00:00")
    with pytest.raises(RuleViolation, match="claimed by 2026-01-15"):
        actions.submit_claim(actor=world["alice"].person.user, claim=claim)


def test_only_the_author_submits(world: dict[str, Any]) -> None:
    claim = draft(world["alice"], world["activity"])
    for intruder in (world["bob"].person.user, world["adviser"]):
        with pytest.raises(NotFound):
            actions.submit_claim(actor=intruder, claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT and claim.total == Decimal("24.20")

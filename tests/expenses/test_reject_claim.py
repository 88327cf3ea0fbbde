"""Rejection: with a reason the member reads; nothing posted; the receipts may be claimed again."""

from __future__ import annotations

from typing import Any

import pytest

from mutua.core.errors import InvalidInput
from mutua.expenses import actions
from mutua.expenses.models import ClaimStatus
from mutua.ledger.models import Entry
from tests.expenses.conftest import draft, submitted


def test_it_rejects_with_a_reason_and_posts_nothing(world: dict[str, Any]) -> None:
    claim = submitted(world["alice"], world["activity"])
    claim = actions.reject_claim(actor=world["adviser"], claim=claim, reason="Private lunch")
    assert claim.status == ClaimStatus.REJECTED and claim.rejection_reason == "Private lunch"
    assert claim.entry_id is None and not Entry.objects.filter(journal__kind="expenses").exists()


def test_a_rejection_needs_a_reason(world: dict[str, Any]) -> None:
    claim = submitted(world["alice"], world["activity"])
    with pytest.raises(InvalidInput, match="say why"):
        actions.reject_claim(actor=world["adviser"], claim=claim, reason="  ")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_a_rejected_claims_receipt_can_be_claimed_again(world: dict[str, Any]) -> None:
    claim = submitted(world["alice"], world["activity"])
    receipt = claim.receipts.get()
    actions.reject_claim(actor=world["adviser"], claim=claim, reason="Wrong activity")
    again = draft(world["alice"], world["activity"], receipt=False)
    content = _stored(receipt.path)
    actions.add_receipt(
        actor=world["alice"].person.user, claim=again, content=content, file_name="same.pdf"
    )
    assert again.receipts.get().sha256 == receipt.sha256


def _stored(path: str) -> bytes:
    from mutua.expenses.receipts import absolute

    return absolute(path).read_bytes()

"""The demo builder makes one claim in each state with receipts, once."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from typing import Any

import pytest

from mutua.core.permissions import Role
from mutua.expenses.demo import build_expenses_demo
from mutua.expenses.models import Claim, Receipt
from mutua.expenses.receipts import absolute, sniff
from mutua.ledger.queries import journal_for, posting_account, verify_books
from tests.conftest import make_member, make_staff
from tests.ledger.conftest import books, make_activity, post, sale


def test_the_demo_builds_a_claim_in_each_state_once(world: dict[str, Any]) -> None:
    for _ in range(2):
        member = make_member(world["entity"])
        activity = make_activity(world["entity"], holder=member.person)
        post(sale(world["entity"], "500.00", activity=activity, on=dt.date(2025, 11, 3)))
    counts = build_expenses_demo(world["entity"], random.Random(1))
    assert counts == {
        "expenses_draft": 1,
        "expenses_submitted": 1,
        "expenses_approved": 1,
        "expenses_rejected": 1,
    }
    assert {c.status for c in Claim.objects.all()} == {"draft", "submitted", "approved", "rejected"}
    assert all(sniff(absolute(r.path).read_bytes()) for r in Receipt.objects.all())
    assert build_expenses_demo(world["entity"], random.Random(1))["expenses_draft"] == 0


@pytest.mark.parametrize("code", ["FR", "SE"])
def test_the_demo_works_in_france_and_sweden(db: Any, code: str) -> None:
    entity = books(code, years=(2025, 2026))
    make_staff(entity, Role.ADVISER)
    accounts = (posting_account(entity, "receivable").code, posting_account(entity, "sales").code)
    for _ in range(4):
        member = make_member(entity)
        activity = make_activity(entity, holder=member.person)
        income = sale(entity, "5000.00", activity=activity, on=dt.date(2025, 11, 3), codes=accounts)
        post(replace(income, journal=journal_for(entity, "sales").code))
    counts = build_expenses_demo(entity, random.Random(2))
    assert set(counts.values()) == {1}
    approved = Claim.objects.get(entity=entity, status="approved")
    assert approved.entry_id is not None and verify_books([entity]) == []

"""Two advisers approving at once cannot both spend the same budget: the activity row is locked
for the check and the posting (PostgreSQL: concurrent writers)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from mutua.core.errors import RuleViolation
from mutua.expenses import actions
from mutua.expenses.models import Claim, ClaimStatus
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.queries import activity_balance, verify_books
from tests.expenses.conftest import meal, submitted
from tests.ledger.conftest import post
from tests.ledger.test_concurrent_posting import WORKERS, run_in_threads

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)


def test_concurrent_approvals_never_overspend_the_activity(
    transactional_db: Any, world: dict[str, Any]
) -> None:
    assert WORKERS == 4
    claims = [submitted(world["alice"], world["activity"], meal("290.40")) for _ in range(4)]
    spend = EntryDraft(
        entity_id=world["entity"].pk,
        journal="OD",
        date=dt.date(2026, 1, 5),
        label="Supplier paid from the activity",
        lines=(
            LineDraft("610000", debit=Decimal("500.00"), activity_id=world["activity"].pk),
            LineDraft("550000", credit=Decimal("500.00")),
        ),
    )
    post(spend)  # 500.00 left: two claims of 240.00 fit, not three

    errors = run_in_threads(
        lambda n: actions.approve_claim(actor=world["adviser"], claim=claims[n])
    )
    approved = Claim.objects.filter(status=ClaimStatus.APPROVED).count()
    assert approved == 2 and len(errors) == 2
    assert all(isinstance(e, RuleViolation) for e in errors)
    assert activity_balance(world["activity"]) == Decimal("20.00")
    assert verify_books([world["entity"]]) == []

"""Refunds become payout items: once per approved claim, by transfer or with the next pay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from mutua.banking.models import Payout, PayoutSource
from mutua.banking.payouts import collect_payouts
from mutua.core.permissions import Role
from mutua.expenses import actions
from tests.conftest import make_staff
from tests.expenses.conftest import mileage, submitted


def test_the_collector_creates_each_refund_once(world: dict[str, Any]) -> None:
    accountant = make_staff(world["entity"], Role.ACCOUNTANT)
    claim = submitted(world["alice"], world["activity"])
    waiting = submitted(world["bob"], world["bob_activity"])
    actions.approve_claim(actor=world["adviser"], claim=claim)
    assert collect_payouts(entity=world["entity"], acting_user=accountant) == 1
    assert collect_payouts(entity=world["entity"], acting_user=accountant) == 0
    payout = Payout.objects.get(source=PayoutSource.EXPENSE)
    assert payout.key == f"expense:{claim.pk}" and payout.source_id == claim.pk
    assert (payout.person, payout.amount) == (world["alice"].person, Decimal("24.20"))
    assert payout.due_date == dt.date(2026, 1, 12)
    assert payout.remittance == f"Expense refund {claim.reference}"
    actions.approve_claim(actor=world["adviser"], claim=waiting)
    assert collect_payouts(entity=world["entity"], acting_user=accountant) == 1
    assert Payout.objects.filter(source=PayoutSource.EXPENSE).count() == 2


def test_a_refund_with_the_next_pay_is_due_on_the_next_pay_date(world: dict[str, Any]) -> None:
    claim = submitted(
        world["alice"], world["activity"], mileage("10"), receipt=False, refund_mode="with_pay"
    )
    actions.approve_claim(actor=world["adviser"], claim=claim)
    collect_payouts(entity=world["entity"])
    payout = Payout.objects.get(key=f"expense:{claim.pk}")
    assert payout.due_date == dt.date(2026, 2, 1)
    assert payout.remittance == f"Expense refund {claim.reference} with your pay of 2026-02"

"""The fund's demo goes through the real actions, balances the books and is safe to re-run."""

from __future__ import annotations

import random
from typing import Any

from mutua.fund.demo import build_fund_demo
from mutua.fund.models import FundAdvance, WriteOff
from mutua.fund.queries import fund_exposure, open_exposure
from mutua.ledger.queries import verify_books
from mutua.payroll.models import Payslip
from tests.banking.conftest import shop_for


def test_the_demo_pays_through_the_fund_and_writes_one_debt_off(db: Any, clock: Any) -> None:
    clock.freeze("2026-06-15")
    shop = shop_for("BE")
    shop.client.email = "compta@namur.example"
    shop.client.save(update_fields=["email"])
    overdue = shop.invoice("800.00")  # issued 2 March, due 1 April: 75 days late
    counts = build_fund_demo(shop.entity, random.Random(3))
    assert counts["fund_payslips"] == 1 and counts["fund_advances"] >= 1
    assert counts["written_off"] == 1 and WriteOff.objects.get().invoice == overdue
    assert Payslip.objects.get().period.month == 5
    assert fund_exposure(shop.entity) == open_exposure(shop.entity) > 0
    again = build_fund_demo(shop.entity, random.Random(3))
    assert again["fund_payslips"] == 0 and again["written_off"] == 0
    assert FundAdvance.objects.count() == counts["fund_advances"]
    assert verify_books() == []

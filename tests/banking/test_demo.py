"""The demo statements go through the real import: paid, partly paid, overpaid, unmatched."""

from __future__ import annotations

import random
from typing import Any

from mutua.banking.demo import build_bank_demo
from mutua.banking.models import Statement, StatementLine
from tests.banking.conftest import shop_for


def test_the_belgian_demo_imports_a_coda_statement(db: Any, clock: Any) -> None:
    clock.freeze("2026-03-20")
    shop = shop_for("BE")
    invoices = [shop.invoice(amount) for amount in ("1000.00", "800.00", "500.00", "300.00")]
    counts = build_bank_demo(shop.entity, random.Random(3))
    assert counts == {"bank_lines": 5, "bank_matched": 4, "bank_to_match": 1}
    assert Statement.objects.get().file_format == "coda"
    statuses = []
    for invoice in invoices:
        invoice.refresh_from_db()
        statuses.append(invoice.status)
    assert statuses == ["paid", "partly_paid", "paid", "paid"]
    assert StatementLine.objects.filter(status="overpaid").count() == 1
    assert build_bank_demo(shop.entity, random.Random(3))["bank_lines"] == 0  # safe to re-run


def test_the_french_and_swedish_demos_import_camt_053(db: Any, clock: Any) -> None:
    clock.freeze("2026-03-20")
    for code in ("FR", "SE"):
        shop = shop_for(code)
        shop.invoice("1000.00")
        assert build_bank_demo(shop.entity, random.Random(3))["bank_matched"] == 1
    assert set(Statement.objects.values_list("file_format", flat=True)) == {"camt053"}

"""The same statement imported by several connections at once is booked once (PostgreSQL only:
SQLite lets one writer in at a time)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from mutua.banking.actions import import_statements, register_bank_account
from mutua.banking.models import Allocation, StatementLine
from mutua.invoicing.models import Invoice
from mutua.ledger.queries import account_balance, posting_account, verify_books
from tests.banking.conftest import coda, ogm, paid, shop_for, statement
from tests.ledger.test_concurrent_posting import run_in_threads

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)


def test_a_file_imported_four_times_at_once_is_booked_once(transactional_db: Any) -> None:
    shop = shop_for("BE")
    invoice = shop.invoice("1000.00")
    register_bank_account(entity=shop.entity, iban=shop.entity.iban, acting_user=None)
    content = coda(statement(shop.entity, paid("1210.00", reference=ogm(invoice)), paid("7.00")))

    def work(n: int) -> None:
        import_statements(entity=shop.entity, content=content, acting_user=None)

    assert run_in_threads(work) == []
    assert StatementLine.objects.count() == 2 and Allocation.objects.count() == 1
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"
    assert account_balance(posting_account(shop.entity, "bank")) == Decimal("1217.00")
    assert verify_books([shop.entity]) == []

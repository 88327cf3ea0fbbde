"""A statement import killed with SIGKILL inside its transaction leaves nothing; the import run
again books every line once, with the totals of an uninterrupted import (issue 10, item 3)."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pytest

from mutua.banking.actions import import_statements
from mutua.banking.models import Allocation, Statement, StatementLine
from mutua.invoicing.models import Invoice
from mutua.ledger.models import Entry
from mutua.ledger.queries import account_balance, posting_account, verify_books
from tests.banking.conftest import Shop, coda, ogm, paid, shop_for, statement
from tests.faults.conftest import Locker, kill_when_blocked, mutua, postgres_only, spawn

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]
LINES, INVOICES = 1000, 6  # big enough: the kill points are set by locks, not by timing


def statement_file(shop: Shop) -> bytes:
    """A big statement: INVOICES payments by reference, the rest unknown movements."""
    rng = random.Random(7)
    payments = [paid("1210.00", reference=ogm(shop.invoice("1000.00"))) for _ in range(INVOICES)]
    others = [
        paid(f"{rng.randint(-90000, 90000) / 100:.2f}", text=f"movement {n}")
        for n in range(LINES - INVOICES)
    ]
    return coda(statement(shop.entity, *payments, *others, opening="0.00"))


def test_a_statement_import_killed_mid_transaction_books_each_line_once(
    locker: Locker, tmp_path: Path
) -> None:
    shop = shop_for("BE")
    path = tmp_path / "statement.cod"
    path.write_bytes(statement_file(shop))
    args = ("bank", "import", str(path), "--entity", "BE", "--json")
    lines, entries = StatementLine._meta.db_table, Entry._meta.db_table

    # Killed while storing the lines, then while booking them: nothing of the file remains.
    kill_when_blocked(spawn(*args, tmp=tmp_path), locker, f"LOCK TABLE {lines} IN EXCLUSIVE MODE")
    assert not Statement.objects.exists() and not StatementLine.objects.exists()
    kill_when_blocked(spawn(*args, tmp=tmp_path), locker, f"LOCK TABLE {entries} IN EXCLUSIVE MODE")
    assert not StatementLine.objects.exists() and not Allocation.objects.exists()
    assert not Invoice.objects.filter(status="paid").exists()

    done = json.loads(mutua(*args, tmp=tmp_path))
    again = json.loads(mutua(*args, tmp=tmp_path))
    assert (done["imported"], done["matched"]) == (LINES, INVOICES)
    assert (again["imported"], again["duplicates"]) == (0, LINES)
    assert StatementLine.objects.count() == LINES and Statement.objects.count() == 1
    assert Allocation.objects.count() == INVOICES
    assert Invoice.objects.filter(status="paid").count() == INVOICES
    bank = account_balance(posting_account(shop.entity, "bank"))
    assert bank == sum(StatementLine.objects.values_list("amount", flat=True), Decimal("0"))
    assert "The books agree" in mutua("ledger", "verify", tmp=tmp_path)

    # The same file shape imported without interruption by a twin entity, in this process.
    twin = shop_for("BE2")
    result = import_statements(entity=twin.entity, content=statement_file(twin), acting_user=None)
    assert {k: v for k, v in done.items() if k not in ("file", "entity")} == result.as_dict()
    assert account_balance(posting_account(twin.entity, "bank")) == bank
    assert verify_books() == []

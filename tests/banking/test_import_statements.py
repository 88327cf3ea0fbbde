"""Importing statement files: idempotent, checked against the previous statement, all or
nothing, and never for an account or a currency that is not the entity's."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from mutua.banking import actions
from mutua.banking.actions import StatementRefused, import_statements, register_bank_account
from mutua.banking.formats import StatementFileError
from mutua.banking.models import Allocation, BankAccount, Statement, StatementLine
from mutua.invoicing.models import Invoice
from mutua.invoicing.queries import amount_due
from mutua.ledger.models import Entry
from mutua.ledger.queries import account_balance, client_balance, posting_account
from tests.banking.conftest import Shop, camt, coda, ogm, paid, shop_for, statement
from tests.conftest import make_entity


def run(shop: Shop, content: bytes) -> actions.ImportResult:
    return import_statements(
        entity=shop.entity, content=content, file_name="stmt", acting_user=shop.accountant
    )


def bank_movement(shop: Shop) -> Decimal:
    return account_balance(posting_account(shop.entity, "bank"))


def test_a_coda_payment_by_structured_reference_pays_the_invoice(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")  # 1210.00 incl. VAT
    result = run(shop, coda(statement(shop.entity, paid("1210.00", reference=ogm(invoice)))))
    assert (result.format, result.statements, result.imported) == ("coda", 1, 1)
    assert (result.matched, result.unmatched, result.duplicates) == (1, 0, 0)
    invoice.refresh_from_db()
    assert invoice.status == "paid" and amount_due(invoice) == Decimal("0.00")
    assert client_balance(shop.client) == Decimal("0.00")
    assert bank_movement(shop) == Decimal("1210.00")
    account = BankAccount.objects.get()
    assert (account.iban, account.entity_id) == (shop.entity.iban, shop.entity.pk)


def test_importing_the_same_file_again_changes_nothing(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    content = coda(statement(shop.entity, paid("1210.00", reference=ogm(invoice)), paid("-5.00")))
    run(shop, content)
    counts = (Statement.objects.count(), StatementLine.objects.count(), Entry.objects.count())
    again = run(shop, content)
    assert (again.imported, again.duplicates, again.statements) == (0, 2, 0)
    assert again.duplicate_statements == ["001"]
    assert counts == (
        Statement.objects.count(),
        StatementLine.objects.count(),
        Entry.objects.count(),
    )
    assert Allocation.objects.count() == 1 and bank_movement(shop) == Decimal("1205.00")


def test_an_overlapping_statement_adds_only_the_new_movements(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    known = paid("1210.00", reference=ogm(invoice), on=dt.date(2026, 3, 10))
    run(shop, coda(statement(shop.entity, known)))
    later = paid("50.00", text="Don", on=dt.date(2026, 3, 11))
    overlapping = statement(
        shop.entity, known, later, number="2", closed=dt.date(2026, 3, 11), opening="1000.00"
    )
    result = run(shop, camt(overlapping))  # the same account, now as camt.053
    assert (result.imported, result.duplicates, result.statements) == (1, 1, 1)
    assert bank_movement(shop) == Decimal("1260.00")
    assert Allocation.objects.get().amount == Decimal("1210.00")


def test_identical_movements_on_the_same_day_are_all_kept_once(shop: Shop) -> None:
    same = paid("25.00", text="Cotisation", iban="BE71096123456769")
    content = coda(statement(shop.entity, same, same, same))
    assert run(shop, content).imported == 3
    assert sorted(StatementLine.objects.values_list("occurrence", flat=True)) == [1, 2, 3]
    assert run(shop, content).duplicates == 3
    assert bank_movement(shop) == Decimal("75.00")


def test_a_gap_with_the_previous_statement_is_refused(shop: Shop) -> None:
    run(shop, coda(statement(shop.entity, paid("10.00", text="a"))))  # closes at 1010.00
    skipped = statement(
        shop.entity,
        paid("20.00", text="b", on=dt.date(2026, 3, 12)),
        number="3",
        opening="1500.00",
        opened=dt.date(2026, 3, 11),
        closed=dt.date(2026, 3, 12),
    )
    with pytest.raises(StatementRefused, match="does not follow statement 001"):
        run(shop, coda(skipped))
    assert StatementLine.objects.count() == 1


def test_the_next_statement_follows_on(shop: Shop) -> None:
    run(shop, coda(statement(shop.entity, paid("10.00", text="a"))))
    following = statement(
        shop.entity,
        paid("20.00", text="b", on=dt.date(2026, 3, 12)),
        number="2",
        opening="1010.00",
        opened=dt.date(2026, 3, 11),
        closed=dt.date(2026, 3, 12),
    )
    assert run(shop, coda(following)).imported == 1
    assert Statement.objects.count() == 2


def test_a_statement_of_another_entitys_account_is_refused(shop: Shop) -> None:
    other = make_entity("BE2")
    with pytest.raises(StatementRefused, match="not an account of BE"):
        run(shop, coda(statement(shop.entity, paid("10.00"), iban=other.iban)))
    assert not StatementLine.objects.exists() and not BankAccount.objects.exists()


def test_a_statement_in_another_currency_is_refused(shop: Shop) -> None:
    with pytest.raises(StatementRefused, match="in USD, the account in EUR"):
        run(shop, camt(statement(shop.entity, paid("10.00"), currency="USD")))
    assert not StatementLine.objects.exists()


def test_a_second_registered_account_imports_its_own_statements(shop: Shop) -> None:
    second = "BE62510007547061"
    register_bank_account(entity=shop.entity, iban=second, acting_user=shop.accountant)
    result = run(shop, coda(statement(shop.entity, paid("10.00", text="x"), iban=second)))
    assert result.imported == 1


def test_a_file_that_is_not_a_statement_is_refused(shop: Shop) -> None:
    with pytest.raises(StatementFileError, match="neither"):
        run(shop, b"Date;Amount\n2026-03-10;12.00\n")


def test_a_crash_in_the_middle_of_an_import_leaves_nothing(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = shop.invoice("1000.00")
    content = coda(statement(shop.entity, paid("1210.00", reference=ogm(invoice)), paid("9.00")))

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(actions, "post_entries_bulk", crash)
    with pytest.raises(RuntimeError):
        run(shop, content)
    assert not Statement.objects.exists() and not StatementLine.objects.exists()
    assert not Allocation.objects.exists() and not BankAccount.objects.exists()
    assert Invoice.objects.get(pk=invoice.pk).status == "issued"
    monkeypatch.undo()
    assert run(shop, content).matched == 1  # and the next try imports it whole


def test_a_crash_in_the_second_statement_of_a_file_keeps_not_even_the_first(shop: Shop) -> None:
    first = statement(shop.entity, paid("10.00", text="a"))
    broken = statement(
        shop.entity,
        paid("5.00", text="b"),
        number="2",
        opening="9999.00",
        opened=dt.date(2026, 3, 11),
        closed=dt.date(2026, 3, 12),
    )
    with pytest.raises(StatementRefused):
        run(shop, coda(first, broken))
    assert not Statement.objects.exists()


def test_a_french_camt_payment_by_rf_reference(db: Any) -> None:
    shop = shop_for("FR")
    invoice = shop.invoice("1000.00")  # 20 % VAT: 1200.00
    assert invoice.payment_reference.startswith("RF")
    result = run(
        shop, camt(statement(shop.entity, paid("1200.00", reference=invoice.payment_reference)))
    )
    assert (result.format, result.matched) == ("camt053", 1)
    invoice.refresh_from_db()
    assert invoice.status == "paid"


def test_the_command_prints_the_figures_as_json(shop: Shop, tmp_path: Path, capsys: Any) -> None:
    invoice = shop.invoice("1000.00")
    path = tmp_path / "statement.cod"
    path.write_bytes(
        coda(statement(shop.entity, paid("1210.00", reference=ogm(invoice)), paid("3.00")))
    )
    call_command("bank", "import", str(path), "--entity", "be", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert {k: printed[k] for k in ("imported", "duplicates", "matched", "unmatched")} == {
        "imported": 2,
        "duplicates": 0,
        "matched": 1,
        "unmatched": 1,
    }
    call_command("bank", "import", str(path), "--entity", "BE", "--json")
    assert json.loads(capsys.readouterr().out)["duplicates"] == 2


def test_the_command_says_what_is_wrong(shop: Shop, tmp_path: Path) -> None:
    path = tmp_path / "broken.cod"
    path.write_bytes(coda(statement(shop.entity, paid("10.00")))[:300])
    with pytest.raises(CommandError, match="truncated"):
        call_command("bank", "import", str(path), "--entity", "BE")

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from mutua.entities.models import Entity
from mutua.ledger import queries
from mutua.ledger.models import Balance
from tests.ledger.conftest import books, make_activity, post, sale


def test_verify_finds_nothing_wrong_in_books_kept_by_the_actions(books_be: Entity) -> None:
    post(sale(books_be, activity=make_activity(books_be)))
    assert queries.verify_books() == []
    call_command("ledger", "verify")


def test_verify_reports_a_tampered_balance_and_fails(
    books_be: Entity, capsys: pytest.CaptureFixture[str]
) -> None:
    post(sale(books_be))
    Balance.objects.filter(dimension="").update(debit=Decimal("999.00"))
    with pytest.raises(CommandError, match="difference"):
        call_command("ledger", "verify")
    assert "400000" in capsys.readouterr().out or queries.verify_books()


def test_verify_reports_a_missing_balance_row(books_be: Entity) -> None:
    post(sale(books_be))
    Balance.objects.filter(dimension="").delete()
    assert len(queries.verify_books([books_be])) == 2


def test_the_trial_balance_command_prints_json(
    books_be: Entity, capsys: pytest.CaptureFixture[str]
) -> None:
    post(sale(books_be, "12.34", on=dt.date(2025, 2, 1)))
    post(sale(books_be, "1.00", on=dt.date(2025, 6, 1)))
    call_command("ledger", "trial-balance", "--entity", "be", "--on", "2025-03-01", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["entity"] == "BE" and payload["on"] == "2025-03-01"
    assert payload["accounts"][0] == {
        "code": "400000",
        "name": "Clients",
        "kind": "asset",
        "currency": "EUR",
        "debit": "12.34",
        "credit": "0.00",
        "balance": "12.34",
    }
    assert payload["totals"] == {"EUR": {"debit": "12.34", "credit": "12.34"}}


def test_the_trial_balance_command_names_an_unknown_entity(db: object) -> None:
    with pytest.raises(CommandError, match="XX"):
        call_command("ledger", "trial-balance", "--entity", "XX", "--json")


def test_verify_reports_a_line_whose_account_belongs_to_another_entity(books_be: Entity) -> None:
    from mutua.ledger.models import Account, Line

    entry = post(sale(books_be))
    foreign = Account.objects.get(entity=books("FR"), code="411000")
    with connection.cursor() as cursor:  # what no action can do: bypass the posting path
        cursor.execute(
            "INSERT INTO ledger_line (entry_id, entity_id, date, account_id, debit, credit, "
            "currency, label) VALUES (%s, %s, %s, %s, 1, 0, 'EUR', '')",
            [entry.pk, books_be.pk, entry.date, foreign.pk],
        )
    assert Line.objects.filter(entry=entry).count() == 3
    assert any("without an entry or account" in p for p in queries.verify_books([books_be]))

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from mutua.core.errors import RuleViolation
from mutua.entities.models import Entity
from mutua.ledger import fec
from mutua.ledger.exports import csv_text, safe_cell
from mutua.ledger.fec import FecLine, fec_lines
from tests.ledger.conftest import books, make_client, post, sale

GOLDEN_HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
    "ValidDate\tMontantdevise\tIdevise"
)


def fec_line(**overrides: Any) -> FecLine:
    values: dict[str, Any] = {
        "journal_code": "VT",
        "journal_label": "Ventes",
        "entry_number": "VT-2025-000001",
        "entry_date": dt.date(2025, 3, 14),
        "account_code": "411000",
        "account_label": "Clients",
        "auxiliary_code": "C00000007",
        "auxiliary_label": "Théâtre\tdu Soleil",
        "piece_ref": "2025-000042",
        "piece_date": dt.date(2025, 3, 14),
        "label": "Facture\n2025-000042",
        "debit": Decimal("1234.50"),
        "credit": Decimal("0"),
        "valid_date": dt.date(2025, 3, 15),
        "currency": "EUR",
    }
    values.update(overrides)
    return FecLine(**values)


def test_the_fec_has_the_18_columns_of_article_a47_a1_in_order() -> None:
    assert len(fec.HEADER) == 18
    header, row = list(fec_lines([fec_line()], "EUR"))
    assert header == GOLDEN_HEADER + "\r\n"
    assert row.rstrip("\r\n").split("\t") == [
        "VT",
        "Ventes",
        "VT-2025-000001",
        "20250314",
        "411000",
        "Clients",
        "C00000007",
        "Théâtre du Soleil",
        "2025-000042",
        "20250314",
        "Facture 2025-000042",
        "1234,50",
        "0,00",
        "",
        "",
        "20250315",
        "",
        "",
    ]


def test_the_fec_refuses_lines_in_another_currency() -> None:
    with pytest.raises(RuleViolation):
        list(fec_lines([fec_line(currency="USD")], "EUR"))


def test_the_fec_file_name_is_siren_fec_closing_date() -> None:
    assert fec.fec_filename("732829320", dt.date(2025, 12, 31)) == "732829320FEC20251231.txt"


def test_export_fec_writes_every_line_of_the_fiscal_year(db: Any, tmp_path: Path) -> None:
    entity = books("FR")
    client = make_client(entity, "Coopérative =cmd")
    post(sale(entity, "100.00", client=client, codes=("411000", "706000")))
    post(sale(entity, "20.00", on=dt.date(2025, 1, 2), codes=("411000", "706000")))
    target = tmp_path / "fec.txt"
    call_command("ledger", "export-fec", "--entity", "FR", "--year", "2025", "-o", str(target))
    rows = [line.split("\t") for line in target.read_text(encoding="utf-8").splitlines()]
    assert "\t".join(rows[0]) == GOLDEN_HEADER
    assert len(rows) == 5 and all(len(row) == 18 for row in rows)
    assert [row[3] for row in rows[1:]] == ["20250102", "20250102", "20250314", "20250314"]
    assert rows[3][6:8] == [f"C{client.pk:08d}", "Coopérative =cmd"]
    debit = sum(Decimal(r[11].replace(",", ".")) for r in rows[1:])
    credit = sum(Decimal(r[12].replace(",", ".")) for r in rows[1:])
    assert debit == credit == Decimal("120.00")


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_could_run_as_formulas_are_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert csv_text(["a"], [[text]]).splitlines()[1].lstrip('"').startswith("'")


def test_csv_keeps_ordinary_text_and_numbers() -> None:
    assert safe_cell("Invoice 12") == "Invoice 12"
    assert safe_cell(Decimal("-12.50")) == Decimal("-12.50")


def test_the_trial_balance_csv_neutralises_a_hostile_label(books_be: Entity) -> None:
    from mutua.ledger import queries
    from mutua.ledger.exports import trial_balance_csv
    from mutua.ledger.models import Account

    Account.objects.filter(entity=books_be, code="400000").update(name="=cmd|' /C calc'!A0")
    post(sale(books_be))
    text = trial_balance_csv(queries.trial_balance(books_be))
    assert "'=cmd" in text and ",=cmd" not in text

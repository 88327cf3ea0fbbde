"""CSV and JSON renderings of the ledger's reports, and the FEC rows built from posted lines.

CSV cells are made safe from formula injection (OWASP "CSV injection"): a text cell starting with
= + - @ tab or CR gets a leading quote, so a spreadsheet shows it instead of running it. Amounts
are written as plain numbers, which a spreadsheet cannot mistake for a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mutua.entities.models import Entity
from mutua.ledger.fec import FecLine
from mutua.ledger.models import FiscalYear, Line
from mutua.ledger.queries import ActivityStatement, Statement, TrialBalanceRow, fec_source_lines

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An amount as money() writes it: a negative one starts with "-" but is a number, not a formula.
AMOUNT = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not AMOUNT.fullmatch(value):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def money(value: Decimal) -> str:
    return f"{value:.2f}"


# --- trial balance ------------------------------------------------------------------------------


def trial_balance_json(entity: Entity, on: Any, rows: list[TrialBalanceRow]) -> dict[str, Any]:
    totals: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        total = totals.setdefault(row.currency, {"debit": Decimal(0), "credit": Decimal(0)})
        total["debit"] += row.debit
        total["credit"] += row.credit
    return {
        "entity": entity.code,
        "on": on.isoformat() if on else None,
        "accounts": [
            {
                "code": row.code,
                "name": row.name,
                "kind": row.kind,
                "currency": row.currency,
                "debit": money(row.debit),
                "credit": money(row.credit),
                "balance": money(row.balance),
            }
            for row in rows
        ],
        "totals": {
            currency: {"debit": money(t["debit"]), "credit": money(t["credit"])}
            for currency, t in sorted(totals.items())
        },
    }


def trial_balance_csv(rows: list[TrialBalanceRow]) -> str:
    return csv_text(
        ["account", "name", "currency", "debit", "credit", "balance"],
        (
            [r.code, r.name, r.currency, money(r.debit), money(r.credit), money(r.balance)]
            for r in rows
        ),
    )


# --- statements and general ledger --------------------------------------------------------------

STATEMENT_HEADER = ["account", "date", "entry", "label", "debit", "credit", "balance"]


def _statement_rows(statement: Statement) -> Iterator[list[Any]]:
    for line in statement.lines:
        yield [
            line.account,
            line.date.isoformat(),
            line.reference,
            line.label,
            money(line.debit),
            money(line.credit),
            money(line.running),
        ]


def statements_csv(statements: Iterable[Statement]) -> str:
    return csv_text(STATEMENT_HEADER, (row for s in statements for row in _statement_rows(s)))


def statement_json(statement: Statement) -> dict[str, Any]:
    return {
        "title": statement.title,
        "start": statement.start.isoformat(),
        "end": statement.end.isoformat(),
        "opening": money(statement.opening),
        "closing": money(statement.closing),
        "total_debit": money(statement.total_debit),
        "total_credit": money(statement.total_credit),
        "lines": [
            dict(zip(STATEMENT_HEADER, row, strict=True)) for row in _statement_rows(statement)
        ],
    }


def activity_statement_json(report: ActivityStatement) -> dict[str, Any]:
    return {
        "activity": report.activity.number,
        "came_in": money(report.came_in),
        "went_out": money(report.went_out),
        "balance": money(report.balance),
        **statement_json(report.statement),
    }


# --- FEC ------------------------------------------------------------------------------------------


def fec_lines_of(entity: Entity, fiscal_year: FiscalYear) -> Iterator[FecLine]:
    """The FEC rows of a fiscal year; a client on a line becomes its auxiliary account."""
    line: Line
    for line in fec_source_lines(entity, fiscal_year).iterator(chunk_size=5000):
        entry = line.entry
        yield FecLine(
            journal_code=entry.journal.code,
            journal_label=entry.journal.name,
            entry_number=entry.reference,
            entry_date=entry.date,
            account_code=line.account.code,
            account_label=line.account.name,
            auxiliary_code=f"C{line.client_id:08d}" if line.client_id else "",
            auxiliary_label=line.client.name if line.client else "",
            piece_ref=entry.piece_ref,
            piece_date=entry.piece_date or entry.date,
            label=line.label or entry.label,
            debit=line.debit,
            credit=line.credit,
            valid_date=timezone.localdate(entry.posted_at),
            currency=line.currency,
        )

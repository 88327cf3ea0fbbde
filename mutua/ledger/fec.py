"""The French FEC (fichier des écritures comptables), article A47 A-1 of the Livre des procédures
fiscales: 18 columns in a fixed order, one line per accounting line. Pure: no ORM.

Choices made within what the article allows: tab separator, UTF-8, dates as AAAAMMJJ, amounts
with a decimal comma and no thousands separator, Debit and Credit in separate columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from mutua.core.errors import RuleViolation

HEADER = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
SEPARATOR = "\t"


@dataclass(frozen=True)
class FecLine:
    journal_code: str
    journal_label: str
    entry_number: str
    entry_date: dt.date
    account_code: str
    account_label: str
    auxiliary_code: str
    auxiliary_label: str
    piece_ref: str
    piece_date: dt.date
    label: str
    debit: Decimal
    credit: Decimal
    valid_date: dt.date
    currency: str


def fec_amount(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def fec_date(day: dt.date | None) -> str:
    return day.strftime("%Y%m%d") if day else ""


def fec_text(value: str) -> str:
    """Free text may not contain the separator or a line break."""
    return " ".join(value.replace(SEPARATOR, " ").split())


def fec_row(line: FecLine, book_currency: str) -> list[str]:
    if line.currency != book_currency:
        # The FEC wants the amount in the book currency too; this ledger does not convert.
        raise RuleViolation(f"entry {line.entry_number} is in {line.currency}: not exportable")
    return [
        fec_text(line.journal_code),
        fec_text(line.journal_label),
        fec_text(line.entry_number),
        fec_date(line.entry_date),
        fec_text(line.account_code),
        fec_text(line.account_label),
        fec_text(line.auxiliary_code),
        fec_text(line.auxiliary_label),
        fec_text(line.piece_ref or line.entry_number),
        fec_date(line.piece_date),
        fec_text(line.label),
        fec_amount(line.debit),
        fec_amount(line.credit),
        "",
        "",
        fec_date(line.valid_date),
        "",
        "",
    ]


def fec_lines(lines: Iterable[FecLine], book_currency: str) -> Iterator[str]:
    """The file's lines, header first, each ending with CRLF."""
    yield SEPARATOR.join(HEADER) + "\r\n"
    for line in lines:
        yield SEPARATOR.join(fec_row(line, book_currency)) + "\r\n"


def fec_filename(siren: str, closing: dt.date) -> str:
    """The name the article prescribes: SIREN, 'FEC', closing date of the fiscal year."""
    return f"{siren}FEC{fec_date(closing)}.txt"

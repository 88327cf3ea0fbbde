"""What a bank statement file says, whatever its format. Pure: no ORM.

`read_statement_file` detects the format (CODA or ISO 20022 camt.053), parses it and checks that
each statement adds up (opening balance + movements = closing balance). Anything wrong with the
file itself is a `StatementFileError` naming what is wrong; no other exception leaves this module
(the parsers are fuzzed for that).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from mutua.core.errors import InvalidInput
from mutua.core.money import minor_units

CODA = "coda"
CAMT053 = "camt053"


class StatementFileError(InvalidInput):
    """The file is not a readable statement: truncated, corrupt, or of another format."""

    code = "statement_file_invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


@dataclass(frozen=True, slots=True)
class StatementLineData:
    booking_date: dt.date
    value_date: dt.date
    amount: Decimal  # signed: positive = money in (credit on the account)
    counterparty_name: str = ""
    counterparty_iban: str = ""
    structured_reference: str = ""  # 12 OGM digits or an RF reference, as the bank gave it
    free_text: str = ""
    bank_reference: str = ""


@dataclass(frozen=True, slots=True)
class StatementData:
    iban: str
    currency: str
    number: str  # the bank's statement number (CODA sequence, camt Id or sequence)
    opening_date: dt.date
    opening_balance: Decimal
    closing_date: dt.date
    closing_balance: Decimal
    lines: tuple[StatementLineData, ...]

    @property
    def movement(self) -> Decimal:
        return sum((line.amount for line in self.lines), start=Decimal("0"))


@dataclass(frozen=True, slots=True)
class StatementFile:
    format: str
    digest: str  # sha256 of the bytes
    statements: tuple[StatementData, ...]


def read_statement_file(content: bytes) -> StatementFile:
    """Detect, parse and check a statement file."""
    from mutua.banking import camt, coda

    kind = detect_format(content)
    statements = coda.parse_coda(content) if kind == CODA else camt.parse_camt053(content)
    if not statements:
        raise StatementFileError("the file holds no statement")
    for statement in statements:
        check_statement(statement)
    return StatementFile(kind, hashlib.sha256(content).hexdigest(), tuple(statements))


def detect_format(content: bytes) -> str:
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if head.startswith(b"<"):
        return CAMT053
    if head.startswith(b"00000") and len(head.split(b"\n", 1)[0].rstrip(b"\r")) == 128:
        return CODA
    if not content.strip():
        raise StatementFileError("the file is empty")
    raise StatementFileError("neither a CODA file nor a camt.053 XML statement")


def check_statement(statement: StatementData) -> None:
    """A statement must add up and its amounts must fit its currency."""
    where = f"statement {statement.number or '?'} of {statement.iban or '?'}"
    if not statement.iban:
        raise StatementFileError(f"{where}: no account IBAN")
    if not (len(statement.currency) == 3 and statement.currency.isalpha()):
        raise StatementFileError(f"{where}: no valid currency ({statement.currency!r})")
    quantum = Decimal(1).scaleb(-minor_units(statement.currency))
    amounts = [statement.opening_balance, statement.closing_balance]
    amounts += [line.amount for line in statement.lines]
    if any(amount != amount.quantize(quantum) for amount in amounts):
        raise StatementFileError(f"{where}: amounts have more decimals than {statement.currency}")
    if any(line.amount == 0 for line in statement.lines):
        raise StatementFileError(f"{where}: a movement of zero")
    if statement.opening_balance + statement.movement != statement.closing_balance:
        raise StatementFileError(
            f"{where} does not add up: opening {statement.opening_balance} + movements "
            f"{statement.movement} != closing {statement.closing_balance}"
        )
    if statement.closing_date < statement.opening_date:
        raise StatementFileError(f"{where}: closes before it opens")


def compact(text: str) -> str:
    """Whitespace folded to single spaces: banks pad fields and split lines anywhere."""
    return " ".join(text.split())

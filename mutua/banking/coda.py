"""CODA, the Belgian bank statement (Febelfin "Coded statement of account", version 2.x).

A file is 128-character records: 0 header, 1 old balance, 2.x movements, 3.x information,
4 free communication, 8 new balance, 9 trailer (record count and debit/credit totals). The
records are read by `febelfin-coda`; this module checks the frame around them first (record
lengths and order, a trailer for every header) and the trailer totals after, itself, because the
library checks them with `assert`, which `python -O` removes. Pure: no ORM.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from coda import CODA

from mutua.banking.formats import StatementData, StatementFileError, StatementLineData, compact

RECORD_LENGTH = 128
RECORD_TYPES = frozenset("0123489")
COUNTED_TYPES = frozenset("1238")  # the trailer counts these records
STRUCTURED_OGM = ("101", "102")  # Belgian structured communication (+++ddd/dddd/ddddd+++)
STRUCTURED_RF = "100"  # ISO 11649 creditor reference
LIBRARY_ERRORS = (
    ValueError,
    AssertionError,
    IndexError,
    KeyError,
    TypeError,
    AttributeError,
    ArithmeticError,
)


def parse_coda(content: bytes) -> list[StatementData]:
    records = _records(content)
    _check_frame(records)
    try:
        parsed = CODA(records).statements
        return [_statement(statement, counted) for statement, counted in _paired(parsed, records)]
    except StatementFileError:
        raise
    except AssertionError as exc:
        raise StatementFileError(
            "the CODA file is corrupt: its balances, totals or record count do not agree"
        ) from exc
    except LIBRARY_ERRORS as exc:
        raise StatementFileError(f"the CODA file is corrupt ({type(exc).__name__})") from exc


def _records(content: bytes) -> list[str]:
    # CODA is written in a Windows code page by Belgian banks; a stray byte is replaced so that a
    # name with an odd character does not refuse a whole statement (amounts are plain digits).
    text = content.decode("cp1252", errors="replace")
    records = [line.rstrip("\r") for line in text.split("\n")]
    records = [record for record in records if record.strip()]
    for number, record in enumerate(records, start=1):
        if len(record) != RECORD_LENGTH:
            raise StatementFileError(
                f"CODA record {number} has {len(record)} characters, not {RECORD_LENGTH}: "
                "the file is truncated or corrupt"
            )
        if record[0] not in RECORD_TYPES:
            raise StatementFileError(f"CODA record {number} has an unknown type {record[0]!r}")
    return records


def _check_frame(records: list[str]) -> None:
    """Every statement runs from a header (0) to a trailer (9), with balances 1 and 8."""
    open_statement = False
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        kind = record[0]
        if kind == "0":
            if open_statement:
                raise StatementFileError(f"CODA record {number}: a header before the trailer")
            open_statement, seen = True, set()
        elif not open_statement:
            raise StatementFileError(f"CODA record {number}: a record outside a statement")
        elif kind == "9":
            if not {"1", "8"} <= seen:
                raise StatementFileError(f"CODA record {number}: a statement without balances")
            open_statement = False
        seen.add(kind)
    if open_statement or not records:
        raise StatementFileError("the CODA file ends before its trailer record: it is truncated")


def _paired(statements: list[Any], records: list[str]) -> Iterable[tuple[Any, int]]:
    """Each parsed statement with the number of its records the trailer must count."""
    counts: list[int] = []
    for record in records:
        if record[0] == "0":
            counts.append(0)
        elif record[0] in COUNTED_TYPES:
            counts[-1] += 1
    if len(counts) != len(statements):
        raise StatementFileError("the CODA file's statements could not be told apart")
    return zip(statements, counts, strict=True)


def _statement(statement: Any, counted: int) -> StatementData:
    number = statement.new_sequence or statement.old_sequence or ""
    if statement._account_structure not in ("2", "3"):
        raise StatementFileError(
            f"CODA statement {number}: the account is not given as an IBAN "
            "(ask the bank for CODA 2.x with IBAN account numbers)"
        )
    moves = list(statement.moves)
    _check_trailer(statement, moves, counted, number)
    return StatementData(
        iban=compact(statement.account).replace(" ", "").upper(),
        currency=statement.account_currency.strip().upper(),
        number=number.strip(),
        opening_date=statement.old_balance_date,
        opening_balance=_cents(statement.old_balance),
        closing_date=statement.new_balance_date,
        closing_balance=_cents(statement.new_balance),
        lines=tuple(_line(move) for move in moves),
    )


def _check_trailer(statement: Any, moves: list[Any], counted: int, number: str) -> None:
    credit = sum((m.amount for m in moves if m.amount > 0), start=Decimal("0"))
    debit = -sum((m.amount for m in moves if m.amount < 0), start=Decimal("0"))
    if (statement.total_credit, statement.total_debit) != (credit, debit):
        raise StatementFileError(
            f"CODA statement {number}: the trailer totals (credit {statement.total_credit}, "
            f"debit {statement.total_debit}) differ from the movements ({credit}, {debit})"
        )
    if statement.number_records != counted:
        raise StatementFileError(
            f"CODA statement {number}: the trailer counts {statement.number_records} records, "
            f"the file has {counted}"
        )


def _line(move: Any) -> StatementLineData:
    kind = move.communication_type
    text = move.communication if isinstance(move.communication, str) else ""
    structured = compact(text) if kind in (*STRUCTURED_OGM, STRUCTURED_RF) else ""
    counterparty = (move.counterparty_account or "").split()
    return StatementLineData(
        booking_date=move.entry_date,
        value_date=move.value_date,
        amount=_cents(move.amount),
        counterparty_name=compact(move.counterparty_name or ""),
        counterparty_iban=counterparty[0].upper() if counterparty else "",
        structured_reference=structured,
        free_text="" if structured else compact(text),
        bank_reference=compact(move.bank_reference or ""),
    )


def _cents(value: Decimal) -> Decimal:
    """CODA amounts have three decimals; keep two when the third is zero (it always is in EUR)."""
    rounded = value.quantize(Decimal("0.01"))
    return rounded if rounded == value else value

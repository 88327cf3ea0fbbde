"""Reading CODA 2.6 (Febelfin): records 0, 1, 2.1-2.3, 3.1, 8 and 9 of 128 characters."""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutua.banking.formats import StatementFileError, read_statement_file
from tests.banking.conftest import coda, paid, statement


def record(*fields: str) -> str:
    text = "".join(fields)
    assert len(text) == 128, (len(text), text)
    return text


# One statement written field by field from the Febelfin layout (positions are 1-based there).
IBAN = "BE68539007547034"
ACCOUNT = f"{'BE68539007547034':<31}   EUR"  # structure 2: Belgian IBAN (31) + 3 blanks + currency
FILE = (
    "\r\n".join(
        [
            # 0: header. 6-11 creation date, 12-14 bank id, 15-16 "05", 17 duplicate, 25-34 file
            # reference, 35-60 addressee, 61-71 BIC, 72-82 company id, 84-88 "00000", 128 version 2.
            record(
                "0",
                "0000",
                "100326",
                "300",
                "05",
                " ",
                " " * 7,
                "FILEREF001",
                f"{'MUTUA':<26}",
                "GEBABEBB   ",
                "00403170701",
                " ",
                "00000",
                " " * 16,
                " " * 16,
                " " * 7,
                "2",
            ),
            # 1: old balance. 2 account structure, 3-5 statement number, 6-42 account and currency,
            # 43 sign (0 credit), 44-58 balance (3 decimals), 59-64 date, 65-90 holder, 91-125
            # description, 126-128 CODA sequence.
            record(
                "1",
                "2",
                "042",
                ACCOUNT,
                "0",
                "000000001500000",
                "090326",
                f"{'MUTUA SC':<26}",
                f"{'Compte courant':<35}",
                "042",
            ),
            # 2.1: movement. 3-6 sequence, 7-10 detail, 11-31 bank reference, 32 sign, 33-47 amount,
            # 48-53 value date, 54-61 transaction code, 62 communication type (1 = structured),
            # 63-65 "101" OGM, 66-77 the 12 digits, 116-121 entry date, 122-124 statement number,
            # 125 globalisation, 126 next code, 128 link code.
            record(
                "21",
                "0001",
                "0000",
                f"{'OL9456574JBBNEUBCRCL1':<21}",
                "0",
                "000000001210000",
                "100326",
                "00150000",
                "1",
                "101",
                "260000000170",
                " " * 38,
                "100326",
                "042",
                "0",
                "1",
                " ",
                "0",
            ),
            # 2.2: 11-63 communication (continued), 64-98 customer ref., 99-109 counterparty BIC.
            record(
                "22",
                "0001",
                "0000",
                " " * 53,
                " " * 35,
                "GKCCBEBB   ",
                " " * 3,
                " ",
                " " * 4,
                " " * 4,
                " " * 4,
                "1",
                " ",
                "0",
            ),
            # 2.3: 11-47 counterparty account (IBAN + currency), 48-82 counterparty name.
            record(
                "23",
                "0001",
                "0000",
                f"{'BE71096123456769':<34}EUR",
                f"{'Théâtre de Namur':<35}",
                " " * 43,
                "0",
                " ",
                "1",
            ),
            # 3.1: information, type 001: name and address of the counterparty.
            record(
                "31",
                "0001",
                "0001",
                f"{'OL9456574JBBNEUBCRCL1':<21}",
                "00150000",
                "1",
                "001",
                f"{'Théâtre de Namur':<70}",
                " " * 12,
                "0",
                " ",
                "0",
            ),
            # 2.1 again: a debit (sign 1) with a free communication (type 0).
            record(
                "21",
                "0002",
                "0000",
                f"{'OL9456574JBBNEUBCRCL2':<21}",
                "1",
                "000000000049990",
                "100326",
                "00150000",
                "0",
                f"{'Loyer mars 2026':<53}",
                "100326",
                "042",
                "0",
                "0",
                " ",
                "0",
            ),
            # 8: new balance. 2-4 statement number, 5-41 account, 42 sign, 43-57 balance, 58-63 date
            record("8", "042", ACCOUNT, "0", "000000002660010", "100326", " " * 64, "0"),
            # 9: trailer. 17-22 number of records 1, 2, 3 and 8; 23-37 debits; 38-52 credits.
            record("9", " " * 15, "000007", "000000000049990", "000000001210000", " " * 75, "2"),
        ]
    ).encode("cp1252")
    + b"\r\n"
)


def test_it_reads_a_statement_written_from_the_published_layout() -> None:
    parsed = read_statement_file(FILE)
    assert parsed.format == "coda"
    (only,) = parsed.statements
    assert (only.iban, only.currency, only.number) == ("BE68539007547034", "EUR", "042")
    assert (only.opening_date, only.opening_balance) == (dt.date(2026, 3, 9), Decimal("1500.00"))
    assert (only.closing_date, only.closing_balance) == (dt.date(2026, 3, 10), Decimal("2660.01"))
    credit, debit = only.lines
    assert credit.amount == Decimal("1210.00")
    assert credit.structured_reference == "260000000170"
    assert credit.counterparty_iban == "BE71096123456769"
    assert credit.counterparty_name == "Théâtre de Namur"
    assert credit.bank_reference == "OL9456574JBBNEUBCRCL1"
    assert debit.amount == Decimal("-49.99")
    assert (debit.free_text, debit.structured_reference) == ("Loyer mars 2026", "")


def test_the_writer_and_the_reader_agree() -> None:
    lines = (
        paid("1210.00", reference="260000000170"),
        paid("-12.50", text="Frais bancaires " * 8),
        paid("300.00", reference="RF18539007547034"),
    )
    first = statement(None, *lines, iban=IBAN, currency="EUR")
    second = statement(
        None, paid("5.00", text="x"), number="2", opening="2497.50", iban=IBAN, currency="EUR"
    )
    parsed = read_statement_file(coda(first, second))
    assert [s.number for s in parsed.statements] == ["001", "002"]
    got = parsed.statements[0]
    assert got.lines[0].structured_reference == "260000000170"
    assert got.lines[1].free_text == ("Frais bancaires " * 8).strip()
    assert got.lines[2].structured_reference == "RF18539007547034"
    assert got.closing_balance == first.closing_balance


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda f: f[: len(f) // 2], "truncated"),
        (lambda f: f.rsplit(b"\r\n9", 1)[0] + b"\r\n", "truncated"),
        (lambda f: f.replace(b"000000001210000", b"000000001310000", 1), "totals"),
        (lambda f: f.replace(b"000007", b"000009", 1), "record count"),
        (lambda f: f.replace(b"000000001210000", b"0000000012X0000", 1), "corrupt"),
        (lambda f: f.replace(b"\r\n8042", b"\r\n7042", 1), "unknown type"),
        (lambda f: b"", "empty"),
        (lambda f: b"hello", "neither"),
    ],
)
def test_it_refuses_a_damaged_file_with_a_clear_error(damage: object, message: str) -> None:
    with pytest.raises(StatementFileError, match=message):
        read_statement_file(damage(FILE))  # type: ignore[operator]


def test_a_statement_that_does_not_add_up_is_refused() -> None:
    wrong = FILE.replace(b"0000000026600101003", b"0000000026700101003")
    with pytest.raises(StatementFileError, match=r"does not add up|totals"):
        read_statement_file(wrong)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(FILE) - 1),
    replacement=st.binary(min_size=0, max_size=6),
    cut=st.integers(min_value=0, max_value=len(FILE)),
)
def test_fuzzed_coda_gives_a_statement_or_a_clear_error(
    position: int, replacement: bytes, cut: int
) -> None:
    damaged = (FILE[:position] + replacement + FILE[position + len(replacement) :])[:cut]
    with contextlib.suppress(StatementFileError):
        read_statement_file(damaged)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_give_a_clear_error(content: bytes) -> None:
    with contextlib.suppress(StatementFileError):
        read_statement_file(b"0000" + content)


def test_the_trailer_is_checked_even_when_python_drops_asserts(tmp_path: Path) -> None:
    """febelfin-coda checks totals with `assert`; under `python -O` our own check still holds."""
    damaged = tmp_path / "damaged.cod"
    damaged.write_bytes(FILE.replace(b"000000001210000", b"000000001310000", 1))
    script = (
        "import sys; from mutua.banking.formats import read_statement_file, StatementFileError\n"
        "try:\n    read_statement_file(open(sys.argv[1], 'rb').read())\n"
        "except StatementFileError as exc:\n    print(exc.message)\n"
    )
    done = subprocess.run(
        [sys.executable, "-O", "-c", script, str(damaged)], capture_output=True, text=True
    )
    assert "trailer totals" in done.stdout, done.stderr

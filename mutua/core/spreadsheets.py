"""CSV and XLSX exports that a spreadsheet cannot turn into formulas.

Text that starts with = + - @ or a tab/carriage return would run as a formula when the file is
opened (CSV injection, OWASP): such text is written with a leading apostrophe, which spreadsheets
show as plain text. Numbers stay numbers (a negative amount is a number, not text); XLSX cells are
typed, and XlsxWriter is told never to read strings as formulas or links.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | Decimal | dt.date | None


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_text(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheets read UTF-8


def xlsx_bytes(sheet: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    page = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, title in enumerate(header):
        page.write_string(0, col, safe_text(title), bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            _write(page, r, col, value, dates)
    book.close()
    return out.getvalue()


def _write(page: Any, row: int, col: int, value: Cell, dates: Any) -> None:
    if value is None:
        page.write_blank(row, col, None)
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        page.write_number(row, col, float(value))  # the cell's number; the text stays exact in CSV
    elif isinstance(value, dt.date):
        page.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), dates)
    else:
        page.write_string(row, col, safe_text(str(value)))

"""Euro reference rates from a file, and conversion of an entity's figures into the federation's
reporting currency.

The file is the ECB's reference rates CSV: the history (`eurofxref-hist.csv`: `Date,USD,JPY,...`
with ISO dates) or the daily file (`eurofxref.csv`: `Date, USD, ...` with dates like
`27 November 2026`). Missing values (`N/A`, empty) are skipped. The whole file is checked before
anything is stored; an import replaces the rates of the days it carries (idempotent).

Conversion: flows of a year (turnover, pay, fees) at the average of the year's daily rates,
positions at the end of the year (fund balance, receivables) at the last rate of the year — the
usual convention for translating accounts; the page shows which rate was used.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import Avg

from mutua.core import audit
from mutua.core.audit import action
from mutua.core.errors import InvalidInput
from mutua.reporting.models import ExchangeRate

CURRENCY = re.compile(r"^[A-Z]{3}$")
RATE_PLACES = Decimal("0.000001")
CENT = Decimal("0.01")
MAX_BYTES = 20 * 1024 * 1024


def _day(text: str, row: int) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise InvalidInput(f"line {row}: {text!r} is not a date")


def _rate(text: str, row: int, currency: str) -> Decimal | None:
    text = text.strip()
    if text in ("", "N/A"):
        return None
    try:
        rate = Decimal(text)
    except InvalidOperation as exc:
        raise InvalidInput(f"line {row}: {currency} rate {text!r} is not a number") from exc
    if not rate.is_finite() or rate <= 0:
        raise InvalidInput(f"line {row}: {currency} rate {text!r} must be above zero")
    return rate.quantize(RATE_PLACES, ROUND_HALF_UP)


def parse_rates(data: bytes, *, only: set[str] | None = None) -> list[tuple[str, dt.date, Decimal]]:
    """(currency, day, units per euro) for every value in the file; InvalidInput if malformed."""
    if len(data) > MAX_BYTES:
        raise InvalidInput("the rates file is larger than 20 MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the rates file is not UTF-8 text") from exc
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not rows[0] or rows[0][0].strip() != "Date":
        raise InvalidInput("not an ECB reference rates file: the first column must be 'Date'")
    header = [name.strip() for name in rows[0][1:]]
    columns = [(i, c) for i, c in enumerate(header, start=1) if c and (not only or c in only)]
    for _i, code in columns:
        if not CURRENCY.match(code):
            raise InvalidInput(f"{code!r} in the header is not a currency code")
    rates = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        day = _day(row[0], number)
        for index, code in columns:
            value = _rate(row[index], number, code) if index < len(row) else None
            if value is not None:
                rates.append((code, day, value))
    if not rates:
        raise InvalidInput("the file holds no rate")
    return rates


@action("reporting.import_rates")
def import_rates(
    *, data: bytes, source: str, acting_user: Any = None, only: set[str] | None = None
) -> int:
    """Store the file's rates (replacing those of the same days); returns how many values."""
    rates = parse_rates(data, only=only)
    ExchangeRate.objects.bulk_create(
        [ExchangeRate(currency=c, day=d, per_euro=r, source=source[:100]) for c, d, r in rates],
        update_conflicts=True,
        unique_fields=["currency", "day"],
        update_fields=["per_euro", "source"],
        batch_size=2000,
    )
    audit.record(
        actor=acting_user,
        action="reporting.import_rates",
        after={
            "source": source,
            "values": len(rates),
            "currencies": sorted({c for c, _d, _r in rates}),
            "from": min(d for _c, d, _r in rates),
            "to": max(d for _c, d, _r in rates),
        },
    )
    return len(rates)


# --- conversion ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Conversion:
    """How one currency's figures of a year turn into the reporting currency."""

    currency: str
    target: str
    year: int
    average: Decimal | None  # target units per unit, for flows
    closing: Decimal | None  # target units per unit, for positions
    closing_day: dt.date | None

    @property
    def possible(self) -> bool:
        return self.average is not None and self.closing is not None

    def flow(self, amount: Decimal) -> Decimal:
        assert self.average is not None
        return (amount * self.average).quantize(CENT, ROUND_HALF_UP)

    def position(self, amount: Decimal) -> Decimal:
        assert self.closing is not None
        return (amount * self.closing).quantize(CENT, ROUND_HALF_UP)


def _per_euro(currency: str, year: int) -> tuple[Decimal | None, Decimal | None, dt.date | None]:
    if currency == "EUR":
        return Decimal(1), Decimal(1), dt.date(year, 12, 31)
    rates = ExchangeRate.objects.filter(currency=currency, day__year=year)
    average = rates.aggregate(a=Avg("per_euro"))["a"]
    last = rates.order_by("-day").first()
    if average is None or last is None:
        return None, None, None
    return Decimal(average), last.per_euro, last.day


def conversion(currency: str, target: str, year: int) -> Conversion:
    """Cross rates through the euro: target per unit = (target per euro) / (currency per euro)."""
    if currency == target:
        return Conversion(currency, target, year, Decimal(1), Decimal(1), dt.date(year, 12, 31))
    src_avg, src_close, src_day = _per_euro(currency, year)
    dst_avg, dst_close, dst_day = _per_euro(target, year)
    if None in (src_avg, src_close, dst_avg, dst_close):
        return Conversion(currency, target, year, None, None, None)
    assert src_avg and src_close and dst_avg and dst_close
    return Conversion(
        currency,
        target,
        year,
        dst_avg / src_avg,  # unrounded: only converted amounts are rounded, to the cent
        dst_close / src_close,
        min(d for d in (src_day, dst_day) if d is not None),
    )

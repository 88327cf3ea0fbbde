"""Demo exchange rates for the federation view: one value per month end of last year and this
year for SEK, HUF and USD, in the ECB file's layout and imported through the real import.

These are round demo values near the usual level of each currency, recorded with the source
"demo rates (approximate, not ECB)": a real installation imports the ECB's file instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from decimal import Decimal

from mutua.reporting.models import ExchangeRate
from mutua.reporting.rates import import_rates

LEVELS = {"SEK": Decimal("11.30"), "HUF": Decimal("400.0"), "USD": Decimal("1.10")}
SOURCE = "demo rates (approximate, not ECB)"


def build_rates_demo(today: dt.date, rng: random.Random) -> int:
    if ExchangeRate.objects.exists():
        return 0
    lines = ["Date," + ",".join(LEVELS) + ","]
    for year in (today.year - 1, today.year):
        for month in range(1, 13):
            day = dt.date(year, month, calendar.monthrange(year, month)[1])
            if day > today:
                break
            values = [
                (level * Decimal(1 + rng.uniform(-0.03, 0.03))).quantize(Decimal("0.0001"))
                for level in LEVELS.values()
            ]
            lines.append(f"{day.isoformat()}," + ",".join(str(v) for v in values) + ",")
    return import_rates(data="\n".join(lines).encode(), source=SOURCE)

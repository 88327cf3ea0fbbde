"""Income smoothing forecast: how many months an activity's budget pays its monthly contracts.

Pure: the budget and the monthly work budgets come in as Decimals. A warning is raised while
there is still time to act (fewer than WARN_MONTHS months left), not when the money is gone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

WARN_MONTHS = 3


@dataclass(frozen=True)
class SmoothingForecast:
    monthly_cost: Decimal
    full_months: int  # whole months the budget pays, from the next month on
    last_paid_month: dt.date | None  # first day of the last month fully paid
    warn: bool


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.month - 1 + count
    return dt.date(month.year + index // 12, index % 12 + 1, 1)


def smoothing_forecast(
    *, budget: Decimal, monthly_work_budgets: list[Decimal], next_month: dt.date
) -> SmoothingForecast | None:
    """None when the activity pays no monthly contract."""
    monthly = sum(monthly_work_budgets, start=Decimal("0"))
    if monthly <= 0:
        return None
    full = max(int(budget // monthly), 0)
    last = add_months(next_month.replace(day=1), full - 1) if full else None
    return SmoothingForecast(monthly, full, last, warn=full < WARN_MONTHS)

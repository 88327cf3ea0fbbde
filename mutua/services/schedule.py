"""Loan repayment schedules. Pure: no ORM.

Monthly instalments, interest at the yearly rate / 12 on the capital still owed, rounded half up
to the cent each month. Annuity: every instalment is the same (the annuity formula, rounded to
the cent); linear: every capital repayment is the same (rounded down to the cent). In both the
last instalment repays exactly what is left, so it absorbs the rounding and the capital repaid
always adds up to the amount lent.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ANNUITY = "annuity"
LINEAR = "linear"


@dataclass(frozen=True)
class ScheduledInstalment:
    number: int
    due_date: dt.date
    principal: Decimal
    interest: Decimal

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest


def repayment_schedule(
    *, principal: Decimal, annual_rate: Decimal, months: int, method: str, first_due: dt.date
) -> list[ScheduledInstalment]:
    if principal <= 0 or principal != principal.quantize(CENT):
        raise ValueError("the principal is a positive amount in cents")
    if months <= 0 or annual_rate < 0:
        raise ValueError("the term is at least one month and the rate is not negative")
    if method not in (ANNUITY, LINEAR):
        raise ValueError(f"unknown repayment method {method!r}")
    rate = annual_rate / 12
    level = _annuity(principal, rate, months) if method == ANNUITY else None
    capital = (principal / months).quantize(CENT, rounding=ROUND_DOWN)
    owed = principal
    result = []
    for number in range(1, months + 1):
        interest = (owed * rate).quantize(CENT, rounding=ROUND_HALF_UP)
        if number == months:
            repaid = owed
        elif level is not None:
            repaid = min(max(level - interest, Decimal(0)), owed)
        else:
            repaid = capital
        result.append(
            ScheduledInstalment(number, add_months(first_due, number - 1), repaid, interest)
        )
        owed -= repaid
    return result


def _annuity(principal: Decimal, rate: Decimal, months: int) -> Decimal:
    if rate == 0:
        return (principal / months).quantize(CENT, rounding=ROUND_HALF_UP)
    payment = principal * rate / (1 - (1 + rate) ** -months)
    return payment.quantize(CENT, rounding=ROUND_HALF_UP)


def total_interest(schedule: list[ScheduledInstalment]) -> Decimal:
    return sum((i.interest for i in schedule), Decimal(0))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

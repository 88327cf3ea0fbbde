"""Pure rules of contract making: days of an order form, budget split, minimum day pay."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from mutua.core.errors import RuleViolation
from mutua.core.pay import ZERO
from mutua.payroll.payslip import split


def working_days(start: dt.date, days: Decimal) -> list[tuple[dt.date, Decimal]]:
    """One day contract per working day, from the first day on: whole days, then the part day.

    An order form says how many days are worked between two dates, not which ones; the
    contracts take the first days of the range (the engagement checks that they fit).
    """
    whole = int(days.to_integral_value(rounding=ROUND_CEILING))
    result = []
    for n in range(whole):
        share = min(days - n, Decimal(1))
        result.append((start + dt.timedelta(days=n), share))
    return result


def split_budget(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """The work budget of each day contract, in proportion to its share of a day, to the cent."""
    return split(total, shares)


def check_day_pay(
    *, gross: Decimal, days: Decimal, minimum: Decimal | None, worker: str, on: dt.date
) -> None:
    """Refuse a day contract paying less than the minimum gross for a full working day."""
    if minimum is None or days <= 0:
        return
    if gross < minimum * days:  # compared exactly: no rounding may lift a day over the minimum
        per_day = (gross / days).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        raise RuleViolation(
            f"a working day would pay {per_day} gross, below the minimum of {minimum} for a "
            f"{worker} on {on.isoformat()}: raise the amount or declare fewer working days",
            field="amount_excl_vat",
        )


def order_form_work_budget(
    *, invoiced: Decimal, fee: Decimal, reinvoiced_expenses: Decimal
) -> Decimal:
    """W = I − fee − E (DESIGN.md §3): what the order form brings to pay its contracts."""
    budget = invoiced - fee - reinvoiced_expenses
    if budget <= ZERO:
        raise RuleViolation("the order form leaves no work budget after the fee and expenses")
    return budget

"""An activity's budget over time, read from the ledger's balance aggregate in one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from mutua.activities.models import Activity
from mutua.core import clock
from mutua.ledger.models import Balance


def month_ends(last: dt.date, months: int) -> list[dt.date]:
    """The last `months` month starts up to the month of `last`, oldest first."""
    starts = []
    year, month = last.year, last.month
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def monthly_balance(
    activity: Activity, *, last: dt.date, months: int = 24
) -> list[tuple[str, Decimal]]:
    """The activity's available budget at the end of each of the last `months` months."""
    rows = (
        Balance.objects.filter(
            entity_id=activity.entity_id,
            dimension="activity",
            dimension_id=activity.pk,
            account__counts_in_budget=True,
            day__lte=last,
        )
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    movement = {_as_date(row["month"]): row["credit"] - row["debit"] for row in rows}
    starts = month_ends(last, months)
    running = sum((amount for month, amount in movement.items() if month < starts[0]), Decimal("0"))
    series = []
    for start in starts:
        running += movement.get(start, Decimal("0"))
        series.append((start.strftime("%m/%y"), running))
    return series


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class BudgetViews:
    """The three views of an activity's budget (DESIGN.md §3), all from the ledger and the
    fund's records, never stored apart."""

    invoiced: Decimal  # the activity's share of its issued invoices not collected yet
    available: Decimal  # collected income less fee, pay, expenses and charges booked
    guaranteed: Decimal  # what the fund advanced or may still advance on confirmed work

    @property
    def payable(self) -> Decimal:
        """What payroll may still turn into pay: available plus guaranteed."""
        return self.available + self.guaranteed


def budget_views(activity: Activity, on: dt.date | None = None) -> BudgetViews:
    """Read in four queries: the ledger budget and the fund's view of the unpaid invoices."""

    from mutua.fund.queries import cover_book
    from mutua.ledger.queries import activity_balance

    book = cover_book(activity.entity, [activity.pk], on or clock.today())
    invoiced = book.uncollected(activity.pk)
    advanced = book.advanced(activity.pk)
    return BudgetViews(
        invoiced=invoiced,
        available=activity_balance(activity) - invoiced,
        guaranteed=advanced + book.guaranteed(activity.pk),
    )

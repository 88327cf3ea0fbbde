"""The home page's activity cards: budget available now and what clients still owe."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from mutua.activities.budget import budget_views
from mutua.activities.models import Activity
from mutua.activities.queries import activities_of
from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.core.money import in_minor_units
from mutua.core.pay import PayResult
from mutua.invoicing.models import Invoice
from mutua.invoicing.queries import OPEN_STATUSES
from mutua.members.models import Person
from mutua.reporting.member import pay_from_budget


@dataclass(frozen=True)
class ActivityCard:
    activity: Activity
    available: Decimal
    awaiting: Decimal
    guaranteed: Decimal = Decimal("0.00")  # what the guarantee fund advances or may advance
    next_month: PayResult | None = None  # what the budget payable now would pay


def activity_cards(user: Any, person: Person | None = None) -> list[ActivityCard]:
    activities = list(activities_of(user).order_by("entity__code", "number")[:20])
    awaiting = dict(
        Invoice.objects.filter(activity__in=activities, kind="invoice", status__in=OPEN_STATUSES)
        .values_list("activity_id")
        .annotate(total=Sum("total_gross"))
    )
    cards = []
    today = clock.today()
    for a in activities:
        views = budget_views(a, today)
        cards.append(
            ActivityCard(
                a,
                in_minor_units(views.available, a.entity.currency),
                # A database sum: SQLite adds decimals in floating point, so back to cents.
                Decimal(awaiting.get(a.pk) or 0).quantize(Decimal("0.01")),
                views.guaranteed,
                _next_month(person, a, views.payable),
            )
        )
    return cards


def _next_month(person: Person | None, activity: Activity, payable: Decimal) -> PayResult | None:
    """The month's salary what is payable (available + guaranteed) would pay, today's rules."""
    if person is None or payable <= 0:
        return None
    try:
        return pay_from_budget(person, activity, payable, clock.today())
    except DomainError:  # no payroll rules for the entity's country: no estimate
        return None

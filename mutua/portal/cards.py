"""The home page's activity cards: budget available now and what clients still owe."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from mutua.activities.models import Activity
from mutua.activities.queries import activities_of
from mutua.core.errors import DomainError
from mutua.core.money import in_minor_units
from mutua.invoicing.models import Invoice
from mutua.invoicing.queries import OPEN_STATUSES
from mutua.ledger.queries import activity_balance
from mutua.members.models import Person
from mutua.payroll.calc import PayResult
from mutua.reporting.member import pay_from_budget


@dataclass(frozen=True)
class ActivityCard:
    activity: Activity
    available: Decimal
    awaiting: Decimal
    next_month: PayResult | None = None  # what the budget available now would pay


def activity_cards(user: Any, person: Person | None = None) -> list[ActivityCard]:
    activities = list(activities_of(user).order_by("entity__code", "number")[:20])
    awaiting = dict(
        Invoice.objects.filter(activity__in=activities, kind="invoice", status__in=OPEN_STATUSES)
        .values_list("activity_id")
        .annotate(total=Sum("total_gross"))
    )
    cards = []
    for a in activities:
        available = in_minor_units(activity_balance(a), a.entity.currency)
        cards.append(
            ActivityCard(
                a,
                available,
                awaiting.get(a.pk, Decimal("0.00")),
                _next_month(person, a, available),
            )
        )
    return cards


def _next_month(person: Person | None, activity: Activity, available: Decimal) -> PayResult | None:
    """The month's salary the available budget would pay, with the rules of today."""
    if person is None or available <= 0:
        return None
    try:
        return pay_from_budget(person, activity, available, timezone.localdate())
    except DomainError:  # no payroll rules for the entity's country: no estimate
        return None

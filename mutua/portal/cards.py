"""The home page's activity cards: budget available now and what clients still owe."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from mutua.activities.models import Activity
from mutua.activities.queries import activities_of
from mutua.core.money import in_minor_units
from mutua.invoicing.models import Invoice
from mutua.invoicing.queries import OPEN_STATUSES
from mutua.ledger.queries import activity_balance


@dataclass(frozen=True)
class ActivityCard:
    activity: Activity
    available: Decimal
    awaiting: Decimal


def activity_cards(user: Any) -> list[ActivityCard]:
    activities = list(activities_of(user).order_by("entity__code", "number")[:20])
    awaiting = dict(
        Invoice.objects.filter(activity__in=activities, kind="invoice", status__in=OPEN_STATUSES)
        .values_list("activity_id")
        .annotate(total=Sum("total_gross"))
    )
    return [
        ActivityCard(
            a,
            in_minor_units(activity_balance(a), a.entity.currency),
            awaiting.get(a.pk, Decimal("0.00")),
        )
        for a in activities
    ]

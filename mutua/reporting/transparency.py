"""The transparency page: what the fees of an entity's members brought in during a year and what
they paid for, and how the guarantee fund stood — read from the ledger, for every member.

"What they paid for" is the entity's own spending: expense lines of the year booked on no
activity (the activities' own costs are the members' business, not the cooperative's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from mutua.entities.models import Entity
from mutua.ledger.models import Line
from mutua.members.queries import member_entities
from mutua.reporting.indicators import Indicators, entity_indicators
from mutua.reporting.queries import reporting_entities

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Spending:
    account: str
    name: str
    amount: Decimal


@dataclass(frozen=True)
class Transparency:
    entity: Entity
    year: int
    figures: Indicators
    spending: list[Spending]

    @property
    def spent(self) -> Decimal:
        return sum((s.amount for s in self.spending), start=Decimal("0.00"))


def transparency_entities(user: Any) -> QuerySet[Entity]:
    """The entities a member belongs (or belonged) to, and those a staff member reports on."""
    mine = Q(pk__in=member_entities(user).values("pk"))
    return Entity.objects.filter(mine | Q(pk__in=reporting_entities(user).values("pk"))).order_by(
        "code"
    )


def transparency(entity: Entity, year: int) -> Transparency:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (
        Line.objects.filter(
            entity=entity,
            date__range=(start, end),
            activity__isnull=True,
            account__kind="expense",
            currency=entity.currency,
        )
        .values("account__code", "account__name")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by("account__code")
    )
    spending = [
        Spending(r["account__code"], r["account__name"], _cents(r["debit"]) - _cents(r["credit"]))
        for r in rows
    ]
    return Transparency(
        entity, year, entity_indicators(entity, year), [s for s in spending if s.amount]
    )


def _cents(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT)

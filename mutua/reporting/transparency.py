"""The transparency page: what the fees of an entity's members brought in during a year and what
they paid for, and how the guarantee fund stood — read from the ledger, for every member.

"What they paid for" is the entity's own spending: expense movements of the year not booked on
an activity (the activities' own costs are the members' business, not the cooperative's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from mutua.entities.models import Entity
from mutua.ledger.models import Account, Balance
from mutua.members.queries import member_entities
from mutua.reporting.indicators import Indicators, db_cents, ledger_indicators
from mutua.reporting.queries import reporting_entities


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
    """The entity's own spending: each expense account's movements of the year (the balance
    aggregate, every line) less those booked on an activity (the activity dimension)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    expense = Account.objects.filter(entity=entity, kind="expense")
    rows = Balance.objects.filter(
        entity=entity,
        account__in=expense,
        currency=entity.currency,
        day__range=(start, end),
        dimension__in=("", "activity"),
    )
    totals = rows.values("account_id", "dimension").annotate(d=Sum("debit"), c=Sum("credit"))
    own: dict[int, Decimal] = {}
    for row in totals:
        sign = 1 if row["dimension"] == "" else -1
        own[row["account_id"]] = own.get(row["account_id"], Decimal(0)) + sign * (
            db_cents(row["d"]) - db_cents(row["c"])
        )
    names = {a.pk: a for a in expense}
    spending = [
        Spending(names[pk].code, names[pk].name, amount) for pk, amount in own.items() if amount
    ]
    spending.sort(key=lambda s: s.account)
    return Transparency(entity, year, ledger_indicators(entity, year), spending)

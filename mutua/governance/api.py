"""API endpoints of the governance app, mounted under /api/v1/ by mutua.api.api.

Each endpoint returns the caller's own records only (their holdings, their assemblies' items and
their own votes); ballots are public only on a closed election's board."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from mutua.governance import queries

router = Router(tags=["governance"])


class HoldingOut(Schema):
    share_class: str
    quantity: int
    paid_up: Decimal
    currency: str


class HolderOut(Schema):
    id: int
    entity: str
    number: int
    name: str
    registered_on: dt.date
    holdings: list[HoldingOut]


@router.get("/governance/shares", response=list[HolderOut])
def my_shares(request: HttpRequest) -> list[dict[str, object]]:
    """The caller's shares in each entity where they are in the register."""
    return [
        {
            "id": holder.pk,
            "entity": holder.entity.code,
            "number": holder.number,
            "name": holder.name,
            "registered_on": holder.registered_on,
            "holdings": [
                {
                    "share_class": h.share_class.code,
                    "quantity": h.quantity,
                    "paid_up": h.paid_up,
                    "currency": h.share_class.currency,
                }
                for h in queries.holdings(holder)
            ],
        }
        for holder in queries.my_holders(request.user)
    ]

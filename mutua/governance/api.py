"""API endpoints of the governance app, mounted under /api/v1/ by mutua.api.api.

Each endpoint returns the caller's own records only (their holdings, their assemblies' items and
their own votes); ballots are public only on a closed election's board."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from mutua.core.errors import NotFound
from mutua.governance import assembly_queries as aq
from mutua.governance import queries
from mutua.governance.assembly_actions import cast_vote
from mutua.governance.models import Assembly

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


class ItemOut(Schema):
    id: int
    position: int
    title: str
    status: str
    needs_vote: bool
    majority: str
    majority_base: str
    adopted: bool | None


class AssemblyOut(Schema):
    id: int
    entity: str
    kind: str
    title: str
    starts_at: dt.datetime
    status: str
    stream_url: str
    items: list[ItemOut]


class VoteIn(Schema):
    participant: int
    choice: str


class VoteOut(Schema):
    item: int
    participant: int
    choice: str


def _assembly_out(assembly: Assembly, stream: bool) -> dict[str, object]:
    return {
        "id": assembly.pk,
        "entity": assembly.entity.code,
        "kind": assembly.kind,
        "title": assembly.title,
        "starts_at": assembly.starts_at,
        "status": assembly.status,
        # The stream link is for participants, once the session is open.
        "stream_url": assembly.stream_url if stream else "",
        "items": list(assembly.items.order_by("position")),
    }


@router.get("/governance/assemblies", response=list[AssemblyOut])
def my_assemblies(request: HttpRequest) -> list[dict[str, object]]:
    """The assemblies where the caller is on the roll, holds a proxy, or sits on the board."""
    assemblies = aq.visible_assemblies(request.user).select_related("entity").order_by("-starts_at")
    return [_assembly_out(a, a.status == "open") for a in assemblies[:50]]


@router.post("/governance/items/{item_id}/votes", response={201: VoteOut})
def vote(request: HttpRequest, item_id: int, payload: VoteIn) -> Status[dict[str, object]]:
    """Vote on an open item for oneself or for a principal whose proxy one holds."""
    item = aq.access_item(request.user, item_id)
    lines = {line.pk: line for line in aq.voting_for(request.user, item.assembly)}
    line = lines.get(payload.participant)
    if line is None:
        raise NotFound("not on your roll")
    cast_vote(item=item, participant=line, choice=payload.choice, acting_user=request.user)
    return Status(201, {"item": item.pk, "participant": line.pk, "choice": payload.choice})

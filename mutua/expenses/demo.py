"""Demo expense claims: for the entity's first activities, one claim in each state (draft,
submitted, approved, rejected) with small generated receipts, through the product's actions.

Call `build_expenses_demo(entity, rng)` after the money loop (it needs activities with income
and an adviser). A claim the activity's budget cannot carry is left out, as the product would.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from decimal import Decimal
from typing import Any

from mutua.activities.models import ActivityParticipant
from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.expenses import actions
from mutua.expenses.actions import LineInput
from mutua.expenses.models import Claim
from mutua.members.models import StaffRole

STATES = ("draft", "submitted", "approved", "rejected")
SUPPLIERS = ("Café du Parc", "SNCB / NMBS", "Papeterie Centrale", "Hôtel de la Gare")


def build_expenses_demo(entity: Entity, rng: random.Random) -> dict[str, int]:
    """A few claims in each state; returns how many claims of each state were made. An entity
    that already has claims is left as it is (the demo can be built again)."""
    counts = {f"expenses_{state}": 0 for state in STATES}
    if Claim.objects.filter(entity=entity).exists():
        return counts
    adviser = (
        StaffRole.objects.filter(entity=entity, role=Role.ADVISER).select_related("user").first()
    )
    holders = (
        ActivityParticipant.objects.filter(activity__entity=entity, role="holder")
        .select_related("activity__entity", "person__user")
        .order_by("activity__number")[:4]
    )
    today = clock.today()
    for index, holder in enumerate(holders):
        state = STATES[index % len(STATES)]
        try:
            _claim(holder, state, adviser.user if adviser else None, rng, today, index)
        except DomainError:
            continue  # e.g. the activity's budget is too small: the product would refuse too
        counts[f"expenses_{state}"] += 1
    return counts


def _claim(
    holder: ActivityParticipant,
    state: str,
    adviser: Any,
    rng: random.Random,
    today: dt.date,
    index: int,
) -> Claim:
    user, activity = holder.person.user, holder.activity
    scale = Decimal(10) if activity.entity.currency == "SEK" else Decimal(1)
    day = max(today - dt.timedelta(days=rng.randrange(3, 20)), today.replace(day=1))
    lines = [
        LineInput(
            date=day,
            category="meals",
            description="Lunch with the organisers",
            amount=(Decimal(rng.randrange(1500, 4500)) / 100 * scale).quantize(Decimal("0.01")),
            vat_rate=Decimal("12") if activity.entity.country == "BE" else Decimal("10"),
            supplier=SUPPLIERS[index % len(SUPPLIERS)],
        ),
        LineInput(
            date=day, category="mileage", description="Trip to the venue", quantity=Decimal(42)
        ),
    ]
    claim = actions.create_claim(
        actor=user,
        activity=activity,
        title=f"Expenses of {day:%B %Y}",
        lines=lines,
        refund_mode="with_pay" if index % 2 else "payout",
    )
    content, name = _receipt(index, rng, activity.entity.code)
    actions.add_receipt(actor=user, claim=claim, content=content, file_name=name)
    if state == "draft":
        return claim
    claim = actions.submit_claim(actor=user, claim=claim)
    if state == "approved" and adviser is not None:
        return actions.approve_claim(actor=adviser, claim=claim)
    if state == "rejected" and adviser is not None:
        return actions.reject_claim(
            actor=adviser, claim=claim, reason="The receipt is not made out to the cooperative."
        )
    return claim


def _receipt(index: int, rng: random.Random, code: str) -> tuple[bytes, str]:
    """A small receipt, unique per claim: a PDF, or a PNG as a phone photo would be."""
    mark = f"{code}-{index}-{rng.randrange(10**9)}"
    if index % 2:
        return _png(mark), f"IMG_{index:04d}.png"
    text = f"Mutua demo receipt {mark}"
    pdf = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        f"% {text}\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return pdf.encode(), f"receipt-{index}.pdf"


def _png(mark: str) -> bytes:
    """A 2x2 grey PNG whose text chunk makes it unique."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80\x80" * 2)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + mark.encode())
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )

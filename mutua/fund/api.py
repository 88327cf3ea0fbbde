"""API endpoints of the fund app, mounted under /api/v1/ by mutua.api.api.

Staff of the entity read the fund in detail and write debts off; members of the entity read the
aggregate figures only (the transparency page). Anything else is 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from mutua.fund import queries
from mutua.fund.actions import write_off_debt

router = Router(tags=["fund"])


class WriteOffIn(Schema):
    reason: str


class WriteOffOut(Schema):
    invoice: str
    amount: Decimal
    covered: Decimal
    uncovered: Decimal
    written_on: str


@router.get("/fund/{entity_id}/figures")
def fund_figures(request: HttpRequest, entity_id: int) -> dict[str, Any]:
    """Balance, exposure, ageing, losses, coverage and twelve months of history (staff)."""
    entity = queries.access_fund(request.user, entity_id)
    return queries.fund_figures(entity, timezone.localdate()).as_json()


@router.get("/fund/{entity_id}/summary")
def fund_summary(request: HttpRequest, entity_id: int) -> dict[str, Any]:
    """The aggregate figures every member of the entity may see."""
    entity = queries.access_fund_summary(request.user, entity_id)
    return queries.public_figures(entity, timezone.localdate())


@router.post("/fund/invoices/{invoice_id}/write-off", response=WriteOffOut)
def write_off(request: HttpRequest, invoice_id: int, data: WriteOffIn) -> dict[str, Any]:
    invoice = queries.access_invoice_for_write_off(request.user, invoice_id)
    done = write_off_debt(invoice=invoice, reason=data.reason, acting_user=request.user)
    return {
        "invoice": invoice.number or "",
        "amount": done.amount,
        "covered": done.covered,
        "uncovered": done.uncovered,
        "written_on": done.written_on.isoformat(),
    }

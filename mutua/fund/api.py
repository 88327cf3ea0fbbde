"""API endpoints of the fund app, mounted under /api/v1/ by mutua.api.api.

Staff of the entity read the fund in detail and write debts off; members of the entity read the
aggregate figures only (the transparency page). Anything else is 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema

from mutua.core import clock
from mutua.core.inputs import MoneyIn, TextInput
from mutua.fund import advances, queries
from mutua.fund.actions import write_off_debt
from mutua.fund.models import AdvanceRequest

router = Router(tags=["fund"])


class WriteOffIn(Schema):
    reason: Annotated[str, TextInput(max_length=300, multiline=True)]


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
    return queries.fund_figures(entity, clock.today()).as_json()


@router.get("/fund/{entity_id}/summary")
def fund_summary(request: HttpRequest, entity_id: int) -> dict[str, Any]:
    """The aggregate figures every member of the entity may see."""
    entity = queries.access_fund_summary(request.user, entity_id)
    return queries.public_figures(entity, clock.today())


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


class AdvanceIn(Schema):
    amount: MoneyIn  # up to 10,000,000.00; the policy's room is the action's rule


class RefusalIn(Schema):
    reason: Annotated[str, TextInput(max_length=300, multiline=True)]


class AdvanceOut(Schema):
    id: int
    order_form: int
    amount: Decimal
    status: str
    refusal_reason: str
    recovered: Decimal


def _advance(request: AdvanceRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "order_form": request.order_form_id,
        "amount": request.amount,
        "status": request.status,
        "refusal_reason": request.refusal_reason,
        "recovered": request.recovered,
    }


@router.get("/fund/advance-requests", response=list[AdvanceOut])
def advance_requests(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's own requests, and those of the entities where they decide."""
    return [_advance(r) for r in advances.visible_requests(request.user).order_by("-pk")[:200]]


@router.post("/fund/order-forms/{order_form_id}/advance-requests", response=AdvanceOut)
def ask_for_advance(request: HttpRequest, order_form_id: int, data: AdvanceIn) -> dict[str, Any]:
    order = advances.access_order_form_for_advance(request.user, order_form_id)
    return _advance(advances.request_advance(actor=request.user, order=order, amount=data.amount))


@router.post("/fund/advance-requests/{request_id}/approve", response=AdvanceOut)
def approve_advance(request: HttpRequest, request_id: int) -> dict[str, Any]:
    found = advances.access_advance_request(request.user, request_id)
    return _advance(advances.approve_advance(actor=request.user, request=found))


@router.post("/fund/advance-requests/{request_id}/refuse", response=AdvanceOut)
def refuse_advance(request: HttpRequest, request_id: int, data: RefusalIn) -> dict[str, Any]:
    found = advances.access_advance_request(request.user, request_id)
    return _advance(advances.refuse_advance(actor=request.user, request=found, reason=data.reason))

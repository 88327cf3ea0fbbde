"""API endpoints of the payroll app, mounted under /api/v1/ by mutua.api.api: copyright payments
(preview, request, approve, refuse) and annual documents. The same access functions and actions
as the pages; never another member's data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from mutua.activities.queries import activities_of
from mutua.core import clock
from mutua.core.errors import NotFound
from mutua.core.inputs import MoneyIn, TextInput
from mutua.members.queries import person_of
from mutua.payroll import annual
from mutua.payroll import copyright as cr
from mutua.payroll.models import CopyrightPayment

router = Router(tags=["payroll"])


class CopyrightIn(Schema):
    activity_id: int
    gross: MoneyIn  # up to 10,000,000.00; the regime's ceiling is the action's rule
    work: Annotated[str, TextInput(max_length=200, required=False)] = ""


class CopyrightFiguresOut(Schema):
    gross: Decimal
    flat_costs: Decimal
    taxable: Decimal
    withholding: Decimal
    net: Decimal


class CopyrightPreviewOut(Schema):
    figures: CopyrightFiguresOut
    most: Decimal
    budget: Decimal
    share_left: Decimal
    ceiling_left: Decimal
    share: Decimal


class CopyrightOut(Schema):
    id: int
    reference: str
    entity: str
    activity_id: int
    person_id: int
    work: str
    status: str
    paid_on: dt.date
    currency: str
    gross: Decimal
    flat_costs: Decimal
    taxable: Decimal
    withholding: Decimal
    net: Decimal
    refusal_reason: str


class RefuseIn(Schema):
    reason: Annotated[str, TextInput(max_length=300, multiline=True)]


def _out(payment: CopyrightPayment) -> dict[str, Any]:
    names = ("work", "status", "paid_on", "currency", "gross", "flat_costs", "taxable")
    return {
        "id": payment.pk,
        "reference": payment.reference,
        "entity": payment.entity.code,
        "activity_id": payment.activity_id,
        "person_id": payment.person_id,
        "withholding": payment.withholding,
        "net": payment.net,
        "refusal_reason": payment.refusal_reason,
        **{name: getattr(payment, name) for name in names},
    }


def _activity(request: HttpRequest, activity_id: int) -> Any:
    activity = activities_of(request.user).select_related("entity").filter(pk=activity_id).first()
    if activity is None:
        raise NotFound("no such activity")
    return activity


@router.get("/copyright-payments", response=list[CopyrightOut])
def list_copyright_payments(request: HttpRequest) -> list[dict[str, Any]]:
    """The member's own payments, and those of the entities where the user is staff."""
    own = cr.member_copyright_payments(request.user)
    staff = cr.staff_copyright_payments(request.user)
    rows = (own | staff).distinct().select_related("entity").order_by("-id")[:500]
    return [_out(p) for p in rows]


@router.get("/copyright-payments/{int:payment_id}", response=CopyrightOut)
def get_copyright_payment(request: HttpRequest, payment_id: int) -> dict[str, Any]:
    return _out(cr.access_copyright_payment(request.user, payment_id))


@router.post("/copyright-payments/preview", response=CopyrightPreviewOut)
def preview_copyright_payment(request: HttpRequest, payload: CopyrightIn) -> dict[str, Any]:
    person = person_of(request.user)
    if person is None:
        raise NotFound("no such activity")
    activity = _activity(request, payload.activity_id)
    preview = cr.preview_copyright(activity, person, payload.gross, clock.today())
    room = preview.room
    return {
        "figures": preview.figures,
        "most": room.most,
        "budget": room.budget,
        "share_left": room.share_left,
        "ceiling_left": room.ceiling_left,
        "share": preview.share,
    }


@router.post("/copyright-payments", response={201: CopyrightOut})
def request_copyright_payment(request: HttpRequest, payload: CopyrightIn) -> Status[dict[str, Any]]:
    payment = cr.request_copyright_payment(
        acting_user=request.user,
        activity=_activity(request, payload.activity_id),
        gross=payload.gross,
        work=payload.work,
    )
    return Status(201, _out(payment))


@router.post("/copyright-payments/{int:payment_id}/approve", response=CopyrightOut)
def approve_copyright_payment(request: HttpRequest, payment_id: int) -> dict[str, Any]:
    payment = cr.access_copyright_payment(request.user, payment_id)
    return _out(cr.approve_copyright_payment(acting_user=request.user, payment=payment))


@router.post("/copyright-payments/{int:payment_id}/refuse", response=CopyrightOut)
def refuse_copyright_payment(
    request: HttpRequest, payment_id: int, payload: RefuseIn
) -> dict[str, Any]:
    payment = cr.access_copyright_payment(request.user, payment_id)
    return _out(
        cr.refuse_copyright_payment(
            acting_user=request.user, payment=payment, reason=payload.reason
        )
    )


@router.get("/annual-documents/{int:entity_id}/{int:year}/{kind}/{int:person_id}")
def get_annual_document(
    request: HttpRequest, entity_id: int, year: int, kind: str, person_id: int
) -> dict[str, Any]:
    """One member's annual document as JSON (the member, or a payroll officer of the entity)."""
    entity, person_id = annual.access_annual(request.user, entity_id, person_id)
    return annual.annual_document(entity, year, kind, person_id).as_json()

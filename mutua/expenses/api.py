"""API endpoints of the expenses app, mounted under /api/v1/ by mutua.api.api: the member lists,
reads, writes and submits their claims (and attaches receipts); advisers approve or reject.
The same access functions and actions as the pages; never another member's claims."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from mutua.activities.queries import access_activity
from mutua.core.inputs import DecimalInput, MoneyIn, TextInput
from mutua.expenses import actions, queries
from mutua.expenses.models import Claim, RefundMode

router = Router(tags=["expenses"])


class ExpenseLineIn(Schema):
    """Amounts up to 10,000,000.00; the VAT rate in percent (0 to 100); km, days or nights up
    to 100,000."""

    date: dt.date
    category: str
    description: Annotated[str, TextInput(max_length=200)]
    amount: MoneyIn | None = None
    vat_rate: Annotated[Decimal, DecimalInput(max_value=Decimal("100"))] = Decimal("0")
    vat_recoverable: MoneyIn | None = None
    quantity: Annotated[Decimal, DecimalInput(max_value=Decimal("100000"))] | None = None
    supplier: Annotated[str, TextInput(max_length=200, required=False)] = ""


class ClaimIn(Schema):
    activity_id: int
    title: Annotated[str, TextInput(max_length=200)]
    refund_mode: str = RefundMode.PAYOUT
    lines: list[ExpenseLineIn]


class ExpenseLineOut(Schema):
    date: dt.date
    category: str
    description: str
    supplier: str
    quantity: Decimal | None
    rate: Decimal | None
    amount: Decimal
    vat_rate: Decimal
    vat_recoverable: Decimal


class ReceiptOut(Schema):
    id: int
    file_name: str
    content_type: str
    size: int
    sha256: str


class ClaimOut(Schema):
    id: int
    reference: str
    entity: str
    activity_id: int
    person_id: int
    title: str
    status: str
    refund_mode: str
    currency: str
    total: Decimal
    vat_recoverable: Decimal
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    rejection_reason: str
    lines: list[ExpenseLineOut]
    receipts: list[ReceiptOut]


class RejectIn(Schema):
    reason: Annotated[str, TextInput(max_length=500, multiline=True)]


def _out(claim: Claim) -> dict[str, Any]:
    names = ("title", "status", "refund_mode", "currency", "total", "vat_recoverable")
    return {
        "id": claim.pk,
        "reference": claim.reference,
        "entity": claim.entity.code,
        "activity_id": claim.activity_id,
        "person_id": claim.person_id,
        "submitted_at": claim.submitted_at,
        "decided_at": claim.decided_at,
        "rejection_reason": claim.rejection_reason,
        "lines": list(claim.lines.all()),
        "receipts": list(claim.receipts.filter(purged_at=None)),
        **{name: getattr(claim, name) for name in names},
    }


def _inputs(payload: ClaimIn) -> list[actions.LineInput]:
    return [actions.LineInput(**line.dict()) for line in payload.lines]


@router.get("/expense-claims", response=list[ClaimOut])
def list_claims(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    claims = queries.visible_claims(request.user).prefetch_related("lines", "receipts")
    if status:
        claims = claims.filter(status=status)
    return [_out(claim) for claim in claims.order_by("-id")[:500]]


@router.get("/expense-claims/{claim_id}", response=ClaimOut)
def get_claim(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    return _out(queries.access_claim(request.user, claim_id))


@router.post("/expense-claims", response={201: ClaimOut})
def create_claim(request: HttpRequest, payload: ClaimIn) -> Status[dict[str, Any]]:
    claim = actions.create_claim(
        actor=request.user,
        activity=access_activity(request.user, payload.activity_id),
        title=payload.title,
        lines=_inputs(payload),
        refund_mode=payload.refund_mode,
    )
    return Status(201, _out(claim))


@router.post("/expense-claims/{claim_id}/receipts", response={201: ReceiptOut})
def add_receipt(request: HttpRequest, claim_id: int, file: File[UploadedFile]) -> Status[Any]:
    receipt = actions.add_receipt(
        actor=request.user,
        claim=queries.access_claim(request.user, claim_id),
        content=file.read(),
        file_name=file.name or "",
        declared_type=file.content_type or "",
    )
    return Status(201, receipt)


@router.post("/expense-claims/{claim_id}/submit", response=ClaimOut)
def submit_claim(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    claim = queries.access_claim(request.user, claim_id)
    return _out(actions.submit_claim(actor=request.user, claim=claim))


@router.post("/expense-claims/{claim_id}/approve", response=ClaimOut)
def approve_claim(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    claim = queries.access_claim(request.user, claim_id)
    return _out(actions.approve_claim(actor=request.user, claim=claim))


@router.post("/expense-claims/{claim_id}/reject", response=ClaimOut)
def reject_claim(request: HttpRequest, claim_id: int, payload: RejectIn) -> dict[str, Any]:
    claim = queries.access_claim(request.user, claim_id)
    return _out(actions.reject_claim(actor=request.user, claim=claim, reason=payload.reason))

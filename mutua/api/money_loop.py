"""API for activities, clients and invoices: the same actions and access functions as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from mutua.activities.actions import open_activity
from mutua.activities.queries import access_activity, activities_of
from mutua.clients.actions import ClientDetails, add_client
from mutua.clients.queries import access_client, visible_clients
from mutua.core.errors import InvalidInput, NotFound
from mutua.core.inputs import DecimalInput, MoneyIn, TextInput
from mutua.core.money import in_minor_units
from mutua.entities.queries import entity_by_code
from mutua.invoicing import actions as invoicing
from mutua.invoicing.access import access_invoice, visible_invoices
from mutua.invoicing.documents.en16931 import ubl_xml
from mutua.invoicing.models import Invoice, InvoiceStatus
from mutua.invoicing.queries import amount_due, with_received
from mutua.invoicing.rendering import client_pdf, document_of
from mutua.ledger.queries import activity_balance

router = Router(tags=["money loop"])


class ActivityOut(Schema):
    id: int
    entity: str
    number: str
    name: str
    sector: str
    balance: Decimal


class ActivityIn(Schema):
    entity: str
    name: Annotated[str, TextInput(max_length=200)]
    sector: Annotated[str, TextInput(max_length=80, required=False)] = ""
    description: Annotated[str, TextInput(max_length=5000, required=False, multiline=True)] = ""


class ClientOut(Schema):
    id: int
    entity: str
    kind: str
    name: str
    country: str
    language: str
    vat_number: str
    company_number: str
    peppol_id: str
    email: str


class ClientIn(Schema):
    entity: str
    name: Annotated[str, TextInput(max_length=200)]
    country: str
    kind: str = "company"
    language: str = "en"
    vat_number: str = ""
    company_number: str = ""
    peppol_id: str = ""
    street: Annotated[str, TextInput(max_length=200, required=False)] = ""
    postcode: Annotated[str, TextInput(max_length=20, required=False)] = ""
    city: Annotated[str, TextInput(max_length=100, required=False)] = ""
    email: str = ""
    payment_terms_days: int | None = None


class InvoiceLineIn(Schema):
    description: Annotated[str, TextInput(max_length=500)]
    quantity: Annotated[Decimal, DecimalInput(places=3, max_value=invoicing.MAX_QUANTITY - 1)]
    unit_price: MoneyIn  # up to 10,000,000.00
    vat_rate_name: str = "standard"


class InvoiceIn(Schema):
    activity_id: int
    client_id: int
    lines: list[InvoiceLineIn]
    notes: Annotated[str, TextInput(max_length=5000, required=False, multiline=True)] = ""


class InvoiceOut(Schema):
    id: int
    entity: str
    activity_id: int
    client_id: int
    kind: str
    status: str
    number: str | None
    issue_date: dt.date | None
    due_date: dt.date | None
    currency: str
    total_excl_vat: Decimal
    total_vat: Decimal
    total_incl_vat: Decimal
    amount_due: Decimal
    payment_reference: str


def _activity_out(activity: Any) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "entity": activity.entity.code,
        "number": activity.number,
        "name": activity.name,
        "sector": activity.sector,
        "balance": in_minor_units(activity_balance(activity), activity.entity.currency),
    }


def _client_out(client: Any) -> dict[str, Any]:
    fields = ("kind", "name", "country", "language", "vat_number", "company_number")
    return {
        "id": client.pk,
        "entity": client.entity.code,
        "peppol_id": client.peppol_id,
        "email": client.email,
        **{name: getattr(client, name) for name in fields},
    }


def _invoice_out(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.pk,
        "entity": invoice.entity.code,
        "activity_id": invoice.activity_id,
        "client_id": invoice.client_id,
        "kind": invoice.kind,
        "status": invoice.status,
        "number": invoice.number,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "currency": invoice.currency,
        "total_excl_vat": invoice.total_net,
        "total_vat": invoice.total_vat,
        "total_incl_vat": invoice.total_gross,
        "amount_due": amount_due(invoice),
        "payment_reference": invoice.payment_reference,
    }


@router.get("/activities", response=list[ActivityOut])
def list_activities(request: HttpRequest) -> list[dict[str, Any]]:
    return [_activity_out(a) for a in activities_of(request.user).order_by("number")[:500]]


@router.get("/activities/{activity_id}", response=ActivityOut)
def get_activity(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    return _activity_out(access_activity(request.user, activity_id))


@router.post("/activities", response={201: ActivityOut})
def create_activity(request: HttpRequest, payload: ActivityIn) -> Status[dict[str, Any]]:
    activity = open_activity(
        actor=request.user,
        entity=entity_by_code(payload.entity),
        name=payload.name,
        sector=payload.sector,
        description=payload.description,
    )
    return Status(201, _activity_out(activity))


@router.get("/clients", response=list[ClientOut])
def list_clients(request: HttpRequest) -> list[dict[str, Any]]:
    clients = visible_clients(request.user).select_related("entity").order_by("name")[:1000]
    return [_client_out(c) for c in clients]


@router.get("/clients/{client_id}", response=ClientOut)
def get_client(request: HttpRequest, client_id: int) -> dict[str, Any]:
    return _client_out(access_client(request.user, client_id))


@router.post("/clients", response={200: ClientOut, 201: ClientOut})
def create_client(request: HttpRequest, payload: ClientIn) -> Status[dict[str, Any]]:
    data = payload.dict()
    entity = entity_by_code(data.pop("entity"))
    client, created = add_client(actor=request.user, entity=entity, details=ClientDetails(**data))
    return Status(201 if created else 200, _client_out(client))


@router.get("/invoices", response=list[InvoiceOut])
def list_invoices(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    invoices = with_received(visible_invoices(request.user)).select_related("entity")
    if status:
        if status not in InvoiceStatus.values:
            raise InvalidInput(f"unknown status {status!r}", field="status")
        invoices = invoices.filter(status=status)
    return [_invoice_out(i) for i in invoices.order_by("-id")[:500]]


@router.get("/invoices/{invoice_id}", response=InvoiceOut)
def get_invoice(request: HttpRequest, invoice_id: int) -> dict[str, Any]:
    return _invoice_out(access_invoice(request.user, invoice_id))


@router.post("/invoices", response={201: InvoiceOut})
def create_invoice(request: HttpRequest, payload: InvoiceIn) -> Status[dict[str, Any]]:
    activity = access_activity(request.user, payload.activity_id)
    client = access_client(request.user, payload.client_id)
    invoice = invoicing.create_draft_invoice(
        actor=request.user,
        activity=activity,
        client=client,
        notes=payload.notes,
        lines=[invoicing.LineInput(**line.dict()) for line in payload.lines],
    )
    return Status(201, _invoice_out(invoice))


@router.post("/invoices/{invoice_id}/issue", response=InvoiceOut)
def issue(request: HttpRequest, invoice_id: int) -> dict[str, Any]:
    invoice = invoicing.issue_invoice(
        actor=request.user, invoice=access_invoice(request.user, invoice_id)
    )
    return _invoice_out(invoice)


def _issued(request: HttpRequest, invoice_id: int) -> Invoice:
    invoice = access_invoice(request.user, invoice_id)
    if invoice.is_draft:
        raise NotFound("a draft has no document yet")
    return invoice


@router.get("/invoices/{invoice_id}/pdf")
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _issued(request, invoice_id)
    return HttpResponse(client_pdf(document_of(invoice)), content_type="application/pdf")


@router.get("/invoices/{invoice_id}/ubl")
def invoice_ubl(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _issued(request, invoice_id)
    return HttpResponse(ubl_xml(document_of(invoice)), content_type="application/xml")

"""API for order forms: list, read, create and send, with the pages' actions and access."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from mutua.activities.queries import access_activity
from mutua.clients.queries import access_client
from mutua.core.inputs import DecimalInput, MoneyIn, TextInput
from mutua.engagements.actions import OrderFormInput, create_order_form, send_order_form
from mutua.engagements.models import OrderForm
from mutua.engagements.queries import access_order_form, visible_order_forms

router = Router(tags=["order forms"])


class OrderFormIn(Schema):
    """Amounts up to 10,000,000.00; dates within the order form's window (mutua.core.inputs:
    starting at most a year ago and two years ahead, a year long at most)."""

    activity_id: int
    client_id: int
    description: Annotated[str, TextInput(max_length=2000, multiline=True)]
    start_date: dt.date
    end_date: dt.date
    working_days: Annotated[Decimal, DecimalInput(max_value=Decimal("366"))]
    amount_excl_vat: MoneyIn | None = None
    reinvoiced_expenses: MoneyIn = Decimal("0")
    place: Annotated[str, TextInput(max_length=200, required=False)] = ""
    vat_rate_name: str = "standard"
    wanted_net: MoneyIn | None = None


class OrderFormOut(Schema):
    id: int
    activity_id: int
    client_id: int
    status: str
    description: str
    start_date: dt.date
    end_date: dt.date
    working_days: Decimal
    amount_excl_vat: Decimal
    reinvoiced_expenses: Decimal
    invoice_id: int | None


class SentOut(Schema):
    order_form: OrderFormOut
    client_link: str


def _out(order_form: OrderForm) -> dict[str, Any]:
    names = ("status", "description", "start_date", "end_date", "working_days")
    return {
        "id": order_form.pk,
        "activity_id": order_form.activity_id,
        "client_id": order_form.client_id,
        "amount_excl_vat": order_form.amount_excl_vat,
        "reinvoiced_expenses": order_form.reinvoiced_expenses,
        "invoice_id": order_form.invoice_id,
        **{name: getattr(order_form, name) for name in names},
    }


@router.get("/order-forms", response=list[OrderFormOut])
def list_order_forms(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(f) for f in visible_order_forms(request.user).order_by("-id")[:500]]


@router.get("/order-forms/{order_form_id}", response=OrderFormOut)
def get_order_form(request: HttpRequest, order_form_id: int) -> dict[str, Any]:
    return _out(access_order_form(request.user, order_form_id))


@router.post("/order-forms", response={201: OrderFormOut})
def create(request: HttpRequest, payload: OrderFormIn) -> Status[dict[str, Any]]:
    data = payload.dict()
    activity = access_activity(request.user, data.pop("activity_id"))
    client = access_client(request.user, data.pop("client_id"))
    order_form = create_order_form(
        actor=request.user, activity=activity, data=OrderFormInput(client=client, **data)
    )
    return Status(201, _out(order_form))


@router.post("/order-forms/{order_form_id}/send", response=SentOut)
def send(request: HttpRequest, order_form_id: int) -> dict[str, Any]:
    order_form = access_order_form(request.user, order_form_id)
    link = send_order_form(
        actor=request.user, order_form=order_form, site_url=request.build_absolute_uri("/")
    )
    order_form.refresh_from_db()
    return {"order_form": _out(order_form), "client_link": link}

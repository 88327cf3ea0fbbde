"""The client answers by link: confirm, ask for changes, refuse; and every way a link goes wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import signing

from mutua.core.errors import InvalidInput, NotFound, StateConflict
from mutua.core.models import AuditEvent
from mutua.engagements.actions import (
    cancel_order_form,
    confirm_order_form_by_client,
    refuse_order_form_by_client,
    request_changes_by_client,
    send_order_form,
    update_order_form,
)
from mutua.engagements.links import LinkExpired, LinkReplaced, make_token
from mutua.engagements.models import ContractRequest, OrderForm
from mutua.entities.models import FeeRate
from mutua.invoicing.models import Invoice
from mutua.ledger.queries import activity_balance
from tests.engagements.conftest import SITE, answer_from, sent, work


def _unchanged(order_form: OrderForm) -> None:
    before = (order_form.status, order_form.responded_at, order_form.link_version)
    order_form.refresh_from_db()
    assert (order_form.status, order_form.responded_at, order_form.link_version) == before
    assert not Invoice.objects.exists()


def test_confirming_records_when_and_from_where_then_invoices(shop: dict[str, Any]) -> None:
    order_form, token = sent(shop, reinvoiced_expenses=Decimal("200.00"))
    order_form = confirm_order_form_by_client(token=token, **answer_from())
    assert order_form.status == "invoiced"
    assert order_form.responded_at is not None
    assert (order_form.response_ip, order_form.response_user_agent) == (
        "203.0.113.7",
        "Mozilla/5.0 (Test)",
    )
    event = AuditEvent.objects.get(action="order_form.client_confirm")
    assert event.ip_address == "203.0.113.7" and event.actor is None
    assert "client by link" in event.actor_label


def test_the_invoice_has_the_work_and_the_expenses_and_is_booked(shop: dict[str, Any]) -> None:
    order_form, token = sent(shop, reinvoiced_expenses=Decimal("200.00"))
    order_form = confirm_order_form_by_client(token=token, **answer_from())
    invoice = order_form.invoice
    assert invoice is not None and invoice.status == "issued" and invoice.number == "2026-000001"
    work_line, expenses_line = invoice.lines.order_by("position")
    assert "Light design" in work_line.description and "3 working day(s)" in work_line.description
    assert work_line.unit_price == Decimal("1500.00")
    assert expenses_line.unit_price == Decimal("200.00")
    assert invoice.total_net == Decimal("1700.00") and invoice.total_vat == Decimal("357.00")
    assert activity_balance(shop["activity"]) == Decimal("1700.00") - Decimal("110.50")


def test_confirming_hands_off_to_the_contracts_module(shop: dict[str, Any], settings: Any) -> None:
    settings.MUTUA_CONTRACT_REQUESTER = ""  # the default recorder: requests wait, pending
    order_form, token = sent(shop)
    confirm_order_form_by_client(token=token, **answer_from())
    (request,) = ContractRequest.objects.all()
    assert request.order_form == order_form and request.person == shop["person"]
    assert request.working_days == Decimal("3") and request.status == "pending"
    assert (request.start_date, request.end_date) == (dt.date(2026, 4, 1), dt.date(2026, 4, 3))


def test_confirming_twice_says_so_and_changes_nothing(shop: dict[str, Any]) -> None:
    order_form, token = sent(shop)
    confirm_order_form_by_client(token=token, **answer_from())
    order_form.refresh_from_db()
    events = AuditEvent.objects.count()
    with pytest.raises(StateConflict, match="already confirmed on 2026-03-16"):
        confirm_order_form_by_client(token=token, ip="198.51.100.1", user_agent="Other")
    after = OrderForm.objects.get(pk=order_form.pk)
    assert (after.response_ip, after.responded_at) == ("203.0.113.7", order_form.responded_at)
    assert Invoice.objects.count() == 1 and ContractRequest.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_forged_link_is_not_found(shop: dict[str, Any]) -> None:
    order_form, token = sent(shop)
    forged = signing.dumps({"id": order_form.pk, "v": 1}, salt="another purpose")
    for bad in (forged, token[:-2] + "xx", "nonsense"):
        with pytest.raises(NotFound):
            confirm_order_form_by_client(token=bad, **answer_from())
    _unchanged(order_form)


def test_an_expired_link_says_so(shop: dict[str, Any], _frozen: Any) -> None:
    order_form, token = sent(shop)
    _frozen.tick(dt.timedelta(days=31))
    with pytest.raises(LinkExpired):
        confirm_order_form_by_client(token=token, **answer_from())
    _unchanged(order_form)


def test_a_link_to_an_older_version_dies_when_the_form_changes(shop: dict[str, Any]) -> None:
    order_form, old = sent(shop)
    request_changes_by_client(token=old, message="Four days, please", **answer_from())
    order_form.refresh_from_db()
    assert (order_form.status, order_form.change_request) == (
        "changes_requested",
        "Four days, please",
    )
    update_order_form(
        actor=shop["user"],
        order_form=order_form,
        data=work(shop, end_date=dt.date(2026, 4, 4), working_days=Decimal("4")),
    )
    send_order_form(actor=shop["user"], order_form=order_form, site_url=SITE)
    order_form.refresh_from_db()
    assert order_form.link_version == 2 and order_form.change_request == ""
    with pytest.raises(LinkReplaced):
        confirm_order_form_by_client(token=old, **answer_from())
    _unchanged(order_form)
    confirmed = confirm_order_form_by_client(token=make_token(order_form), **answer_from())
    assert confirmed.status == "invoiced" and confirmed.working_days == Decimal("4")


def test_refusing_needs_a_reason(shop: dict[str, Any]) -> None:
    order_form, token = sent(shop)
    with pytest.raises(InvalidInput) as refused:
        refuse_order_form_by_client(token=token, reason="   ", **answer_from())
    assert refused.value.field == "reason"
    _unchanged(order_form)
    refuse_order_form_by_client(token=token, reason="Budget cut", **answer_from())
    order_form.refresh_from_db()
    assert (order_form.status, order_form.refusal_reason) == ("refused", "Budget cut")


def test_asking_for_changes_needs_a_message(shop: dict[str, Any]) -> None:
    order_form, token = sent(shop)
    with pytest.raises(InvalidInput):
        request_changes_by_client(token=token, message="", **answer_from())
    _unchanged(order_form)


def test_a_refused_form_cannot_be_confirmed_afterwards(shop: dict[str, Any]) -> None:
    order_form, token = sent(shop)
    refuse_order_form_by_client(token=token, reason="Too late", **answer_from())
    with pytest.raises(StateConflict):
        confirm_order_form_by_client(token=token, **answer_from())
    order_form.refresh_from_db()
    assert order_form.status == "refused"


def test_a_withdrawn_form_cannot_be_confirmed(shop: dict[str, Any]) -> None:
    order_form, token = sent(shop)
    cancel_order_form(actor=shop["user"], order_form=order_form)
    with pytest.raises(StateConflict, match="withdrawn"):
        confirm_order_form_by_client(token=token, **answer_from())
    assert not Invoice.objects.exists()


def test_the_member_hears_the_answer_after_the_commit(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    _, token = sent(shop)
    with django_capture_on_commit_callbacks(execute=True):
        refuse_order_form_by_client(token=token, reason="Budget cut", **answer_from())
    (mail,) = mailoutbox
    assert mail.to == [shop["user"].email] and "Budget cut" in mail.body


def test_a_failed_invoicing_keeps_the_confirmation_and_says_why(shop: dict[str, Any]) -> None:
    FeeRate.objects.filter(entity=shop["entity"]).delete()
    order_form, token = sent(shop)
    order_form = confirm_order_form_by_client(token=token, **answer_from())
    order_form.refresh_from_db()
    assert order_form.status == "confirmed" and order_form.invoice is None
    assert "no fee rate" in order_form.invoicing_error
    assert not Invoice.objects.exists() and not ContractRequest.objects.exists()

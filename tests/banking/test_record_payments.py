"""The invoice side of a payment: open invoices only, never beyond what is due."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mutua.core.errors import InvalidAmount, RuleViolation, StateConflict
from mutua.core.models import AuditEvent
from mutua.invoicing.actions import issue_credit_note
from mutua.invoicing.payments import PaymentReceived, record_payment, record_payments
from tests.banking.conftest import Shop


def test_a_payment_moves_the_status(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    assert record_payment(invoice=invoice, amount=Decimal("10.00"), acting_user=None) == (
        "partly_paid"
    )
    invoice.refresh_from_db()
    assert invoice.status == "partly_paid"
    event = AuditEvent.objects.filter(action="invoice.record_payments").get()
    assert event.after["details"] == [
        {"invoice": invoice.number, "amount": "10.00", "status": "partly_paid"}
    ]


def test_payments_of_the_same_invoice_add_up(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    statuses = record_payments(
        payments=[
            PaymentReceived(invoice.pk, Decimal("1000.00")),
            PaymentReceived(invoice.pk, Decimal("210.00")),
        ],
        acting_user=None,
    )
    assert statuses == {invoice.pk: "paid"}


def test_more_than_the_total_is_refused(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    with pytest.raises(RuleViolation, match="client's account"):
        record_payment(invoice=invoice, amount=Decimal("1210.01"), acting_user=None)


def test_a_cancelled_invoice_is_refused(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    issue_credit_note(actor=shop.user, invoice=invoice, reason="cancelled")
    with pytest.raises(StateConflict, match="cannot receive"):
        record_payment(invoice=invoice, amount=Decimal("1.00"), acting_user=None)


def test_a_payment_is_positive(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    with pytest.raises(InvalidAmount):
        record_payment(invoice=invoice, amount=Decimal("0"), acting_user=None)

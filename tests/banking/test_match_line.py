"""Matching a queued line by hand: suspense to the receivable, once, for one client."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mutua.banking.actions import import_statements, match_line
from mutua.banking.models import StatementLine
from mutua.banking.queries import entries_of
from mutua.core.errors import InvalidInput, RuleViolation, StateConflict
from mutua.ledger.queries import account_balance, client_balance, posting_account
from tests.banking.conftest import Shop, coda, paid, statement
from tests.ledger.conftest import make_client


def queued(shop: Shop, amount: str, text: str = "paiement") -> StatementLine:
    content = coda(statement(shop.entity, paid(amount, text=text, iban="BE43068999999501")))
    import_statements(entity=shop.entity, content=content, acting_user=shop.accountant)
    return StatementLine.objects.get(amount=Decimal(amount))


def test_staff_match_a_line_to_an_invoice(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    line = queued(shop, "1210.00")
    matched = match_line(line=line, invoices=[invoice], acting_user=shop.accountant)
    assert matched.status == "matched" and matched.matched_by == shop.accountant
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert account_balance(posting_account(shop.entity, "suspense")) == Decimal("0.00")
    assert client_balance(shop.client) == Decimal("0.00")
    assert entries_of(matched).count() == 2  # the bank entry, then suspense to receivable


def test_a_line_is_matched_once(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    line = queued(shop, "1210.00")
    match_line(line=line, invoices=[invoice], acting_user=shop.accountant)
    with pytest.raises(StateConflict):
        match_line(line=line, invoices=[invoice], acting_user=shop.accountant)


def test_one_line_for_several_invoices_and_a_surplus(shop: Shop) -> None:
    first, second = shop.invoice("100.00"), shop.invoice("200.00")
    line = queued(shop, "400.00")
    matched = match_line(line=line, invoices=[second, first], acting_user=shop.accountant)
    assert (matched.status, matched.client_credit) == ("overpaid", Decimal("37.00"))
    assert client_balance(shop.client) == Decimal("-37.00")


def test_a_partial_manual_match(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    matched = match_line(line=queued(shop, "200.00"), invoices=[invoice], acting_user=None)
    invoice.refresh_from_db()
    assert matched.status == "matched" and invoice.status == "partly_paid"


def test_invoices_of_two_clients_are_refused(shop: Shop) -> None:
    other = make_client(shop.entity, "Zaal De Verrekijker")
    invoices = [shop.invoice("100.00"), shop.invoice("100.00", client=other)]
    with pytest.raises(InvalidInput, match="one client"):
        match_line(line=queued(shop, "242.00"), invoices=invoices, acting_user=None)


def test_a_paid_invoice_cannot_be_chosen(shop: Shop) -> None:
    invoice = shop.invoice("100.00")
    match_line(line=queued(shop, "121.00", "a"), invoices=[invoice], acting_user=None)
    line = StatementLine.objects.create(
        account=StatementLine.objects.get().account,
        statement=StatementLine.objects.get().statement,
        position=9,
        booking_date=invoice.issue_date,
        value_date=invoice.issue_date,
        amount=Decimal("121.00"),
        currency="EUR",
        natural_key="x",
        status="unmatched",
    )
    with pytest.raises(InvalidInput, match="open invoices"):
        match_line(line=line, invoices=[invoice], acting_user=None)


def test_outgoing_payments_are_not_matched_to_invoices(shop: Shop) -> None:
    invoice = shop.invoice("100.00")
    with pytest.raises(RuleViolation, match="payouts"):
        match_line(line=queued(shop, "-50.00"), invoices=[invoice], acting_user=None)

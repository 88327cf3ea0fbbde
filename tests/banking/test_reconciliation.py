"""Automatic matching: structured reference, invoice number, amount and payer; partial and
overpaid payments; what cannot be decided waits in the queue, booked in suspense."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from mutua.banking.actions import import_statements
from mutua.banking.models import Allocation, StatementLine
from mutua.banking.queries import open_book, queue_of, queue_with_suggestions
from mutua.invoicing.dunning import overdue_invoices
from mutua.invoicing.models import Invoice
from mutua.invoicing.queries import amount_due
from mutua.ledger.queries import account_balance, client_balance, posting_account
from tests.banking.conftest import PAYER_IBAN, Shop, coda, ogm, paid, statement
from tests.ledger.conftest import make_client


def run(shop: Shop, *lines: object, number: str = "1", opening: str = "0.00") -> None:
    closed = max(line.booking_date for line in lines)  # type: ignore[attr-defined]
    data = statement(
        shop.entity,
        *lines,
        number=number,
        opening=opening,
        closed=closed,
        opened=closed - dt.timedelta(days=1),
    )
    import_statements(entity=shop.entity, content=coda(data), acting_user=shop.accountant)


def balance(shop: Shop, event: str) -> Decimal:
    return account_balance(posting_account(shop.entity, event))


def status(invoice: Invoice) -> str:
    invoice.refresh_from_db()
    return invoice.status


def test_a_partial_payment_then_the_rest(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")  # 1210.00
    run(shop, paid("1000.00", reference=ogm(invoice)))
    assert status(invoice) == "partly_paid" and amount_due(invoice) == Decimal("210.00")
    assert client_balance(shop.client) == Decimal("210.00")
    run(
        shop,
        paid("210.00", reference=ogm(invoice), on=dt.date(2026, 3, 11)),
        number="2",
        opening="1000.00",
    )
    assert status(invoice) == "paid" and amount_due(invoice) == Decimal("0.00")
    assert client_balance(shop.client) == Decimal("0.00")


def test_two_partial_payments_in_one_file(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    same = paid("605.00", reference=ogm(invoice))
    run(shop, same, same)
    assert status(invoice) == "paid"
    assert list(Allocation.objects.values_list("amount", flat=True)) == [Decimal("605.00")] * 2


def test_an_overpayment_stays_on_the_clients_account(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    run(shop, paid("1300.00", reference=ogm(invoice)))
    assert status(invoice) == "paid"
    line = StatementLine.objects.get()
    assert (line.status, line.client_id, line.client_credit) == (
        "overpaid",
        shop.client.pk,
        Decimal("90.00"),
    )
    assert "client's account" in line.note
    assert Allocation.objects.get().amount == Decimal("1210.00")
    assert client_balance(shop.client) == Decimal("-90.00")  # the cooperative owes the client
    assert balance(shop, "suspense") == Decimal("0.00")


def test_an_invoice_number_in_the_free_communication(shop: Shop) -> None:
    shop.invoice("100.00")
    invoice = shop.invoice("1000.00")
    run(shop, paid("1210.00", text=f"Facture {invoice.number} concert du 14/03"))
    assert status(invoice) == "paid"
    assert Allocation.objects.get().method == "invoice_number"


def test_two_invoice_numbers_paid_together(shop: Shop) -> None:
    first, second = shop.invoice("100.00"), shop.invoice("200.00")
    run(shop, paid("363.00", text=f"Factures {first.number} et {second.number}"))
    assert (status(first), status(second)) == ("paid", "paid")


def test_a_line_naming_two_invoices_with_another_amount_waits_in_the_queue(shop: Shop) -> None:
    first, second = shop.invoice("100.00"), shop.invoice("200.00")
    run(shop, paid("200.00", text=f"Acompte {first.number} {second.number}"))
    line = StatementLine.objects.get()
    assert line.status == "ambiguous" and first.number in line.note
    assert (status(first), status(second)) == ("issued", "issued")
    assert not Allocation.objects.exists()
    assert balance(shop, "suspense") == Decimal("-200.00")  # credited: waiting to be matched
    assert balance(shop, "bank") == Decimal("200.00")


def test_the_payers_iban_and_the_amount_once_the_payer_is_known(shop: Shop) -> None:
    first, second = shop.invoice("1000.00"), shop.invoice("500.00")
    run(shop, paid("1210.00", reference=ogm(first)))  # teaches: PAYER_IBAN pays for this client
    run(
        shop,
        paid("605.00", text="virement", on=dt.date(2026, 3, 12)),
        number="2",
        opening="1210.00",
    )
    assert status(second) == "paid"
    assert Allocation.objects.get(invoice=second).method == "amount_iban"


def test_two_invoices_of_the_same_amount_from_a_known_payer_are_not_guessed(shop: Shop) -> None:
    known = shop.invoice("50.00")
    first, second = shop.invoice("500.00"), shop.invoice("500.00")
    run(shop, paid("60.50", reference=ogm(known)))
    run(shop, paid("605.00", text="virement", on=dt.date(2026, 3, 12)), number="2", opening="60.50")
    line = StatementLine.objects.get(amount=Decimal("605.00"))
    assert line.status == "ambiguous"
    assert (status(first), status(second)) == ("issued", "issued")
    ((_line, hints),) = queue_with_suggestions(shop.entity, list(queue_of(shop.entity)))
    assert {hint.invoice.id for hint in hints} == {first.pk, second.pk}


def test_an_unknown_payment_goes_to_suspense_with_suggestions(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    run(shop, paid("1210.00", text="merci", iban="BE43068999999501", name="Inconnu"))
    line = StatementLine.objects.get()
    assert line.status == "unmatched"
    assert balance(shop, "suspense") == Decimal("-1210.00")
    assert balance(shop, "bank") == Decimal("1210.00")  # the books follow the statement
    ((_line, hints),) = queue_with_suggestions(shop.entity, [line])
    assert [(hint.invoice.id, hint.reason) for hint in hints] == [(invoice.pk, "same amount")]


def test_money_going_out_is_booked_against_suspense(shop: Shop) -> None:
    run(shop, paid("-80.00", text="Loyer"))
    assert StatementLine.objects.get().status == "unmatched"
    assert balance(shop, "bank") == Decimal("-80.00")
    assert balance(shop, "suspense") == Decimal("80.00")


def test_paying_a_paid_invoice_again_is_not_taken_for_it(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    run(shop, paid("1210.00", reference=ogm(invoice)))
    run(
        shop,
        paid("1210.00", reference=ogm(invoice), on=dt.date(2026, 3, 12)),
        number="2",
        opening="1210.00",
    )
    second = StatementLine.objects.get(booking_date=dt.date(2026, 3, 12))
    assert second.status == "unmatched" and invoice.number in second.note
    assert Allocation.objects.count() == 1


def test_a_cancelled_invoice_receives_nothing(shop: Shop) -> None:
    from mutua.invoicing.actions import issue_credit_note

    invoice = shop.invoice("1000.00")
    issue_credit_note(actor=shop.user, invoice=invoice, reason="event cancelled")
    run(shop, paid("1210.00", reference=ogm(invoice)))
    line = StatementLine.objects.get()
    assert line.status == "unmatched" and "not open" in line.note


def test_another_clients_invoice_number_and_amount_do_not_mix(shop: Shop) -> None:
    other = make_client(shop.entity, "Zaal De Verrekijker")
    mine, theirs = shop.invoice("100.00"), shop.invoice("100.00", client=other)
    run(shop, paid("242.00", text=f"{mine.number} {theirs.number}"))
    assert StatementLine.objects.get().status == "ambiguous"


def test_paid_invoices_leave_the_dunning(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    later = dt.date(2026, 6, 1)
    assert list(overdue_invoices(shop.entity, later)) == [invoice]
    run(shop, paid("1210.00", reference=ogm(invoice)))
    assert list(overdue_invoices(shop.entity, later)) == []


def test_the_open_book_knows_what_is_still_due(shop: Shop) -> None:
    invoice = shop.invoice("1000.00")
    run(shop, paid("10.00", reference=ogm(invoice)))
    book = open_book(shop.entity)
    assert book.due[invoice.pk] == Decimal("1200.00")
    assert book.clients_by_iban == {PAYER_IBAN: {shop.client.pk}}


def test_a_reminder_after_a_partial_payment_asks_only_for_the_rest(
    shop: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    import datetime as dt

    from mutua.banking.actions import import_statements
    from mutua.invoicing.dunning import run_dunning
    from tests.banking.conftest import coda, ogm, paid, statement

    shop.client.email = "pay@namur.test"
    shop.client.save()
    invoice = shop.invoice("1000.00")  # 1210.00 due
    content = coda(statement(shop.entity, paid("1200.00", reference=ogm(invoice))))
    import_statements(entity=shop.entity, content=content, file_name="s.cod", acting_user=None)
    invoice.refresh_from_db()
    assert invoice.status == "partly_paid"
    with django_capture_on_commit_callbacks(execute=True):
        run_dunning(entity=shop.entity, on=invoice.due_date + dt.timedelta(days=7))
    assert "10.00 EUR is still to be paid" in mailoutbox[-1].body
    assert "1210.00" not in mailoutbox[-1].body

"""Issuing invoices and credit notes: numbering, VAT, fee, booking, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from stdnum.be import ogm_vcs

from mutua.clients.models import Client
from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation, StateConflict
from mutua.entities.models import Entity
from mutua.invoicing.actions import (
    LineInput,
    create_draft_invoice,
    issue_credit_note,
    issue_invoice,
)
from mutua.invoicing.models import Invoice
from mutua.ledger.models import Entry
from mutua.ledger.queries import activity_balance, client_balance
from tests.conftest import make_member
from tests.ledger.conftest import books, make_activity, make_client

ON = dt.date(2026, 3, 16)


@pytest.fixture
def shop(db: Any) -> dict[str, Any]:
    entity = books("BE", years=(2026,))
    member = make_member(entity)
    activity = make_activity(entity, holder=member.person)
    client = make_client(entity, "Théâtre de Namur")
    return {"entity": entity, "user": member.person.user, "activity": activity, "client": client}


def draft(shop: dict[str, Any], *lines: LineInput, client: Client | None = None) -> Invoice:
    return create_draft_invoice(
        actor=shop["user"],
        activity=shop["activity"],
        client=client or shop["client"],
        lines=lines or (LineInput("Concert, 14 March", Decimal("1"), Decimal("1000.00")),),
    )


def test_issuing_numbers_freezes_and_books_a_belgian_invoice(shop: dict[str, Any]) -> None:
    invoice = issue_invoice(actor=shop["user"], invoice=draft(shop), on=ON)
    assert invoice.number == "2026-000001" and invoice.status == "issued"
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross) == (
        Decimal("1000.00"),
        Decimal("210.00"),
        Decimal("1210.00"),
    )
    assert invoice.fee_amount == Decimal("65.00")  # 6.5 % of the amount excl. VAT
    assert invoice.due_date == ON + dt.timedelta(days=30)
    assert ogm_vcs.is_valid(invoice.payment_reference)
    assert invoice.payment_reference == "+++260/0000/00170+++"  # 2600000001 mod 97 = 70
    assert invoice.buyer_snapshot["name"] == "Théâtre de Namur"
    entry = Entry.objects.get(pk=invoice.ledger_entry_id)
    assert entry.idempotency_key == f"invoice:{invoice.pk}"
    # The activity keeps the net amount minus the fee; the client owes the gross amount.
    assert activity_balance(shop["activity"]) == Decimal("935.00")
    assert client_balance(shop["client"]) == Decimal("1210.00")


def test_numbers_follow_each_other_without_gaps_even_after_a_failed_issue(
    shop: dict[str, Any],
) -> None:
    first = issue_invoice(actor=shop["user"], invoice=draft(shop), on=ON)
    free = draft(shop, LineInput("Free rehearsal", Decimal("1"), Decimal("0.00")))
    with pytest.raises(RuleViolation):
        issue_invoice(actor=shop["user"], invoice=free, on=ON)
    second = issue_invoice(actor=shop["user"], invoice=draft(shop), on=ON)
    assert (first.number, second.number) == ("2026-000001", "2026-000002")
    free.refresh_from_db()
    assert free.status == "draft" and free.number is None


def test_issuing_twice_changes_nothing(shop: dict[str, Any]) -> None:
    invoice = issue_invoice(actor=shop["user"], invoice=draft(shop), on=ON)
    with pytest.raises(StateConflict):
        issue_invoice(actor=shop["user"], invoice=invoice, on=ON)
    assert Entry.objects.count() == 1


def test_an_intra_eu_business_client_is_reverse_charged(shop: dict[str, Any]) -> None:
    dutch = Client.objects.create(
        entity=shop["entity"], name="Stadsschouwburg", country="NL", vat_number="NL004495445B01"
    )
    invoice = issue_invoice(actor=shop["user"], invoice=draft(shop, client=dutch), on=ON)
    assert invoice.total_vat == Decimal("0.00") and invoice.total_gross == Decimal("1000.00")
    assert invoice.lines.get().vat_category == "AE"
    assert any("196" in mention for mention in invoice.legal_mentions)


def test_bad_drafts_are_refused_and_nothing_is_written(shop: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as no_lines:
        create_draft_invoice(
            actor=shop["user"], activity=shop["activity"], client=shop["client"], lines=[]
        )
    assert no_lines.value.field == "lines"
    with pytest.raises(InvalidInput) as currency:
        create_draft_invoice(
            actor=shop["user"],
            activity=shop["activity"],
            client=shop["client"],
            lines=[LineInput("x", Decimal("1"), Decimal("1.00"))],
            currency="SEK",
        )
    assert currency.value.field == "currency"
    assert not Invoice.objects.exists()


def test_another_member_may_not_invoice_for_my_activity(shop: dict[str, Any]) -> None:
    stranger = make_member(shop["entity"]).person.user
    with pytest.raises(AccessDenied):
        create_draft_invoice(
            actor=stranger,
            activity=shop["activity"],
            client=shop["client"],
            lines=[LineInput("x", Decimal("1"), Decimal("1.00"))],
        )
    invoice = draft(shop)
    with pytest.raises(AccessDenied):
        issue_invoice(actor=stranger, invoice=invoice, on=ON)


def test_a_credit_note_cancels_the_invoice_and_its_booking(shop: dict[str, Any]) -> None:
    invoice = issue_invoice(actor=shop["user"], invoice=draft(shop), on=ON)
    note = issue_credit_note(actor=shop["user"], invoice=invoice, reason="concert cancelled", on=ON)
    assert note.number == "CN-2026-000001" and note.kind == "credit_note"
    assert note.credited_invoice == invoice and note.total_gross == invoice.total_gross
    invoice.refresh_from_db()
    assert invoice.status == "cancelled"
    assert activity_balance(shop["activity"]) == Decimal("0.00")
    assert client_balance(shop["client"]) == Decimal("0.00")
    with pytest.raises(StateConflict):
        issue_credit_note(actor=shop["user"], invoice=invoice, reason="again", on=ON)


def test_french_invoices_use_an_rf_reference_and_the_entity_fee(db: Any) -> None:
    entity: Entity = books("FR", years=(2026,))
    member = make_member(entity)
    activity = make_activity(entity, holder=member.person)
    client = make_client(entity, "Compagnie du Soleil")
    client.language = "fr"
    client.save()
    invoice = create_draft_invoice(
        actor=member.person.user,
        activity=activity,
        client=client,
        lines=[LineInput("Atelier", Decimal("2"), Decimal("450.00"), "standard")],
    )
    invoice = issue_invoice(actor=member.person.user, invoice=invoice, on=ON)
    assert invoice.total_vat == Decimal("180.00")  # 20 %
    assert invoice.payment_reference.startswith("RF")
    assert any("40 €" in m for m in invoice.legal_mentions)


def test_an_issue_that_fails_half_way_gives_its_number_back(shop: dict[str, Any]) -> None:
    """The number is taken, then the booking is refused (closed period): all rolls back."""
    from mutua.core.errors import DomainError
    from mutua.ledger.actions import close_period
    from mutua.ledger.models import Period

    march = Period.objects.get(entity=shop["entity"], start=dt.date(2026, 3, 1))
    close_period(period=march, acting_user=None)
    invoice = draft(shop)
    with pytest.raises(DomainError):
        issue_invoice(actor=shop["user"], invoice=invoice, on=ON)
    invoice.refresh_from_db()
    assert invoice.number is None and invoice.status == "draft"
    issued = issue_invoice(actor=shop["user"], invoice=invoice, on=dt.date(2026, 4, 1))
    assert issued.number == "2026-000001"


def test_the_clients_own_payment_terms_set_the_due_date(shop: dict[str, Any]) -> None:
    shop["client"].payment_terms_days = 10
    shop["client"].save()
    invoice = issue_invoice(actor=shop["user"], invoice=draft(shop), on=ON)
    assert invoice.due_date == ON + dt.timedelta(days=10)


@pytest.mark.parametrize(
    "line",
    [
        LineInput("Too much", Decimal("1"), Decimal("1E+30")),
        LineInput("Too much", Decimal("1000"), Decimal("99999999999999999.99")),
        LineInput("Too many", Decimal("1E+12"), Decimal("1.00")),
        LineInput("Not a number", Decimal("NaN"), Decimal("1.00")),
    ],
)
def test_amounts_too_large_to_store_are_refused_clearly(
    shop: dict[str, Any], line: LineInput
) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        create_draft_invoice(
            actor=shop["user"], activity=shop["activity"], client=shop["client"], lines=[line]
        )
    assert excinfo.value.field == "lines"
    assert not Invoice.objects.exists()

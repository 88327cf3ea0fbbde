from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from mutua.clients.models import Client
from mutua.core.errors import InvalidInput, StateConflict
from mutua.invoicing.actions import LineInput, create_draft_invoice, issue_invoice
from mutua.invoicing.documents.validation import xsd_errors
from mutua.invoicing.dunning import dispute_invoice, resolve_dispute, run_dunning
from mutua.invoicing.models import DunningReminder, Invoice
from mutua.invoicing.sending import send_invoice
from tests.conftest import make_member
from tests.ledger.conftest import books, make_activity

ISSUED = dt.date(2026, 1, 5)  # due 30 days later: 2026-02-04


@pytest.fixture
def desk(db: Any) -> Any:
    entity = books("BE", years=(2026,))
    member = make_member(entity)
    return entity, member.person.user, make_activity(entity, holder=member.person)


def issued_for(desk: Any, client: Client) -> Invoice:
    _entity, user, activity = desk
    invoice = create_draft_invoice(
        actor=user,
        activity=activity,
        client=client,
        lines=[LineInput("Concert", Decimal("1"), Decimal("500.00"))],
    )
    return issue_invoice(actor=user, invoice=invoice, on=ISSUED)


def test_a_client_with_an_email_gets_the_pdf_and_ubl(
    desk: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    entity, user, _ = desk
    client = Client.objects.create(
        entity=entity, name="Théâtre", country="BE", language="fr", email="compta@theatre.test"
    )
    invoice = issued_for(desk, client)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_invoice(actor=user, invoice=invoice)
    delivery.refresh_from_db()
    invoice.refresh_from_db()
    assert delivery.status == "sent" and len(delivery.document_sha256) == 64
    assert invoice.status == "sent"
    message = mailoutbox[0]
    assert message.to == ["compta@theatre.test"] and invoice.number in message.subject
    names = [name for name, _content, _type in message.attachments]
    assert names == [f"{invoice.number}.pdf", f"{invoice.number}.xml"]


def test_a_peppol_client_gets_the_ubl_in_the_outbox(
    desk: Any, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MUTUA_PEPPOL_OUTBOX = str(tmp_path)
    entity, user, _ = desk
    client = Client.objects.create(
        entity=entity,
        name="Atelier",
        country="BE",
        vat_number="BE0403170701",
        company_number="0403170701",
        peppol_id="0208:0403170701",
    )
    invoice = issued_for(desk, client)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_invoice(actor=user, invoice=invoice)
    delivery.refresh_from_db()
    dropped = list(tmp_path.glob("*.xml"))
    assert delivery.status == "sent" and delivery.reference == str(dropped[0])
    assert xsd_errors(dropped[0].read_bytes()) == []
    assert not list(tmp_path.glob("*.part"))


def test_a_client_without_address_or_peppol_id_is_refused(desk: Any) -> None:
    entity, user, _ = desk
    invoice = issued_for(desk, Client.objects.create(entity=entity, name="X", country="BE"))
    with pytest.raises(InvalidInput) as excinfo:
        send_invoice(actor=user, invoice=invoice)
    assert excinfo.value.field == "email"
    invoice.refresh_from_db()
    assert invoice.status == "issued" and not invoice.deliveries.exists()


def test_reminders_follow_the_delays_once_each_in_the_clients_language(
    desk: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    entity, _user, _ = desk
    client = Client.objects.create(
        entity=entity, name="Stad", country="BE", language="nl", email="boekhouding@stad.test"
    )
    invoice = issued_for(desk, client)
    due = invoice.due_date
    assert run_dunning(entity=entity, on=due + dt.timedelta(days=6)).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert run_dunning(entity=entity, on=due + dt.timedelta(days=7)).reminders[1] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert run_dunning(entity=entity, on=due + dt.timedelta(days=7)).total == 0  # re-run
    with django_capture_on_commit_callbacks(execute=True):
        assert run_dunning(entity=entity, on=due + dt.timedelta(days=40)).reminders[2] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert run_dunning(entity=entity, on=due + dt.timedelta(days=41)).reminders[3] == 1
    stages = list(DunningReminder.objects.values_list("stage", flat=True))
    assert stages == [1, 2, 3] and len(mailoutbox) == 3
    assert mailoutbox[0].to == ["boekhouding@stad.test"]
    assert invoice.number in mailoutbox[0].subject


def test_a_disputed_or_cancelled_invoice_gets_no_reminder(desk: Any) -> None:
    entity, user, _ = desk
    client = Client.objects.create(entity=entity, name="Stad", country="BE")
    invoice = issued_for(desk, client)
    dispute_invoice(actor=user, invoice=invoice, reason="hours contested")
    late = invoice.due_date + dt.timedelta(days=60)
    assert run_dunning(entity=entity, on=late).total == 0
    with pytest.raises(StateConflict):
        dispute_invoice(actor=user, invoice=invoice, reason="again")
    resolve_dispute(actor=user, invoice=invoice)
    assert run_dunning(entity=entity, on=late).total == 1

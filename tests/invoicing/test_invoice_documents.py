"""An issued invoice becomes a valid e-invoice: the stored figures map onto EN 16931."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.clients.models import Client
from mutua.invoicing.actions import (
    LineInput,
    create_draft_invoice,
    issue_credit_note,
    issue_invoice,
)
from mutua.invoicing.documents.en16931 import ubl_xml
from mutua.invoicing.documents.validation import schematron_errors, xsd_errors
from mutua.invoicing.rendering import document_of
from tests.conftest import make_member
from tests.ledger.conftest import books, make_activity

ON = dt.date(2026, 3, 16)


@pytest.fixture
def issued(db: Any) -> Any:
    entity = books("BE", years=(2026,))
    entity.street, entity.postcode, entity.city = "Rue Coenraets 72", "1060", "Saint-Gilles"
    entity.save()
    member = make_member(entity)
    activity = make_activity(entity, holder=member.person)
    client = Client.objects.create(
        entity=entity, name="Stadsschouwburg", country="NL", vat_number="NL004495445B01"
    )
    invoice = create_draft_invoice(
        actor=member.person.user,
        activity=activity,
        client=client,
        lines=[
            LineInput("Concert", Decimal("1"), Decimal("1200.00")),
            LineInput("Travel costs", Decimal("1"), Decimal("84.50")),
        ],
    )
    return issue_invoice(actor=member.person.user, invoice=invoice, on=ON), member.person.user


def test_an_issued_reverse_charge_invoice_is_valid_peppol_ubl(issued: Any) -> None:
    invoice, _user = issued
    document = document_of(invoice)
    assert document.total_gross == Decimal("1284.50") and document.total_vat == Decimal("0.00")
    assert document.seller.peppol_id == f"0208:{invoice.entity.company_number}"
    xml = ubl_xml(document)
    assert xsd_errors(xml) == []
    assert schematron_errors(xml) == []
    assert invoice.number.encode() in xml and b"VATEX-EU-AE" in xml


def test_its_credit_note_is_a_valid_ubl_credit_note_referencing_it(issued: Any) -> None:
    invoice, user = issued
    note = issue_credit_note(actor=user, invoice=invoice, reason="cancelled", on=ON)
    xml = ubl_xml(document_of(note))
    assert xml.lstrip().startswith(b"<?xml") and b"CreditNote" in xml
    assert xsd_errors(xml) == []
    assert invoice.number.encode() in xml


def test_drafts_have_no_document(db: Any) -> None:
    entity = books("BE", years=(2026,))
    member = make_member(entity)
    invoice = create_draft_invoice(
        actor=member.person.user,
        activity=make_activity(entity, holder=member.person),
        client=Client.objects.create(entity=entity, name="X", country="BE"),
        lines=[LineInput("x", Decimal("1"), Decimal("1.00"))],
    )
    with pytest.raises(ValueError):
        document_of(invoice)

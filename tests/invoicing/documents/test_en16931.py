"""Peppol BIS Billing 3.0 UBL and Factur-X CII: golden files, XSD and EN 16931 schematron."""

import pytest
from lxml import etree

from mutua.invoicing.documents.en16931 import (
    PEPPOL_CUSTOMIZATION_ID,
    PEPPOL_PROFILE_ID,
    cii_xml,
    en16931_data,
    ubl_xml,
)
from mutua.invoicing.documents.validation import (
    peppol_errors,
    schematron_errors,
    xsd_errors,
)
from tests.invoicing.documents import samples
from tests.invoicing.documents.golden import GOLDEN_DIR, assert_matches_golden

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


@pytest.mark.parametrize(
    ("sample", "golden"),
    [
        ("belgian_invoice", "belgian_invoice.ubl.xml"),
        ("reverse_charge_invoice", "reverse_charge_invoice.ubl.xml"),
        ("credit_note", "credit_note.ubl.xml"),
    ],
)
def test_ubl_matches_its_golden_file(sample: str, golden: str) -> None:
    assert_matches_golden(golden, ubl_xml(samples.ALL[sample]()))


@pytest.mark.parametrize("sample", sorted(samples.ALL))
def test_every_ubl_is_valid_against_xsd_en16931_schematron_and_peppol_header_rules(
    sample: str,
) -> None:
    xml = ubl_xml(samples.ALL[sample]())
    assert xsd_errors(xml) == []
    assert schematron_errors(xml) == []
    assert peppol_errors(xml) == []


@pytest.mark.parametrize("sample", sorted(samples.ALL))
def test_every_cii_is_valid_against_factur_x_xsd_and_schematron(sample: str) -> None:
    xml = cii_xml(samples.ALL[sample]())
    assert xsd_errors(xml) == []
    assert schematron_errors(xml) == []


def test_the_validators_do_catch_broken_documents() -> None:
    xml = ubl_xml(samples.belgian_invoice())
    broken = xml.replace(
        b'<cbc:PayableAmount currencyID="EUR">1883.11',
        b'<cbc:PayableAmount currencyID="EUR">1883.12',
    )
    assert any("BR-CO-16" in error for error in schematron_errors(broken))
    assert xsd_errors(xml.replace(b"<cbc:IssueDate>2026-03-02", b"<cbc:IssueDate>2 March")) != []


def test_belgian_invoice_is_a_peppol_bis_3_invoice_with_0208_endpoints() -> None:
    root = etree.fromstring(ubl_xml(samples.belgian_invoice()))
    assert root.findtext("cbc:CustomizationID", namespaces=NS) == PEPPOL_CUSTOMIZATION_ID
    assert root.findtext("cbc:ProfileID", namespaces=NS) == PEPPOL_PROFILE_ID
    assert root.findtext("cbc:InvoiceTypeCode", namespaces=NS) == "380"
    endpoints = [(e.get("schemeID"), e.text) for e in root.iterfind(".//cbc:EndpointID", NS)]
    assert endpoints == [("0208", "0403170701"), ("0208", "0202239951")]
    assert root.findtext(".//cac:PaymentMeans/cbc:PaymentID", namespaces=NS) == "090933755493"


def test_reverse_charge_names_article_196_and_the_vatex_code() -> None:
    root = etree.fromstring(ubl_xml(samples.reverse_charge_invoice()))
    category = root.find(".//cac:TaxSubtotal/cac:TaxCategory", NS)
    assert category is not None
    assert category.findtext("cbc:ID", namespaces=NS) == "AE"
    assert category.findtext("cbc:Percent", namespaces=NS) == "0.00"
    assert category.findtext("cbc:TaxExemptionReasonCode", namespaces=NS) == "VATEX-EU-AE"
    assert "Article 196 of Directive 2006/112/EC" in (
        category.findtext("cbc:TaxExemptionReason", namespaces=NS) or ""
    )
    # The buyer has no Peppol id: it is reached by e-mail (EAS code EM).
    endpoint = root.find(".//cac:AccountingCustomerParty//cbc:EndpointID", NS)
    assert endpoint is not None and endpoint.get("schemeID") == "EM"


def test_credit_note_is_a_ubl_credit_note_referencing_the_invoice() -> None:
    root = etree.fromstring(ubl_xml(samples.credit_note()))
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    reference = root.find("cac:BillingReference/cac:InvoiceDocumentReference", NS)
    assert reference is not None
    assert reference.findtext("cbc:ID", namespaces=NS) == "BE-2026-000123"
    assert reference.findtext("cbc:IssueDate", namespaces=NS) == "2026-03-02"
    assert root.find("cac:CreditNoteLine/cbc:CreditedQuantity", NS) is not None


def test_outside_scope_carries_no_vat_rate() -> None:
    doc = samples.reverse_charge_invoice()
    data = en16931_data(doc, peppol=True)
    assert data["BG-23"][0]["BT-119"] == "0.00"  # AE keeps its 0 rate
    import dataclasses

    outside = dataclasses.replace(
        doc,
        lines=(dataclasses.replace(doc.lines[0], vat_category="O"),),
        vat_breakdown=(
            dataclasses.replace(
                doc.vat_breakdown[0], category="O", exemption_reason_code="VATEX-EU-O"
            ),
        ),
    )
    data = en16931_data(outside, peppol=True)
    assert "BT-119" not in data["BG-23"][0]
    assert "BT-152" not in data["BG-25"][0]
    xml = ubl_xml(outside)
    assert schematron_errors(xml) == []


def test_without_buyer_or_order_reference_peppol_gets_the_invoice_number() -> None:
    import dataclasses

    doc = dataclasses.replace(samples.belgian_invoice(), order_reference=None)
    assert en16931_data(doc, peppol=True)["BT-10"] == "BE-2026-000123"
    assert "BT-10" not in en16931_data(doc, peppol=False)


def test_factur_x_cii_declares_the_en16931_profile() -> None:
    root = etree.fromstring(cii_xml(samples.french_invoice()))
    guideline = root.findtext(
        ".//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", namespaces=NS
    )
    assert guideline == "urn:cen.eu:en16931:2017"


@pytest.mark.parametrize(
    "golden",
    [
        "belgian_invoice.ubl.xml",
        "reverse_charge_invoice.ubl.xml",
        "credit_note.ubl.xml",
        "french_invoice.factur-x.xml",
    ],
)
def test_the_golden_files_themselves_are_valid(golden: str) -> None:
    xml = (GOLDEN_DIR / golden).read_bytes()
    assert xsd_errors(xml) == []
    assert schematron_errors(xml) == []

"""EN 16931 e-invoices from an `InvoiceDocument`: Peppol BIS Billing 3.0 UBL and Factur-X CII.

One data set, keyed by the EN 16931 business terms (BT-/BG-) that the `factur-x` library expects,
feeds both syntaxes. The library validates nothing over the network here: its schematron check
posts to a Saxon server, so it is switched off and `validation.py` runs the bundled schematron
offline instead; the XSD check is done by `validation.py` with a cached schema (much faster than
the library reloading the schema for every invoice).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from facturx import generate_cii_xml, generate_ubl_xml
from lxml import etree

from mutua.core.money import minor_units
from mutua.countries.registry import vat_rules_or_none
from mutua.invoicing.documents.model import (
    OUTSIDE_SCOPE,
    DocumentLine,
    InvoiceDocument,
    Party,
    VatBreakdown,
)
from mutua.invoicing.documents.payment import ogm_digits

EN16931 = "urn:cen.eu:en16931:2017"
# Peppol BIS Billing 3.0 (BT-24 / BT-23).
PEPPOL_CUSTOMIZATION_ID = f"{EN16931}#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
UBL_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CII_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"

INVOICE_TYPE = "380"  # UNCL1001 commercial invoice (BT-3)
CREDIT_NOTE_TYPE = "381"  # UNCL1001 credit note
CREDIT_TRANSFER = "30"  # UNCL4461 payment means (BT-81)

# The library logs a warning whenever it overrides BT-24 or drops an optional field; that is
# expected here and would drown real problems in the logs.
logging.getLogger("factur-x").setLevel(logging.ERROR)


def ubl_xml(doc: InvoiceDocument) -> bytes:
    """Peppol BIS Billing 3.0 UBL 2.1: an Invoice (380) or a CreditNote (381)."""
    data = en16931_data(doc, peppol=True)
    xml = generate_ubl_xml(data, level="en16931", check_xsd=False, check_schematron=False)
    return _peppol_customization(xml)


def cii_xml(doc: InvoiceDocument) -> bytes:
    """Factur-X EN 16931 profile CII XML (the factur-x.xml embedded in the PDF/A-3)."""
    data = en16931_data(doc, peppol=False)
    xml = generate_cii_xml(data, level="en16931", check_xsd=False, check_schematron=False)
    return _cii_without_nil_delivery(xml)


def _peppol_customization(xml: bytes) -> bytes:
    # The library only writes the bare EN 16931 CustomizationID (BT-24) for UBL; Peppol access
    # points refuse anything but the BIS Billing 3.0 one, so we rewrite it after generation.
    root = etree.fromstring(xml)
    node = root.find(f"{{{UBL_CBC}}}CustomizationID")
    assert node is not None, "the library always writes a CustomizationID"
    node.text = PEPPOL_CUSTOMIZATION_ID
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result


def _cii_without_nil_delivery(xml: bytes) -> bytes:
    # Without a delivery date or ship-to party the library writes
    # <ram:ApplicableHeaderTradeDelivery xsi:nil="true"/>, which the Factur-X XSD refuses (the
    # element is mandatory but not nillable): an empty element is the valid form.
    root = etree.fromstring(xml)
    for node in root.iterfind(".//ram:ApplicableHeaderTradeDelivery", {"ram": CII_RAM}):
        node.attrib.pop(XSI_NIL, None)
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result


def en16931_data(doc: InvoiceDocument, *, peppol: bool) -> dict[str, Any]:
    """The `factur-x` data dict (BT-/BG- keys) describing the document."""
    data: dict[str, Any] = {
        "BT-1": doc.number,
        "BT-2": doc.issue_date,
        "BT-3": CREDIT_NOTE_TYPE if doc.is_credit_note else INVOICE_TYPE,
        "BT-5": doc.currency,
        "BT-9": doc.due_date,
        "BT-72": doc.delivery_date,
        "BT-24": EN16931,
        "BG-4": _party(doc.seller, peppol=peppol, with_vat=not _outside_scope(doc)),
        "BG-7": _party(doc.buyer, peppol=peppol, with_vat=not _outside_scope(doc)),
        "BG-23": [_vat_breakdown(b, doc.currency) for b in doc.vat_breakdown],
        "BG-25": [_line(i, line, doc.currency) for i, line in enumerate(doc.lines, start=1)],
    }
    data.update(_references(doc, peppol=peppol))
    data.update(_payment(doc))
    data.update(_totals(doc))
    notes = _notes(doc, single=peppol)
    if notes:
        data["BG-1"] = [{"BT-22": note} for note in notes]
    return data


def _references(doc: InvoiceDocument, *, peppol: bool) -> dict[str, Any]:
    refs: dict[str, Any] = {}
    if peppol:
        refs["BT-23"] = PEPPOL_PROFILE_ID
    buyer_reference = doc.buyer_reference
    if peppol and not (buyer_reference or doc.order_reference):
        # PEPPOL-EN16931-R003: a buyer reference or an order reference is mandatory; without
        # either, the invoice number is the reference the buyer will quote back.
        buyer_reference = doc.number
    if buyer_reference:
        refs["BT-10"] = buyer_reference
    if doc.order_reference:
        refs["BT-13"] = doc.order_reference
    if doc.preceding_invoice_number:
        previous: dict[str, Any] = {"BT-25": doc.preceding_invoice_number}
        if doc.preceding_invoice_date:
            previous["BT-26"] = doc.preceding_invoice_date
        refs["BG-3"] = [previous]
    return refs


def _notes(doc: InvoiceDocument, *, single: bool) -> list[str]:
    notes = [text for text in (doc.notes, *doc.legal_mentions) if text]
    # PEPPOL-EN16931-R002: at most one invoice note (BT-22) on document level.
    if single and notes:
        return ["\n".join(notes)]
    return notes


def _outside_scope(doc: InvoiceDocument) -> bool:
    # BR-O-02/BR-O-03: a "not subject to VAT" invoice carries no VAT identifier at all.
    return doc.vat_breakdown[0].category == OUTSIDE_SCOPE


def _party(party: Party, *, peppol: bool, with_vat: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": party.name,
        "addr_l1": party.street,
        "postcode": party.postcode,
        "city": party.city,
        "country_code": party.country,
    }
    if party.vat_number and with_vat:
        data["vat_identifier"] = party.vat_number
    if party.company_number:
        data["legal_identifier"] = party.company_number
        # ICD scheme of the legal registration number (BT-30): the country pack's Peppol scheme.
        rules = vat_rules_or_none(party.country)
        if rules is not None and rules.peppol_scheme:
            data["legal_identifier_schemeid"] = rules.peppol_scheme
    endpoint = electronic_address(party) if peppol else _peppol_endpoint(party)
    if endpoint:
        data["einvoicing_addr_schemeid"], data["einvoicing_addr"] = endpoint
    if party.email:
        data["contacts"] = [{"email": party.email}]
    return data


def electronic_address(party: Party) -> tuple[str, str] | None:
    """BT-34/BT-49 (scheme, id): the Peppol participant id, else the e-mail (EAS code EM).

    Peppol BIS 3.0 requires both endpoints (PEPPOL-EN16931-R010/R020). A Belgian party is always
    reachable as 0208:<enterprise number>, the id Belgian access points register.
    """
    endpoint = _peppol_endpoint(party)
    if endpoint is None and party.email:
        return ("EM", party.email)
    return endpoint


def _peppol_endpoint(party: Party) -> tuple[str, str] | None:
    if party.peppol_id:
        scheme, _, identifier = party.peppol_id.partition(":")
        return (scheme, identifier)
    rules = vat_rules_or_none(party.country)
    if rules and rules.company_number_is_endpoint and party.company_number:
        return (rules.peppol_scheme, party.company_number)
    return None


def _payment(doc: InvoiceDocument) -> dict[str, Any]:
    if doc.is_credit_note:
        return {}  # the cooperative refunds the buyer: there is nothing for the buyer to pay
    payment: dict[str, Any] = {"BT-81": CREDIT_TRANSFER, "BT-84": doc.seller_iban}
    if doc.seller_bic:
        payment["BT-86"] = doc.seller_bic
    if doc.payment_reference:
        # BT-83: Belgian banks match on the bare 12 digits of a structured communication.
        payment["BT-83"] = ogm_digits(doc.payment_reference) or doc.payment_reference
    return payment


def _totals(doc: InvoiceDocument) -> dict[str, Any]:
    places = minor_units(doc.currency)
    totals = {
        "BT-106": _amount(doc.total_net, places),
        "BT-109": _amount(doc.total_net, places),
        "BT-110": _amount(doc.total_vat, places),
        "BT-112": _amount(doc.total_gross, places),
        "BT-115": _amount(doc.amount_due, places),
    }
    if doc.paid_amount:
        totals["BT-113"] = _amount(doc.paid_amount, places)
    return totals


def _vat_breakdown(b: VatBreakdown, currency: str) -> dict[str, Any]:
    places = minor_units(currency)
    data: dict[str, Any] = {
        "BT-116": _amount(b.taxable_amount, places),
        "BT-117": _amount(b.tax_amount, places),
        "BT-118": b.category,
    }
    if b.category != OUTSIDE_SCOPE:  # BR-O-05: "not subject to VAT" carries no rate at all
        data["BT-119"] = _percent(b.rate)
    if b.exemption_reason:
        data["BT-120"] = b.exemption_reason
    if b.exemption_reason_code:
        data["BT-121"] = b.exemption_reason_code
    return data


def _line(index: int, line: DocumentLine, currency: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "BT-126": str(index),
        "BT-129": _quantity(line.quantity),
        "BT-130": line.unit_code,
        "BT-131": _amount(line.net_amount, minor_units(currency)),
        "BT-146": _quantity(line.unit_price),
        "BT-151": line.vat_category,
        "BT-153": line.description,
    }
    if line.vat_category != OUTSIDE_SCOPE:
        data["BT-152"] = _percent(line.vat_rate)
    return data


def _amount(amount: Decimal, places: int) -> str:
    return f"{amount:.{places}f}"


def _percent(rate: Decimal) -> str:
    return f"{rate:.2f}"


def _quantity(value: Decimal) -> str:
    # At most 4 decimals (Factur-X precision for prices and quantities), no trailing zeros.
    return f"{value.quantize(Decimal('0.0001')).normalize():f}"

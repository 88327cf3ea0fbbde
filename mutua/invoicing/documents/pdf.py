"""Invoice and credit note PDFs, in the buyer's language, and Factur-X PDF/A-3.

The HTML template `invoicing/document.html` is rendered with Django's template engine under the
buyer's language, its words come from `labels.py` and its numbers, dates and money are formatted
by babel for the buyer's locale (fr_BE writes 1 883,11 €, nl_BE € 1.883,11, en_GB €1,883.11).
WeasyPrint turns it into a PDF without ever touching the network.

Factur-X (France, mandatory reception from 1 Sept 2026): a PDF/A-3b whose embedded
`factur-x.xml` is the EN 16931 CII of the same document, so a person reads the PDF and software
reads the XML, and both say the same thing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from django.template.loader import render_to_string
from django.utils import translation
from facturx import generate_from_binary

from mutua.core.identifiers import format_iban
from mutua.core.pdf import html_to_pdf
from mutua.invoicing.documents.en16931 import cii_xml
from mutua.invoicing.documents.labels import LABELS, labels_for
from mutua.invoicing.documents.model import (
    STANDARD,
    DocumentLine,
    InvoiceDocument,
    Party,
    VatBreakdown,
)
from mutua.invoicing.documents.payment import CreditTransfer, epc_qr_payload, qr_svg

TEMPLATE = "invoicing/document.html"


def document_language(doc: InvoiceDocument) -> str:
    return doc.buyer.language if doc.buyer.language in LABELS else "en"


def document_locale(doc: InvoiceDocument) -> Locale:
    """The buyer's language as written in the buyer's country, else the bare language."""
    language = document_language(doc)
    try:
        return Locale.parse(f"{language}_{doc.buyer.country}")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(language)


def document_html(doc: InvoiceDocument) -> str:
    language = document_language(doc)
    with translation.override(language):
        return render_to_string(TEMPLATE, document_context(doc))


def render_pdf(doc: InvoiceDocument, *, pdf_variant: str | None = None) -> bytes:
    result: bytes = html_to_pdf(document_html(doc), pdf_variant=pdf_variant)
    return result


def facturx_pdf(doc: InvoiceDocument) -> bytes:
    """PDF/A-3b with the CII XML embedded as factur-x.xml (Factur-X 1.0, EN 16931 profile)."""
    pdf = render_pdf(doc, pdf_variant="pdf/a-3b")
    result: bytes = generate_from_binary(
        pdf,
        cii_xml(doc),
        flavor="factur-x",
        level="en16931",
        check_xsd=False,  # the CII is checked against its XSD in the tests, not on every render
        lang=document_language(doc),
        pdf_metadata=_pdf_metadata(doc),
    )
    return result


def _pdf_metadata(doc: InvoiceDocument) -> dict[str, str]:
    labels = labels_for(document_language(doc), doc.seller.country)
    return {
        "author": doc.seller.name,
        "keywords": "Factur-X",
        "title": f"{labels[doc.kind]} {doc.number}",
        "subject": f"{labels[doc.kind]} {doc.number} – {doc.buyer.name}",
    }


# --- template context ----------------------------------------------------------------------------


def document_context(doc: InvoiceDocument) -> dict[str, Any]:
    """Everything the template prints, already worded and formatted for the buyer."""
    locale = document_locale(doc)
    labels = labels_for(document_language(doc), doc.seller.country)
    fmt = _Formatter(locale, doc.currency, labels)
    return {
        "doc": doc,
        "lang": document_language(doc),
        "labels": labels,
        "title": labels[doc.kind],
        "seller": _party_lines(doc.seller, locale),
        "buyer": _party_lines(doc.buyer, locale),
        "issue_date": fmt.date(doc.issue_date),
        "due_date": fmt.date(doc.due_date),
        "delivery_date": fmt.date(doc.delivery_date) if doc.delivery_date else "",
        "preceding_invoice_date": (
            fmt.date(doc.preceding_invoice_date) if doc.preceding_invoice_date else ""
        ),
        "lines": [_line_row(line, fmt) for line in doc.lines],
        "vat_rows": [_vat_row(b, fmt) for b in doc.vat_breakdown],
        "totals": _totals(doc, fmt),
        "iban": format_iban(doc.seller_iban),
        "qr_svg": _payment_qr(doc),
    }


class _Formatter:
    def __init__(self, locale: Locale, currency: str, labels: dict[str, str]) -> None:
        self.locale = locale
        self.currency = currency
        self.labels = labels

    def vat(self, category: str, rate: Decimal) -> str:
        """A rate for standard VAT, else the words for why there is none (reverse charge...)."""
        if category == STANDARD:
            return self.percent(rate)
        return self.labels.get(f"vat_{category}", category)

    def money(self, amount: Decimal) -> str:
        return str(format_currency(amount, self.currency, locale=self.locale))

    def number(self, value: Decimal) -> str:
        return str(format_decimal(value, format="#,##0.####", locale=self.locale))

    def percent(self, rate: Decimal) -> str:
        return str(format_percent(rate / 100, locale=self.locale, decimal_quantization=False))

    def date(self, value: Any) -> str:
        return str(format_date(value, format="long", locale=self.locale))


def _party_lines(party: Party, locale: Locale) -> dict[str, Any]:
    country = locale.territories.get(party.country, party.country)
    return {
        "name": party.name,
        "address": [party.street, f"{party.postcode} {party.city}", country],
        "vat_number": party.vat_number or "",
        "company_number": party.company_number or "",
        "email": party.email,
    }


def _line_row(line: DocumentLine, fmt: _Formatter) -> dict[str, str]:
    return {
        "description": line.description,
        "quantity": fmt.number(line.quantity),
        "unit_price": fmt.money(line.unit_price),
        "vat_rate": fmt.vat(line.vat_category, line.vat_rate),
        "net_amount": fmt.money(line.net_amount),
    }


def _vat_row(b: VatBreakdown, fmt: _Formatter) -> dict[str, str]:
    return {
        "rate": fmt.vat(b.category, b.rate),
        "taxable_amount": fmt.money(b.taxable_amount),
        "tax_amount": fmt.money(b.tax_amount),
        "exemption_reason": b.exemption_reason or "",
    }


def _totals(doc: InvoiceDocument, fmt: _Formatter) -> dict[str, str]:
    return {
        "net": fmt.money(doc.total_net),
        "vat": fmt.money(doc.total_vat),
        "gross": fmt.money(doc.total_gross),
        "paid": fmt.money(doc.paid_amount) if doc.paid_amount else "",
        "due": fmt.money(doc.amount_due),
    }


def _payment_qr(doc: InvoiceDocument) -> str:
    """The EPC QR code as inline SVG; empty for credit notes and non-EUR documents."""
    if doc.is_credit_note:
        return ""
    transfer = CreditTransfer(
        beneficiary_name=doc.seller.name,
        iban=doc.seller_iban,
        amount=doc.amount_due,
        currency=doc.currency,
        bic=doc.seller_bic,
        reference=doc.payment_reference or doc.number,
    )
    payload = epc_qr_payload(transfer)
    return qr_svg(payload) if payload else ""

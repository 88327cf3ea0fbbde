"""From a stored invoice to the document that is printed and sent (PDF, UBL, Factur-X)."""

from __future__ import annotations

from mutua.countries.registry import vat_rules_for, vat_rules_or_none
from mutua.invoicing.documents.model import DocumentLine, InvoiceDocument, Party, VatBreakdown
from mutua.invoicing.models import Invoice, InvoiceKind, InvoiceLine
from mutua.invoicing.vat import PricedLine, vat_groups


def document_of(invoice: Invoice) -> InvoiceDocument:
    """The frozen document of an issued invoice or credit note, built from its snapshots."""
    if invoice.is_draft or invoice.issue_date is None or invoice.due_date is None:
        raise ValueError("only issued invoices have a document")
    lines = list(invoice.lines.all())
    vat = vat_rules_for(invoice.entity.country)
    credited = invoice.credited_invoice
    return InvoiceDocument(
        kind="credit_note" if invoice.kind == InvoiceKind.CREDIT_NOTE else "invoice",
        number=invoice.number or "",
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        seller=_party(invoice.seller_snapshot, invoice.language, vat.peppol_scheme),
        buyer=_party(invoice.buyer_snapshot, invoice.language, ""),
        lines=tuple(_line(line) for line in lines),
        vat_breakdown=_breakdown(invoice, lines),
        total_net=invoice.total_net,
        total_vat=invoice.total_vat,
        total_gross=invoice.total_gross,
        amount_due=invoice.total_gross,
        payment_reference=invoice.payment_reference,
        seller_iban=invoice.seller_snapshot.get("iban", ""),
        seller_bic=invoice.seller_snapshot.get("bic", ""),
        legal_mentions=tuple(invoice.legal_mentions),
        notes=invoice.notes,
        preceding_invoice_number=credited.number if credited else None,
        preceding_invoice_date=credited.issue_date if credited else None,
    )


def _party(snapshot: dict[str, str], language: str, peppol_scheme: str) -> Party:
    company = snapshot.get("company_number") or None
    peppol = snapshot.get("peppol_id") or (
        f"{peppol_scheme}:{company}" if peppol_scheme and company else None
    )
    return Party(
        name=snapshot["name"],
        street=snapshot.get("street", ""),
        postcode=snapshot.get("postcode", ""),
        city=snapshot.get("city", ""),
        country=snapshot["country"],
        email=snapshot.get("email", ""),
        language=language,
        vat_number=snapshot.get("vat_number") or None,
        company_number=company,
        peppol_id=peppol,
    )


def _line(line: InvoiceLine) -> DocumentLine:
    return DocumentLine(
        description=line.description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        net_amount=line.net_amount,
        vat_category=line.vat_category,
        vat_rate=line.vat_percent,
    )


def _breakdown(invoice: Invoice, lines: list[InvoiceLine]) -> tuple[VatBreakdown, ...]:
    vat = vat_rules_for(invoice.entity.country)
    groups = vat_groups(
        PricedLine(ln.quantity, ln.unit_price, ln.vat_category, ln.vat_percent) for ln in lines
    )
    reasons = {
        "AE": (vat.reverse_charge_mention.get("en"), "VATEX-EU-AE"),
        "O": (vat.outside_eu_mention.get("en"), "VATEX-EU-O"),
    }
    return tuple(
        VatBreakdown(
            category=g.category,
            rate=g.percent,
            taxable_amount=g.taxable,
            tax_amount=g.tax,
            exemption_reason=reasons.get(g.category, (None, None))[0],
            exemption_reason_code=reasons.get(g.category, (None, None))[1],
        )
        for g in groups
    )


def client_pdf(document: InvoiceDocument) -> bytes:
    """The PDF a client receives: Factur-X (PDF/A-3 with the CII XML inside) for French buyers,
    who must receive structured e-invoices; a plain PDF elsewhere."""
    from mutua.invoicing.documents.pdf import facturx_pdf, render_pdf

    rules = vat_rules_or_none(document.buyer.country)
    return (
        facturx_pdf(document) if rules and rules.client_pdf == "facturx" else render_pdf(document)
    )

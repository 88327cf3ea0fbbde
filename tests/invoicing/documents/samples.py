"""Named sample documents: a Belgian B2B invoice, a French invoice, an intra-EU reverse-charge
invoice and a credit note, issued by the Belgian and French entities of the federation.

The identifiers are real-format and pass their checksums (python-stdnum); the companies are
fictitious.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from mutua.invoicing.documents.model import DocumentLine, InvoiceDocument, Party, VatBreakdown

REVERSE_CHARGE_MENTION = "Reverse charge – Article 196 of Directive 2006/112/EC"

MUTUA_BE = Party(
    name="Mutua Belgium SC",
    street="Rue Coenraets 72",
    postcode="1060",
    city="Saint-Gilles",
    country="BE",
    email="invoices@mutua.example",
    language="fr",
    vat_number="BE0403170701",
    company_number="0403170701",
    peppol_id="0208:0403170701",
)
MUTUA_FR = Party(
    name="Mutua France SCOP",
    street="3 rue de la Coopération",
    postcode="75011",
    city="Paris",
    country="FR",
    email="factures@mutua.example",
    language="fr",
    vat_number="FR40303265045",
    company_number="303265045",
)
ATELIER_GENT = Party(
    name="Atelier Gent BV",
    street="Korenmarkt 1",
    postcode="9000",
    city="Gent",
    country="BE",
    email="boekhouding@atelier-gent.example",
    language="nl",
    vat_number="BE0202239951",
    company_number="0202239951",
    peppol_id="0208:0202239951",
)
THEATRE_LYON = Party(
    name="Théâtre des Célestins SARL",
    street="4 rue Charles Dullin",
    postcode="69002",
    city="Lyon",
    country="FR",
    email="compta@theatre-lyon.example",
    language="fr",
    vat_number="FR83404833048",
    company_number="404833048",
)
STUDIO_BERLIN = Party(
    name="Studio Berlin GmbH",
    street="Torstraße 1",
    postcode="10119",
    city="Berlin",
    country="DE",
    email="buchhaltung@studio-berlin.example",
    language="en",
    vat_number="DE136695976",
)


def belgian_invoice() -> InvoiceDocument:
    """Two lines at 21 % and one at 6 %, for a Belgian VAT-registered company (Peppol B2B)."""
    lines = [
        DocumentLine(
            "Photographie de plateau, 3 jours",
            D("3"),
            D("450.00"),
            D("1350.00"),
            "S",
            D("21"),
            "DAY",
        ),
        DocumentLine(
            "Retouche, 2,5 heures", D("2.5"), D("65.00"), D("162.50"), "S", D("21"), "HUR"
        ),
        DocumentLine("Livre photo (imprimé)", D("2"), D("24.99"), D("49.98"), "S", D("6")),
    ]
    breakdown = [
        VatBreakdown("S", D("21"), D("1512.50"), D("317.63")),
        VatBreakdown("S", D("6"), D("49.98"), D("3.00")),
    ]
    return InvoiceDocument(
        kind="invoice",
        number="BE-2026-000123",
        issue_date=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 4, 1),
        currency="EUR",
        seller=MUTUA_BE,
        buyer=ATELIER_GENT,
        lines=tuple(lines),
        vat_breakdown=tuple(breakdown),
        total_net=D("1562.48"),
        total_vat=D("320.63"),
        total_gross=D("1883.11"),
        amount_due=D("1883.11"),
        payment_reference="+++090/9337/55493+++",
        seller_iban="BE71096123456769",
        seller_bic="GKCCBEBB",
        legal_mentions=("Mutua Belgium SC – RPM Bruxelles 0403.170.701",),
        notes="Activité : Studio Lumière (membre n° 4521)",
        order_reference="BC-2026-0042",
    )


def french_invoice() -> InvoiceDocument:
    """A French client of the French entity (Factur-X), standard 20 % and reduced 5.5 %."""
    lines = [
        DocumentLine(
            "Création lumière, spectacle « Les Vagues »",
            D("4"),
            D("380.00"),
            D("1520.00"),
            "S",
            D("20"),
            "DAY",
        ),
        DocumentLine(
            "Représentation (billetterie)", D("1"), D("600.00"), D("600.00"), "S", D("5.5")
        ),
    ]
    breakdown = [
        VatBreakdown("S", D("20"), D("1520.00"), D("304.00")),
        VatBreakdown("S", D("5.5"), D("600.00"), D("33.00")),
    ]
    return InvoiceDocument(
        kind="invoice",
        number="FR-2026-000045",
        issue_date=dt.date(2026, 9, 15),
        due_date=dt.date(2026, 10, 15),
        currency="EUR",
        seller=MUTUA_FR,
        buyer=THEATRE_LYON,
        lines=tuple(lines),
        vat_breakdown=tuple(breakdown),
        total_net=D("2120.00"),
        total_vat=D("337.00"),
        total_gross=D("2457.00"),
        amount_due=D("2457.00"),
        payment_reference="RF182026000045",
        seller_iban="FR7630006000011234567890189",
        seller_bic="AGRIFRPP",
        legal_mentions=(
            "Pénalités de retard : trois fois le taux d'intérêt légal "
            "(art. L441-10 du code de commerce).",
            "Indemnité forfaitaire pour frais de recouvrement : 40 € (art. D441-5).",
            "Pas d'escompte pour paiement anticipé.",
        ),
        delivery_date=dt.date(2026, 9, 12),
        buyer_reference="SERVICE-CULTUREL",
    )


def reverse_charge_invoice() -> InvoiceDocument:
    """Services to a German company: the buyer accounts for the VAT (2006/112/EC art. 196)."""
    lines = [
        DocumentLine(
            "Sound design, 5 days", D("5"), D("520.00"), D("2600.00"), "AE", D("0"), "DAY"
        ),
    ]
    breakdown = [
        VatBreakdown(
            "AE",
            D("0"),
            D("2600.00"),
            D("0.00"),
            exemption_reason=REVERSE_CHARGE_MENTION,
            exemption_reason_code="VATEX-EU-AE",
        ),
    ]
    return InvoiceDocument(
        kind="invoice",
        number="BE-2026-000124",
        issue_date=dt.date(2026, 3, 5),
        due_date=dt.date(2026, 4, 4),
        currency="EUR",
        seller=MUTUA_BE,
        buyer=STUDIO_BERLIN,
        lines=tuple(lines),
        vat_breakdown=tuple(breakdown),
        total_net=D("2600.00"),
        total_vat=D("0.00"),
        total_gross=D("2600.00"),
        amount_due=D("2600.00"),
        payment_reference="+++000/0000/12427+++",
        seller_iban="BE71096123456769",
        seller_bic="GKCCBEBB",
        legal_mentions=(REVERSE_CHARGE_MENTION,),
        buyer_reference="PO 7781",
    )


def credit_note() -> InvoiceDocument:
    """Credits the photo book line of `belgian_invoice` (returned goods)."""
    line = DocumentLine(
        "Livre photo (imprimé) – retour", D("2"), D("24.99"), D("49.98"), "S", D("6")
    )
    return InvoiceDocument(
        kind="credit_note",
        number="BE-2026-000131",
        issue_date=dt.date(2026, 3, 20),
        due_date=dt.date(2026, 3, 20),
        currency="EUR",
        seller=MUTUA_BE,
        buyer=ATELIER_GENT,
        lines=(line,),
        vat_breakdown=(VatBreakdown("S", D("6"), D("49.98"), D("3.00")),),
        total_net=D("49.98"),
        total_vat=D("3.00"),
        total_gross=D("52.98"),
        amount_due=D("52.98"),
        payment_reference="",
        seller_iban="BE71096123456769",
        seller_bic="GKCCBEBB",
        notes="Avoir sur la facture BE-2026-000123",
        preceding_invoice_number="BE-2026-000123",
        preceding_invoice_date=dt.date(2026, 3, 2),
        order_reference="BC-2026-0042",
    )


ALL = {
    "belgian_invoice": belgian_invoice,
    "french_invoice": french_invoice,
    "reverse_charge_invoice": reverse_charge_invoice,
    "credit_note": credit_note,
}

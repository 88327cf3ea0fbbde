"""French VAT rates and invoice mentions.

Rates: Code général des impôts art. 278 (20 %), 278 bis / 279 (10 %), 278-0 bis (5.5 %),
281 quater and following (2.1 %), unchanged 2024-2026 (impots.gouv.fr, "Taux de TVA").
"""

import datetime as dt
from decimal import Decimal

from mutua.countries.vat import VatRate

SOURCE = "Code général des impôts art. 278 to 281 nonies (impots.gouv.fr)"
START = dt.date(2024, 1, 1)
RATES = (
    VatRate("standard", Decimal("20"), START, SOURCE),
    VatRate("reduced", Decimal("10"), START, SOURCE),
    VatRate("reduced_2", Decimal("5.5"), START, SOURCE),
    VatRate("super_reduced", Decimal("2.1"), START, SOURCE),
    VatRate("zero", Decimal("0"), START, SOURCE),
)

# CGI art. 283-2 and 242 nonies A: the mention "Autoliquidation" is required on the invoice.
REVERSE_CHARGE_MENTION = {
    "fr": "Autoliquidation – article 283-2 du CGI et article 196 de la directive 2006/112/CE",
    "en": "Reverse charge – CGI art. 283-2, Article 196 of Directive 2006/112/EC",
    "nl": "Btw verlegd – artikel 196 van richtlijn 2006/112/EG",
}
OUTSIDE_EU_MENTION = {
    "fr": "TVA non applicable – article 259-1 du CGI (preneur établi hors de l'UE)",
    "en": "VAT not applicable – CGI art. 259-1 (customer established outside the EU)",
    "nl": "Geen btw – artikel 44 van richtlijn 2006/112/EG",
}
# Code de commerce L441-10 and D441-5: late-payment penalties and the EUR 40 recovery indemnity
# must appear on every B2B invoice.
LEGAL_MENTIONS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Pénalités de retard : trois fois le taux d'intérêt légal.",
        "Indemnité forfaitaire pour frais de recouvrement : 40 €.",
        "Pas d'escompte pour paiement anticipé.",
    ),
    "en": (
        "Late payment penalties: three times the French statutory interest rate.",
        "Fixed recovery indemnity: EUR 40.",
        "No discount for early payment.",
    ),
    "nl": (
        "Verwijlinterest: drie keer de Franse wettelijke rentevoet.",
        "Forfaitaire invorderingsvergoeding: 40 EUR.",
    ),
}

# How invoices carry their payment reference: "structured" = Belgian structured communication
# (Febelfin, every Belgian bank), "rf" = ISO 11649 creditor reference.
PAYMENT_REFERENCE_SCHEME = "rf"
# Peppol participant identifier scheme (EAS code list) for the company number.
PEPPOL_SCHEME = "0002"

# French buyers must receive structured e-invoices: Factur-X (PDF/A-3 with the CII XML).
CLIENT_PDF = "facturx"

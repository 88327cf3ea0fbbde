"""Belgian VAT rates and invoice mentions.

Rates: Code TVA/BTW-Wetboek art. 37 and Royal Decree no. 20 (21 %, 12 %, 6 %, 0 %), unchanged
2024-2026 for the services a cooperative invoices (FOD Financiën, "Btw-tarieven").
"""

import datetime as dt
from decimal import Decimal

from mutua.countries.vat import VatRate

SOURCE = "Belgian VAT Code art. 37 and Royal Decree no. 20 (FOD Financiën / SPF Finances)"
START = dt.date(2024, 1, 1)
RATES = (
    VatRate("standard", Decimal("21"), START, SOURCE),
    VatRate("reduced", Decimal("12"), START, SOURCE),
    VatRate("reduced_2", Decimal("6"), START, SOURCE),
    VatRate("zero", Decimal("0"), START, SOURCE),
)

# Reverse charge on intra-EU B2B services: Belgian VAT Code art. 21 §2 and Directive 2006/112/EC
# art. 196; the invoice must say the buyer is liable (art. 5 §1 of Royal Decree no. 1).
REVERSE_CHARGE_MENTION = {
    "fr": "Autoliquidation – article 196 de la directive 2006/112/CE",
    "nl": "Btw verlegd – artikel 196 van richtlijn 2006/112/EG",
    "en": "Reverse charge – Article 196 of Directive 2006/112/EC",
}
OUTSIDE_EU_MENTION = {
    "fr": "Prestation hors du champ de la TVA européenne – article 44 de la directive 2006/112/CE",
    "nl": (
        "Dienst buiten het toepassingsgebied van de EU-btw – artikel 44 van richtlijn 2006/112/EG"
    ),
    "en": "Supply outside the scope of EU VAT – Article 44 of Directive 2006/112/EC",
}
LEGAL_MENTIONS: dict[str, tuple[str, ...]] = {
    "fr": ("Facture émise par la coopérative au nom et pour le compte de l'activité indiquée.",),
    "nl": ("Factuur uitgereikt door de coöperatie voor de vermelde activiteit.",),
    "en": ("Invoice issued by the cooperative for the activity shown.",),
}

# How invoices carry their payment reference: "structured" = Belgian structured communication
# (Febelfin, every Belgian bank), "rf" = ISO 11649 creditor reference.
PAYMENT_REFERENCE_SCHEME = "structured"
# Peppol participant identifier scheme (EAS code list) for the company number.
PEPPOL_SCHEME = "0208"

# Every Belgian enterprise number is registered on Peppol (scheme 0208).
COMPANY_NUMBER_IS_ENDPOINT = True

"""Swedish VAT (moms) rates: Mervärdesskattelag (2023:200) ch. 9 (25 %, 12 %, 6 %), Skatteverket."""

import datetime as dt
from decimal import Decimal

from mutua.countries.vat import VatRate

SOURCE = "Mervärdesskattelag (2023:200) kap. 9 (Skatteverket)"
START = dt.date(2024, 1, 1)
RATES = (
    VatRate("standard", Decimal("25"), START, SOURCE),
    VatRate("reduced", Decimal("12"), START, SOURCE),
    VatRate("reduced_2", Decimal("6"), START, SOURCE),
    VatRate("zero", Decimal("0"), START, SOURCE),
)

REVERSE_CHARGE_MENTION = {
    "en": "Reverse charge – Article 196 of Directive 2006/112/EC (omvänd betalningsskyldighet)",
    "sv": "Omvänd betalningsskyldighet – artikel 196 i direktiv 2006/112/EG",
    "fr": "Autoliquidation – article 196 de la directive 2006/112/CE",
    "nl": "Btw verlegd – artikel 196 van richtlijn 2006/112/EG",
}
OUTSIDE_EU_MENTION = {
    "en": "Supply outside the scope of EU VAT – Article 44 of Directive 2006/112/EC",
    "sv": "Tjänst utanför EU:s mervärdesskatteområde – artikel 44 i direktiv 2006/112/EG",
    "fr": "Prestation hors du champ de la TVA européenne – article 44 de la directive 2006/112/CE",
    "nl": (
        "Dienst buiten het toepassingsgebied van de EU-btw – artikel 44 van richtlijn 2006/112/EG"
    ),
}
LEGAL_MENTIONS: dict[str, tuple[str, ...]] = {"en": (), "sv": (), "fr": (), "nl": ()}

# How invoices carry their payment reference: "structured" = Belgian structured communication
# (Febelfin, every Belgian bank), "rf" = ISO 11649 creditor reference.
PAYMENT_REFERENCE_SCHEME = "rf"
# Peppol participant identifier scheme (EAS code list) for the company number.
PEPPOL_SCHEME = "0007"

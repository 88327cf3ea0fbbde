"""VAT vocabulary shared by the country packages (EN 16931 category codes, UNCL5305).

A country's own rates, dates and legal wording live in `countries/<cc>/vat.py`; this module only
holds the shapes and the EU membership list that decides between domestic VAT, reverse charge and
supplies outside the EU.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

# EU member states for VAT (ISO 3166 alpha-2; Greece uses EL in VAT numbers, GR here).
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)

STANDARD = "S"  # standard or reduced rate
ZERO = "Z"
EXEMPT = "E"
REVERSE_CHARGE = "AE"  # intra-EU B2B services: the buyer accounts for the VAT
OUTSIDE_SCOPE = "O"  # services to a business outside the EU: not subject to EU VAT


@dataclass(frozen=True)
class VatRate:
    name: str  # "standard", "reduced", "reduced_2", "zero", ...
    percent: Decimal
    valid_from: dt.date
    source: str


@dataclass(frozen=True)
class VatTreatment:
    category: str
    percent: Decimal
    exemption_reason: str = ""
    exemption_code: str = ""  # CEF VATEX code for e-invoices


def rate_on(rates: tuple[VatRate, ...], name: str, on: dt.date) -> VatRate:
    """The rate called `name` in force on a date (latest start on or before it)."""
    candidates = [r for r in rates if r.name == name and r.valid_from <= on]
    if not candidates:
        from mutua.core.errors import InvalidInput

        raise InvalidInput(f"no VAT rate {name!r} in force on {on}", field="vat_rate")
    return max(candidates, key=lambda r: r.valid_from)


@dataclass(frozen=True)
class CountryVat:
    """A country's VAT rates and wording, and the choice of treatment for a buyer."""

    country: str
    rates: tuple[VatRate, ...]
    reverse_charge_mention: dict[str, str]
    outside_eu_mention: dict[str, str]
    legal_mentions: dict[str, tuple[str, ...]]
    payment_reference_scheme: str = "rf"
    peppol_scheme: str = ""
    # The PDF a buyer of this country receives ("facturx": PDF/A-3 with the CII XML), and whether
    # its company number is itself a registered Peppol endpoint (Belgium's enterprise number).
    client_pdf: str = "pdf"
    company_number_is_endpoint: bool = False

    def peppol_id(self, company_number: str) -> str | None:
        """`<EAS scheme>:<company number>`, e.g. Belgium 0208:0403170701."""
        return f"{self.peppol_scheme}:{company_number}" if company_number else None

    def treatment(
        self,
        *,
        buyer_country: str,
        buyer_is_business: bool,
        rate_name: str,
        on: dt.date,
        buyer_vat_number: str = "-",
    ) -> VatTreatment:
        """Which VAT applies to a service sold to this buyer (Directive 2006/112/EC).

        B2B services are taxed where the buyer is established (art. 44): inside the EU the buyer
        self-assesses (reverse charge, art. 196); outside the EU no EU VAT is due. B2C services
        follow the general rule (art. 45) and carry the seller's VAT.
        """
        # Inside the EU, only a buyer with a VAT number can self-assess (art. 196 needs it).
        in_eu = buyer_country in EU_COUNTRIES
        domestic = (
            buyer_country == self.country
            or not buyer_is_business
            or (in_eu and not buyer_vat_number)
        )
        if domestic:
            rate = rate_on(self.rates, rate_name, on)
            return VatTreatment(ZERO if rate.percent == 0 else STANDARD, rate.percent)
        if in_eu:
            return VatTreatment(
                REVERSE_CHARGE, Decimal("0"), self.reverse_charge_mention["en"], "VATEX-EU-AE"
            )
        return VatTreatment(
            OUTSIDE_SCOPE, Decimal("0"), self.outside_eu_mention["en"], "VATEX-EU-O"
        )

    def mentions(self, language: str, categories: set[str]) -> list[str]:
        """The legal mentions an invoice in `language` must carry for these VAT categories."""
        lang = language if language in self.reverse_charge_mention else "en"
        mentions = list(self.legal_mentions.get(lang, ()))
        if REVERSE_CHARGE in categories:
            mentions.append(self.reverse_charge_mention[lang])
        if OUTSIDE_SCOPE in categories:
            mentions.append(self.outside_eu_mention[lang])
        return mentions

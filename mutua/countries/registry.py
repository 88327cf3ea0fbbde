"""Lazy registry of country packages: `rules_for("BE")` imports mutua.countries.be on first use."""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

from mutua.core.errors import InvalidIdentifier, InvalidInput
from mutua.countries.base import CountryRules
from mutua.countries.vat import EU_COUNTRIES, CountryVat

if TYPE_CHECKING:
    from mutua.countries.parameters import CountryParameters

SUPPORTED = ("BE", "FR", "SE")


@cache
def rules_for(country: str) -> CountryRules:
    code = (country or "").upper()
    if code not in SUPPORTED:
        raise InvalidInput(f"country {country!r} is not supported", field="country")
    module = importlib.import_module(f"mutua.countries.{code.lower()}")
    rules: CountryRules = module.RULES
    return rules


@cache
def parameters_for(country: str) -> CountryParameters:
    """The schema and shipped files of a supported country's legal parameters (`<cc>/params.py`)."""
    code = rules_for(country).code
    module = importlib.import_module(f"mutua.countries.{code.lower()}.params")
    declared: CountryParameters = module.PARAMETERS
    return declared


# The parts a country package may carry, each a module of `countries/<cc>/` (DESIGN.md §4).
PARTS = ("annual", "chart", "expenses", "params", "vat", "payroll", "copyright")


def country_part(country: str, part: str) -> ModuleType | None:
    """A supported country's module for one part, or None where the country has none: the only
    way other apps reach a country package (no dotted paths built elsewhere)."""
    if part not in PARTS:
        raise ValueError(f"unknown country part {part!r}")
    code = rules_for(country).code
    try:
        return importlib.import_module(f"mutua.countries.{code.lower()}.{part}")
    except ModuleNotFoundError as exc:
        if exc.name != f"mutua.countries.{code.lower()}.{part}":
            raise  # the part exists but something it imports is missing
        return None


def country_choices() -> list[tuple[str, str]]:
    return [(code, rules_for(code).name) for code in SUPPORTED]


@cache
def vat_rules_for(country: str) -> CountryVat:
    """The VAT rules of a supported country, from its `countries/<cc>/vat.py` table."""
    code = rules_for(country).code
    module = importlib.import_module(f"mutua.countries.{code.lower()}.vat")
    return CountryVat(
        country=code,
        rates=module.RATES,
        reverse_charge_mention=module.REVERSE_CHARGE_MENTION,
        outside_eu_mention=module.OUTSIDE_EU_MENTION,
        legal_mentions=module.LEGAL_MENTIONS,
        payment_reference_scheme=module.PAYMENT_REFERENCE_SCHEME,
        peppol_scheme=module.PEPPOL_SCHEME,
        client_pdf=getattr(module, "CLIENT_PDF", "pdf"),
        company_number_is_endpoint=getattr(module, "COMPANY_NUMBER_IS_ENDPOINT", False),
    )


def vat_rules_or_none(country: str) -> CountryVat | None:
    """The VAT rules of a country with a package here; None for any other (a client abroad)."""
    return vat_rules_for(country) if (country or "").upper() in SUPPORTED else None


def checked_business_identifiers(
    country: str, vat_number: str, company_number: str
) -> tuple[str, str]:
    """Validate a client's VAT and company numbers as its own country defines them.

    Countries with a package here check both; other EU countries have their VAT number checked
    with python-stdnum's EU module; elsewhere the numbers are kept as given (no common format).
    """
    code = country.upper()
    if code in SUPPORTED:
        rules = rules_for(code)
        vat = rules.validate_vat_number(vat_number) if vat_number else ""
        company = rules.validate_company_number(company_number) if company_number else ""
        return vat, company
    if code in EU_COUNTRIES and vat_number:
        prefix = "EL" if code == "GR" else code
        number = vat_number if vat_number.upper().startswith(prefix) else prefix + vat_number
        try:
            return eu_vat.validate(number), company_number.strip()
        except StdnumError as exc:
            raise InvalidIdentifier(
                f"VAT number {vat_number!r} is not valid: {exc}", field="vat_number"
            ) from exc
    return vat_number.strip(), company_number.strip()

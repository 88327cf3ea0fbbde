"""Lazy registry of country packages: `rules_for("BE")` imports mutua.countries.be on first use."""

from __future__ import annotations

import importlib
from functools import cache

from mutua.core.errors import InvalidInput
from mutua.countries.base import CountryRules
from mutua.countries.vat import CountryVat

SUPPORTED = ("BE", "FR", "SE")


@cache
def rules_for(country: str) -> CountryRules:
    code = (country or "").upper()
    if code not in SUPPORTED:
        raise InvalidInput(f"country {country!r} is not supported", field="country")
    module = importlib.import_module(f"mutua.countries.{code.lower()}")
    rules: CountryRules = module.RULES
    return rules


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
    )

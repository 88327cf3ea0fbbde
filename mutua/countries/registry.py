"""Lazy registry of country packages: `rules_for("BE")` imports mutua.countries.be on first use."""

from __future__ import annotations

import importlib
from functools import cache

from mutua.core.errors import InvalidInput
from mutua.countries.base import CountryRules

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

"""Sweden."""

from stdnum.se import orgnr, personnummer, vat

from mutua.countries.base import IdentifierRules

RULES = IdentifierRules(
    code="SE",
    name="Sweden",
    currency="SEK",
    languages=("sv", "en"),
    vat_module=vat,
    company_module=orgnr,
    national_module=personnummer,
    payroll_module="mutua.countries.se.payroll",
)

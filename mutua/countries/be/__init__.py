"""Belgium."""

from stdnum.be import nn, vat

from mutua.countries.base import IdentifierRules

# The enterprise number (KBO/BCE) has the same digits and check as the VAT number.
RULES = IdentifierRules(
    code="BE",
    name="Belgium",
    currency="EUR",
    languages=("fr", "nl", "en"),
    vat_module=vat,
    company_module=vat,
    national_module=nn,
    payroll_module="mutua.countries.be.payroll",
    copyright_module="mutua.countries.be.copyright",
)

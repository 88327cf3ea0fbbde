"""France."""

from stdnum.fr import nir, siren, tva

from mutua.countries.base import IdentifierRules

RULES = IdentifierRules(
    code="FR",
    name="France",
    currency="EUR",
    languages=("fr", "en"),
    vat_module=tva,
    company_module=siren,
    national_module=nir,
    payroll_module="mutua.countries.fr.payroll",
)

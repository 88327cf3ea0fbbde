import pytest

from mutua.core.errors import InvalidIdentifier, InvalidInput
from mutua.countries.base import CountryRules
from mutua.countries.registry import SUPPORTED, rules_for


@pytest.mark.parametrize("code", SUPPORTED)
def test_each_country_package_follows_the_protocol(code: str) -> None:
    rules = rules_for(code)
    assert isinstance(rules, CountryRules)
    assert rules.code == code


def test_an_unknown_country_is_refused_with_the_field_named() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        rules_for("XX")
    assert excinfo.value.field == "country"


def test_identifiers_are_checked_by_the_country_rules() -> None:
    # Checksum-valid sample numbers, in the spaced forms people type them.
    assert rules_for("BE").validate_vat_number("BE 0403.170.701") == "BE0403170701"
    assert rules_for("FR").validate_company_number("732 829 320") == "732829320"
    with pytest.raises(InvalidIdentifier) as excinfo:
        rules_for("BE").validate_vat_number("BE0403170702")
    assert excinfo.value.field == "vat_number"
    with pytest.raises(InvalidIdentifier):
        rules_for("SE").validate_national_number("811218-9877")

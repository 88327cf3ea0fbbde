import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from mutua.entities.models import Entity
from mutua.entities.queries import fee_rate_on, take_number
from tests.conftest import make_entity


def test_an_entity_with_valid_identifiers_is_stored_compact(db: object) -> None:
    entity = make_entity("BE", vat_number="BE 0403.170.701", company_number="0403.170.701")
    assert entity.vat_number == "BE0403170701"
    assert entity.company_number == "0403170701"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("vat_number", "BE0403170702"),
        ("company_number", "0403170799"),
        ("iban", "BE68539007547035"),
        ("bic", "NOTABIC"),
    ],
)
def test_invalid_identifiers_are_refused_naming_the_field(
    db: object, field: str, value: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        make_entity("BE", **{field: value})
    assert field in excinfo.value.message_dict
    assert not Entity.objects.filter(code="BE").exists()


def test_french_and_swedish_entities_validate_their_own_numbers(db: object) -> None:
    assert make_entity("FR").vat_number.startswith("FR")
    sweden = make_entity("SE")
    assert sweden.currency == "SEK" and sweden.vat_number.endswith("01")
    with pytest.raises(ValidationError) as excinfo:
        make_entity("SE2", country="SE", company_number="5560360794")
    assert "company_number" in excinfo.value.message_dict


def test_fee_rate_in_force_on_a_date(db: object) -> None:
    import datetime as dt
    from decimal import Decimal

    entity = make_entity("BE")
    entity.fee_rates.create(rate=Decimal("0.07"), valid_from=dt.date(2026, 1, 1))
    entity.fee_rates.create(
        rate=Decimal("0.05"), valid_from=dt.date(2025, 1, 1), activity_type="education"
    )
    assert fee_rate_on(entity, dt.date(2025, 6, 1)).rate == Decimal("0.06500")
    assert fee_rate_on(entity, dt.date(2026, 6, 1)).rate == Decimal("0.07000")
    assert fee_rate_on(entity, dt.date(2025, 6, 1), "education").rate == Decimal("0.05000")
    assert fee_rate_on(entity, dt.date(2025, 6, 1), "music").rate == Decimal("0.06500")


def test_numbers_are_gapless_and_a_rollback_gives_the_number_back(db: object) -> None:
    entity = make_entity("BE")
    with transaction.atomic():
        assert take_number(entity, "invoice", 2026) == 1
        assert take_number(entity, "invoice", 2026) == 2
    with pytest.raises(RuntimeError), transaction.atomic():
        take_number(entity, "invoice", 2026)
        raise RuntimeError("issue failed")
    with transaction.atomic():
        assert take_number(entity, "invoice", 2026) == 3
        assert take_number(entity, "invoice", 2027) == 1


def test_taking_a_number_outside_a_transaction_is_refused(transactional_db: object) -> None:
    entity = make_entity("BE")
    with pytest.raises(RuntimeError):
        take_number(entity, "invoice", 2026)

from decimal import Decimal

import pytest
from stdnum import iso11649
from stdnum.be import ogm_vcs

from mutua.core.errors import InvalidInput
from mutua.invoicing.documents.payment import (
    CreditTransfer,
    epc_qr_payload,
    is_rf_creditor_reference,
    ogm_digits,
    qr_svg,
    rf_creditor_reference,
    structured_communication,
)


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        (909337554, "+++090/9337/55493+++"),
        (1, "+++000/0000/00101+++"),
        (97, "+++000/0000/09797+++"),  # 97 mod 97 = 0 -> check digits 97
        (2026000123, "+++202/6000/12320+++"),
        (9999999999, "+++999/9999/99948+++"),
    ],
)
def test_structured_communication_has_febelfin_check_digits(base: int, expected: str) -> None:
    reference = structured_communication(base)
    assert reference == expected
    assert ogm_vcs.is_valid(reference)
    assert ogm_vcs.validate(reference) == f"{base:010d}{expected[-5:-3]}"


def test_structured_communication_check_digits_agree_with_stdnum_on_many_bases() -> None:
    for base in range(1, 100_000, 7919):
        digits = structured_communication(base).strip("+").replace("/", "")
        assert ogm_vcs.calc_check_digits(digits[:10]) == digits[10:]


def test_structured_communication_refuses_more_than_ten_digits() -> None:
    with pytest.raises(InvalidInput):
        structured_communication(10**10)
    with pytest.raises(InvalidInput):
        structured_communication(0)


def test_ogm_digits_accepts_only_valid_structured_communications() -> None:
    assert ogm_digits("+++090/9337/55493+++") == "090933755493"
    assert ogm_digits("***090/9337/55493***") == "090933755493"
    assert ogm_digits("090933755493") == "090933755493"
    assert ogm_digits("+++090/9337/55494+++") is None  # wrong check digits
    assert ogm_digits("Invoice 090933755493") is None


@pytest.mark.parametrize("body", ["539007547034", "2026000045", "FR2026000123", "A"])
def test_rf_creditor_reference_passes_iso_11649(body: str) -> None:
    reference = rf_creditor_reference(body)
    assert iso11649.is_valid(reference)
    assert is_rf_creditor_reference(reference)
    assert reference.endswith(body)


def test_rf_creditor_reference_matches_the_iso_11649_example() -> None:
    assert rf_creditor_reference("539007547034") == "RF18539007547034"
    assert not is_rf_creditor_reference("RF17539007547034")


def test_rf_creditor_reference_refuses_long_or_odd_bodies() -> None:
    with pytest.raises(InvalidInput):
        rf_creditor_reference("1" * 22)
    with pytest.raises(InvalidInput):
        rf_creditor_reference("2026-000045")


def transfer(**overrides: object) -> CreditTransfer:
    fields: dict = {
        "beneficiary_name": "Mutua Belgium SC",
        "iban": "BE71 0961 2345 6769",
        "amount": Decimal("1883.11"),
        "currency": "EUR",
        "bic": "GKCCBEBB",
        "reference": "+++090/9337/55493+++",
    }
    fields.update(overrides)
    return CreditTransfer(**fields)


def test_epc_payload_follows_epc069_12_line_order_with_structured_reference() -> None:
    assert epc_qr_payload(transfer()) == (
        "BCD\n002\n1\nSCT\nGKCCBEBB\nMutua Belgium SC\nBE71096123456769\nEUR1883.11\n\n090933755493"
    )


def test_epc_payload_puts_rf_reference_in_the_structured_field() -> None:
    payload = epc_qr_payload(transfer(reference="RF18 2026 0000 45", amount=Decimal("12.3")))
    assert payload is not None
    assert payload.split("\n")[7:] == ["EUR12.30", "", "RF182026000045"]


def test_epc_payload_puts_free_text_in_the_unstructured_field() -> None:
    payload = epc_qr_payload(transfer(reference="Facture FR-2026-000045", bic=""))
    assert payload == (
        "BCD\n002\n1\nSCT\n\nMutua Belgium SC\nBE71096123456769\nEUR1883.11\n\n\n"
        "Facture FR-2026-000045"
    )


def test_epc_payload_truncates_the_name_to_70_characters_and_stays_under_331_bytes() -> None:
    payload = epc_qr_payload(transfer(beneficiary_name="É" * 90, reference="x" * 200))
    assert payload is not None
    lines = payload.split("\n")
    assert len(lines[5]) == 70
    assert lines[10] == "x" * len(lines[10])  # free text shortened to fit
    assert len(payload.encode()) == 331


def test_there_is_no_epc_qr_for_other_currencies_or_nothing_to_pay() -> None:
    assert epc_qr_payload(transfer(currency="SEK")) is None
    assert epc_qr_payload(transfer(amount=Decimal("0.00"))) is None


def test_epc_amount_has_a_maximum() -> None:
    with pytest.raises(InvalidInput):
        epc_qr_payload(transfer(amount=Decimal("1000000000.00")))


def test_qr_svg_is_an_inline_svg_path() -> None:
    svg = qr_svg(epc_qr_payload(transfer()) or "")
    assert svg.startswith("<svg")
    assert "<path" in svg
    assert "<?xml" not in svg

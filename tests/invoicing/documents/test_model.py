import dataclasses
from decimal import Decimal as D

import pytest

from mutua.core.errors import InvalidInput
from mutua.invoicing.documents.model import DocumentLine, Party, VatBreakdown
from tests.invoicing.documents import samples


def test_the_samples_add_up() -> None:
    for build in samples.ALL.values():
        build().validate()


def test_it_refuses_a_total_that_does_not_add_up() -> None:
    with pytest.raises(InvalidInput, match="total_net") as error:
        dataclasses.replace(samples.belgian_invoice(), total_net=D("1562.49"))
    assert error.value.field == "total_net"


def test_it_refuses_a_gross_total_off_by_one_cent() -> None:
    with pytest.raises(InvalidInput, match="total_gross"):
        dataclasses.replace(samples.belgian_invoice(), total_gross=D("1883.12"))


def test_it_refuses_an_amount_due_that_ignores_what_was_paid() -> None:
    with pytest.raises(InvalidInput, match="amount_due"):
        dataclasses.replace(samples.belgian_invoice(), paid_amount=D("100.00"))
    paid = dataclasses.replace(
        samples.belgian_invoice(), paid_amount=D("100.00"), amount_due=D("1783.11")
    )
    assert paid.amount_due == D("1783.11")


def test_it_refuses_a_line_whose_amount_is_not_quantity_times_price() -> None:
    doc = samples.credit_note()
    wrong = dataclasses.replace(doc.lines[0], net_amount=D("49.99"))
    with pytest.raises(InvalidInput, match=r"2 x 24.99 = 49.98"):
        dataclasses.replace(doc, lines=(wrong,))


def test_it_refuses_vat_not_rounded_per_en16931() -> None:
    doc = samples.belgian_invoice()
    breakdown = (
        VatBreakdown("S", D("21"), D("1512.50"), D("317.62")),  # 317.625 rounds half up to .63
        doc.vat_breakdown[1],
    )
    with pytest.raises(InvalidInput, match=r"expected 317\.63"):
        dataclasses.replace(doc, vat_breakdown=breakdown, total_vat=D("320.62"))


def test_it_refuses_a_breakdown_that_misses_a_rate() -> None:
    doc = samples.belgian_invoice()
    with pytest.raises(InvalidInput, match="does not match the lines"):
        dataclasses.replace(doc, vat_breakdown=doc.vat_breakdown[:1], total_vat=D("317.63"))


def test_it_refuses_amounts_with_fractions_of_cents_and_floats() -> None:
    with pytest.raises(InvalidInput, match="not rounded"):
        dataclasses.replace(samples.credit_note(), paid_amount=D("0.001"))
    with pytest.raises(InvalidInput, match="Decimal"):
        dataclasses.replace(samples.credit_note(), paid_amount=0.0)


def test_reverse_charge_needs_an_exemption_reason_and_both_vat_numbers() -> None:
    doc = samples.reverse_charge_invoice()
    bare = dataclasses.replace(
        doc.vat_breakdown[0], exemption_reason=None, exemption_reason_code=None
    )
    with pytest.raises(InvalidInput, match="exemption reason"):
        dataclasses.replace(doc, vat_breakdown=(bare,))
    no_vat = dataclasses.replace(doc.buyer, vat_number=None)
    with pytest.raises(InvalidInput, match="VAT numbers"):
        dataclasses.replace(doc, buyer=no_vat)


def test_standard_rate_must_be_positive_and_other_categories_zero() -> None:
    with pytest.raises(InvalidInput, match="cannot have rate"):
        line = DocumentLine("x", D("1"), D("10.00"), D("10.00"), "AE", D("21"))
        dataclasses.replace(samples.reverse_charge_invoice(), lines=(line,))


def test_it_refuses_an_empty_document_a_negative_total_and_a_due_date_before_issue() -> None:
    doc = samples.belgian_invoice()
    with pytest.raises(InvalidInput, match="at least one line"):
        dataclasses.replace(doc, lines=())
    with pytest.raises(InvalidInput, match="before issue date"):
        dataclasses.replace(doc, due_date=doc.issue_date.replace(day=1))
    refund = DocumentLine("refund", D("1"), D("-10.00"), D("-10.00"), "S", D("21"))
    with pytest.raises(InvalidInput, match="negative"):
        dataclasses.replace(
            doc,
            lines=(refund,),
            vat_breakdown=(VatBreakdown("S", D("21"), D("-10.00"), D("-2.10")),),
            total_net=D("-10.00"),
            total_vat=D("-2.10"),
            total_gross=D("-12.10"),
            amount_due=D("-12.10"),
        )


def test_parties_check_country_and_peppol_id() -> None:
    with pytest.raises(InvalidInput, match="alpha-2"):
        dataclasses.replace(samples.MUTUA_BE, country="BEL")
    with pytest.raises(InvalidInput, match="Peppol id"):
        dataclasses.replace(samples.MUTUA_BE, peppol_id="BE0403170701")
    assert samples.ATELIER_GENT.locale == "nl_BE"


def test_documents_are_immutable_and_keep_tuples() -> None:
    doc = dataclasses.replace(samples.credit_note(), legal_mentions=["a", "b"])  # type: ignore[arg-type]
    assert doc.legal_mentions == ("a", "b")
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.number = "X"  # type: ignore[misc]
    assert isinstance(Party, type)


def test_outside_scope_cannot_be_mixed_with_other_categories() -> None:
    doc = samples.belgian_invoice()
    outside = DocumentLine("Conseil (hors UE)", D("1"), D("100.00"), D("100.00"), "O", D("0"))
    with pytest.raises(InvalidInput, match="cannot be mixed"):
        dataclasses.replace(
            doc,
            lines=(*doc.lines, outside),
            vat_breakdown=(
                *doc.vat_breakdown,
                VatBreakdown("O", D("0"), D("100.00"), D("0.00"), "Not subject"),
            ),
            total_net=D("1662.48"),
            total_gross=D("1983.11"),
            amount_due=D("1983.11"),
        )

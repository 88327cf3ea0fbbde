import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutua.core.errors import InvalidInput
from mutua.countries.registry import vat_rules_for
from mutua.invoicing.vat import PricedLine, invoice_totals

ON = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("country", "rates"),
    [
        ("BE", {"standard": "21", "reduced": "12", "reduced_2": "6", "zero": "0"}),
        ("FR", {"standard": "20", "reduced": "10", "reduced_2": "5.5", "super_reduced": "2.1"}),
        ("SE", {"standard": "25", "reduced": "12", "reduced_2": "6"}),
    ],
)
def test_domestic_rates_per_country(country: str, rates: dict[str, str]) -> None:
    vat = vat_rules_for(country)
    for name, percent in rates.items():
        treatment = vat.treatment(
            buyer_country=country, buyer_is_business=True, rate_name=name, on=ON
        )
        assert treatment.percent == Decimal(percent)
        assert treatment.category == ("Z" if percent == "0" else "S")


def test_intra_eu_business_clients_self_assess_with_the_legal_mention() -> None:
    vat = vat_rules_for("BE")
    treatment = vat.treatment(
        buyer_country="NL", buyer_is_business=True, rate_name="standard", on=ON
    )
    assert (treatment.category, treatment.percent) == ("AE", Decimal("0"))
    assert treatment.exemption_code == "VATEX-EU-AE"
    assert any("196" in m for m in vat.mentions("nl", {"AE"}))
    assert any("Autoliquidation" in m for m in vat_rules_for("FR").mentions("fr", {"AE"}))


def test_consumers_elsewhere_in_the_eu_pay_the_sellers_vat() -> None:
    treatment = vat_rules_for("BE").treatment(
        buyer_country="DE", buyer_is_business=False, rate_name="standard", on=ON
    )
    assert (treatment.category, treatment.percent) == ("S", Decimal("21"))


def test_business_clients_outside_the_eu_are_outside_the_scope() -> None:
    treatment = vat_rules_for("FR").treatment(
        buyer_country="CH", buyer_is_business=True, rate_name="standard", on=ON
    )
    assert (treatment.category, treatment.exemption_code) == ("O", "VATEX-EU-O")


def test_french_invoices_carry_the_late_payment_mentions() -> None:
    mentions = vat_rules_for("FR").mentions("fr", {"S"})
    assert any("40 €" in m for m in mentions)


def test_a_date_before_the_tables_is_refused() -> None:
    with pytest.raises(InvalidInput):
        vat_rules_for("BE").treatment(
            buyer_country="BE",
            buyer_is_business=True,
            rate_name="standard",
            on=dt.date(2000, 1, 1),
        )


def test_vat_is_rounded_once_per_rate_on_the_sum_of_lines() -> None:
    # Three lines of 0.35 at 21 %: per line 0.0735 would round to 0.07 each (0.21 in all);
    # on the sum 1.05 × 21 % = 0.2205 -> 0.22, as EN 16931 BR-CO-14 requires.
    line = PricedLine(Decimal("1"), Decimal("0.35"), "S", Decimal("21"))
    totals = invoice_totals([line, line, line])
    assert (totals.net, totals.vat, totals.gross) == (
        Decimal("1.05"),
        Decimal("0.22"),
        Decimal("1.27"),
    )


money = st.decimals(min_value=0, max_value=10**6, places=2)
qty = st.decimals(min_value=Decimal("0.25"), max_value=100, places=2)
rate = st.sampled_from([Decimal("21"), Decimal("12"), Decimal("6"), Decimal("0")])


@given(st.lists(st.tuples(qty, money, rate), min_size=1, max_size=8))
def test_totals_always_add_up_to_the_cent(rows: list[tuple[Decimal, Decimal, Decimal]]) -> None:
    totals = invoice_totals(PricedLine(q, p, "S", r) for q, p, r in rows)
    assert totals.gross == totals.net + totals.vat
    assert totals.net == sum((g.taxable for g in totals.groups), Decimal(0))
    assert all(g.tax == g.tax.quantize(Decimal("0.01")) for g in totals.groups)

"""Sweden: Smart Sweden's published calculator formula (reference/payroll-other.md), kept as the
simulator's quick estimate, and preliminary tax by Skatteverket's tables on payslips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from mutua.core.pay import Situation
from mutua.countries.se import tax_tables
from mutua.payroll.simulator import SimulationRequest, simulate

ON = dt.date(2025, 5, 1)
QUICK = Situation(quick_estimate=True)


def test_it_follows_the_published_formula_step_by_step() -> None:
    # gross = ((revenue / 1.0695) − expenses) / 1.3142;
    # net salary + expenses = gross × 0.7 + expenses.
    # Revenue 10,000 SEK, expenses 500:
    #   10,000 / 1.0695 = 9,350.16 (fee 649.84); − 500 = 8,850.16;
    #   / 1.3142 = 6,734.258… → 6,734.25 (rounded down: pay never exceeds the budget);
    #   tax 30 % = 2,020.275 → 2,020.28; net = 4,713.97; net + expenses = 5,213.97.
    result = simulate(
        SimulationRequest("SE", ON, "invoiced", D("10000"), D("500"), situation=QUICK)
    )
    assert result.currency == "SEK"
    assert "quick estimate" in next(ln.label for ln in result.lines if ln.code == "withholding_tax")
    assert result.fee == D("649.84")
    assert result.work_budget == D("8850.16")
    assert result.pay.gross == D("6734.25")
    assert result.pay.net == D("4713.97")
    assert result.pay.net + result.expenses == D("5213.97")
    # Employer contributions 31.42 % × 6,734.25 = 2,115.90 (2,115.8957…).
    assert result.pay.employer_contributions == D("2115.90")


def test_the_fee_is_six_and_a_half_percent_of_the_invoice() -> None:
    result = simulate(SimulationRequest("SE", ON, "invoiced", D("100000")))
    assert abs(result.fee - D("6500")) < D("2")  # 0.0695 / 1.0695 = 6.498 %


def test_a_member_with_a_tax_table_pays_its_column_one_amount() -> None:
    # Skatteverket's 2026 monthly table 32, column 1, row containing 30,000 kr (the file's own
    # figure, checked row by row in test_se_tax_tables.py).
    on = dt.date(2026, 3, 1)
    result = simulate(
        SimulationRequest("SE", on, "gross", D("30000"), situation=Situation(tax_table=32))
    )
    expected = tax_tables.monthly_tax(2026, 32, 1, D("30000")).amount
    assert result.pay.withholding_tax == expected == D("5703")
    assert result.pay.net == D("30000") - expected
    assert not result.provisional


def test_without_a_table_the_one_off_rate_applies_and_says_so() -> None:
    # 6,734.25 a month is about 80,811 a year: 10 % in 2025 (SKVFS 2024:23, column 1).
    result = simulate(SimulationRequest("SE", ON, "invoiced", D("10000"), D("500")))
    line = next(ln for ln in result.lines if ln.code == "withholding_tax")
    assert "one-off rate" in line.label and line.rate == D("0.10")
    assert result.pay.withholding_tax == D("673")  # whole kronor, rounded down


def test_2027_answers_on_the_2026_tables_flagged_provisional() -> None:
    on = dt.date(2027, 3, 1)
    result = simulate(
        SimulationRequest("SE", on, "gross", D("30000"), situation=Situation(tax_table=32))
    )
    assert result.provisional and any("tax tables" in note for note in result.notes)
    assert result.pay.withholding_tax == D("5703")

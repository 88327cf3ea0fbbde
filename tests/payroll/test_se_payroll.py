"""Sweden: Smart Sweden's published calculator formula (reference/payroll-other.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from mutua.payroll.simulator import SimulationRequest, simulate

ON = dt.date(2025, 5, 1)


def test_it_follows_the_published_formula_step_by_step() -> None:
    # gross = ((revenue / 1.0695) − expenses) / 1.3142;
    # net salary + expenses = gross × 0.7 + expenses.
    # Revenue 10,000 SEK, expenses 500:
    #   10,000 / 1.0695 = 9,350.16 (fee 649.84); − 500 = 8,850.16;
    #   / 1.3142 = 6,734.258… → 6,734.25 (rounded down: pay never exceeds the budget);
    #   tax 30 % = 2,020.275 → 2,020.28; net = 4,713.97; net + expenses = 5,213.97.
    result = simulate(SimulationRequest("SE", ON, "invoiced", D("10000"), D("500")))
    assert result.currency == "SEK"
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

"""French payroll rules at 1, 1.25, 1.9 and 3 × SMIC, non-executives and executives.

No official worked payslip is published for these cases, so each expected figure is a hand
computation from the legal rates written out here (CSS D242-4, AGIRC-ARRCO ANI 17/11/2017,
CSS L136-8 and L136-1-1, Ord. 96-50), independent of the code under test.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest

from mutua.core.pay import EmployerProfile, PayInputs, Situation
from mutua.countries.fr.payroll import calculator, reduction_coefficient

ON = dt.date(2026, 2, 1)
SMIC_2026 = D("1823.03")  # 12.02 € × 1,820 h ÷ 12, as published for 1 January 2026
PSS_2026 = D("4005")


def c(x: D) -> D:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def hand_employee_side(gross: D, cadre: bool) -> D:
    """Employee contributions + CSG + CRDS, by the 2026 legal rates."""
    t1 = min(gross, PSS_2026)
    t2 = max(gross - PSS_2026, D(0))
    total = c(t1 * D("0.069")) + c(gross * D("0.004"))  # old age capped / uncapped
    total += c(t1 * D("0.0315")) + c(t1 * D("0.0086"))  # AGIRC-ARRCO T1 + CEG T1
    if t2:
        total += c(t2 * D("0.0864")) + c(t2 * D("0.0108")) + c(gross * D("0.0014"))  # T2, CEG, CET
    if cadre:
        total += c(gross * D("0.00024"))  # APEC
    base = c(gross * D("0.9825"))  # under 4 PSS
    if cadre:
        base += c(t1 * D("0.015"))  # employer death cover enters the CSG base
    total += c(base * D("0.068")) + c(base * D("0.024")) + c(base * D("0.005"))
    return total


@pytest.mark.parametrize("multiple", ["1", "1.25", "1.9", "3"])
@pytest.mark.parametrize("category", ["non-cadre", "cadre"])
def test_the_net_follows_the_legal_rates(multiple: str, category: str) -> None:
    gross = c(SMIC_2026 * D(multiple))
    result = calculator(ON).compute_pay(PayInputs(ON, gross, Situation(category=category)))
    expected = hand_employee_side(gross, category == "cadre")
    assert result.employee_contributions == expected
    assert result.net == gross - expected


def test_the_net_at_the_2026_smic_step_by_step() -> None:
    # 6.90 % × 1,823.03 = 125.79; 0.40 % = 7.29; 3.15 % = 57.43; 0.86 % = 15.68 → 206.19.
    # CSG/CRDS base 98.25 % = 1,791.13: 6.8 % = 121.80, 2.4 % = 42.99, 0.5 % = 8.96 → 173.75.
    # Net = 1,823.03 − 206.19 − 173.75 = 1,443.09.
    result = calculator(ON).compute_pay(PayInputs(ON, SMIC_2026))
    assert result.net == D("1443.09")


def test_the_2026_general_reduction_coefficient() -> None:
    rule = calculator(ON).reduction
    # At 1 SMIC the coefficient is its maximum: 0.3981 (< 50 employees) or 0.4021 (≥ 50).
    assert reduction_coefficient(SMIC_2026, SMIC_2026, 10, rule) == D("0.3981")
    assert reduction_coefficient(SMIC_2026, SMIC_2026, 50, rule) == D("0.4021")
    # At 2 SMIC: 0.02 + 0.3781 × (½ × (3/2 − 1))^1.75 = 0.02 + 0.3781 × 0.25^1.75
    # = 0.02 + 0.3781 × 0.0883883 = 0.05342 → 0.0534.
    assert reduction_coefficient(2 * SMIC_2026, SMIC_2026, 10, rule) == D("0.0534")
    # Nothing at or above 3 SMIC.
    assert reduction_coefficient(3 * SMIC_2026, SMIC_2026, 10, rule) == D("0")


def test_the_2025_fillon_reduction_stops_at_1_6_smic() -> None:
    on = dt.date(2025, 6, 1)
    rules = calculator(on)
    smic = D("1801.80")  # 11.88 × 1,820 ÷ 12
    # C = 0.3193 / 0.6 × (1.6 × 1,801.80 / 2,000 − 1) = 0.532167 × 0.44144 = 0.23492 → 0.2349
    assert reduction_coefficient(D("2000"), smic, 10, rules.reduction) == D("0.2349")
    assert reduction_coefficient(D("2900"), smic, 10, rules.reduction) == D("0")


def test_entity_parameters_change_the_employer_side_only() -> None:
    rules = calculator(ON)
    small = rules.compute_pay(PayInputs(ON, D("3000")))
    large = rules.compute_pay(
        PayInputs(
            ON,
            D("3000"),
            employer=EmployerProfile(
                headcount=60, accident_rate=D("0.02"), transport_rate=D("0.0295")
            ),
        )
    )
    assert small.net == large.net
    assert large.employer_contributions > small.employer_contributions


def test_the_net_taxable_adds_back_non_deductible_csg_and_crds() -> None:
    # CGI art. 154 quinquies: only the 6.8 % CSG is deductible from taxable income, so the net
    # taxable pay (net imposable) = net + 2.4 % CSG + 0.5 % CRDS. At the 2026 SMIC (above):
    # 1,443.09 + 42.99 + 8.96 = 1,495.04.
    result = calculator(ON).compute_pay(PayInputs(ON, SMIC_2026))
    assert result.taxable == D("1495.04")


def test_the_fast_rgdu_power_gives_the_coefficient_of_the_exact_power() -> None:
    # The RGDU exponent 1.75 is computed as a fourth root to the 7th power (speed); to the 4
    # decimals the coefficient keeps (CSS D241-7) it equals Decimal's exact fractional power.
    from mutua.countries.fr import payroll as fr

    rule = calculator(ON).reduction
    for cents in range(182_303, 3 * 182_303, 997):
        gross = D(cents) / 100
        base = D("0.5") * (3 * SMIC_2026 / gross - 1)
        assert fr._power(base, rule.power).quantize(D("1E-12")) == (base**rule.power).quantize(
            D("1E-12")
        )

"""Belgian payroll rules, pinned on published figures (each test names its source)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from mutua.core.errors import InvalidInput
from mutua.core.pay import PayInputs, Situation
from mutua.countries.be import params
from mutua.countries.be.payroll import (
    bonus_part,
    calculator,
    special_contribution,
    withholding_before_bonus,
)
from mutua.countries.registry import rules_for

MARCH_2025 = dt.date(2025, 3, 1)
JAN_2026 = dt.date(2026, 1, 15)


def pay(gross: str, on: dt.date = MARCH_2025, **situation: object):
    return rules_for("BE").payroll(on).compute_pay(PayInputs(on, D(gross), Situation(**situation)))  # type: ignore[attr-defined, arg-type]


def test_it_reproduces_the_aclvb_2025_payslip_to_the_cent() -> None:
    # Source: ACLVB, "De bedrijfsvoorheffing in 2025" (28/01/2025): an employee earning 3,750
    # gross a month, married, partner with own professional income, 1 dependent child, takes home
    # 2,537.06 in 2025.
    result = pay("3750", marital="married", partner_income=True, children=1)
    assert result.net == D("2537.06")
    # The parts, by hand: 13.07 % × 3,750 = 490.125 → 490.13; no work bonus above 3,271.48;
    # CSSS joint, two incomes: 14.44 + 1.10 % × (3,750 − 2,190.18) = 31.598 → 31.60.
    assert result.employee_contributions == D("490.13")
    assert result.work_bonus == D("0")
    assert result.special_contribution == D("31.60")
    assert result.withholding_tax == D("691.21")


def test_it_computes_the_2026_key_formula_by_hand() -> None:
    # Annex III AR/CIR 92 as of 1 January 2026 (AR 11/12/2025), single, taxable 3,000 a month:
    # annual 36,000; expenses min(30 % = 10,800; cap 6,070) = 6,070 → 29,930;
    # scale: 16,710 × 26.75 % = 4,469.93; 12,790 × 42.80 % = 5,474.12; 430 × 48.15 % = 207.05;
    # total 10,151.10 − 2,987.98 (tax on the 11,170 tax-free sum) = 7,163.12; ÷ 12 = 596.93.
    formula = calculator(JAN_2026).formula
    assert withholding_before_bonus(D("3000"), Situation(), formula) == D("596.93")


def test_the_marriage_quotient_lowers_the_tax_for_a_one_income_couple() -> None:
    # Annex III scale II by hand, 2026, taxable 3,000: net 29,930; quotient 30 % = 8,979
    # (under the 13,790 cap); own part 20,951: 4,469.93 + (20,951 − 16,710) × 42.80 % = 1,815.15
    # → 6,285.08; quotient part 8,979 × 26.75 % = 2,401.88; total 8,686.96 − 5,975.96 = 2,711.00;
    # ÷ 12 = 225.92 (225.9166… rounded half up).
    formula = calculator(JAN_2026).formula
    couple = Situation(marital="married", partner_income=False)
    assert withholding_before_bonus(D("3000"), couple, formula) == D("225.92")


def test_children_and_single_parent_reductions_apply_yearly_then_divide_by_twelve() -> None:
    # Same case as the 596.93 one, single parent with 2 children (2026: 1,656 + 624 a year):
    # (7,163.12 − 2,280) ÷ 12 = 406.93.
    formula = calculator(JAN_2026).formula
    parent = Situation(children=2, single_parent=True)
    assert withholding_before_bonus(D("3000"), parent, formula) == D("406.93")


def test_the_work_bonus_follows_the_february_2025_onss_table() -> None:
    # Source: bonus à l'emploi au 1er février 2025 (Easypay Group flash, ONSS amounts):
    # part A 120.59 below 2,777.83, − 0.2443 × (S − 2,777.83); part B 162.62 below 2,175.25.
    table = calculator(MARCH_2025).bonus
    assert bonus_part(table.employee_a, D("2000")) == D("120.59")
    assert bonus_part(table.employee_b, D("2000")) == D("162.62")
    # S = 3,000: A = 120.59 − 0.2443 × 222.17 = 120.59 − 54.276… = 66.31; B = 0.
    assert bonus_part(table.employee_a, D("3000")) == D("66.31")
    assert bonus_part(table.employee_b, D("3000")) == D("0")
    assert bonus_part(table.manual_a, D("2000")) == D("130.24")
    assert bonus_part(table.manual_b, D("2000")) == D("175.63")


def test_the_fiscal_work_bonus_is_33_14_and_52_54_percent_of_the_parts() -> None:
    # Art. 289ter/1 CIR 92: gross 3,000 (2025) → A 66.31, B 0 → fiscal bonus 33.14 % × 66.31
    # = 21.975 → 21.98, off the key-formula tax.
    result = pay("3000")
    fiscal = next(ln for ln in result.lines if ln.code == "fiscal_work_bonus")
    assert fiscal.amount == D("21.98")


def test_artists_and_manual_workers_contribute_on_108_percent() -> None:
    # ONSS: 13.07 % of 108 % of 2,500 = 13.07 % × 2,700 = 352.89.
    result = pay("2500", worker="artist")
    assert result.employee_contributions == D("352.89")


def test_the_work_bonus_never_exceeds_the_contribution() -> None:
    result = pay("1000")
    assert result.work_bonus == result.employee_contributions == D("130.70")


@pytest.mark.parametrize(
    ("gross", "expected"),
    [
        ("1945.38", "0.00"),
        ("2000", "2.30"),  # 4.22 % × 54.62 = 2.305 → 2.30 (2.3049…)
        ("3000", "19.24"),  # 10.33 + 1.10 % × 809.82 = 19.238 → 19.24
        ("4000", "36.24"),  # 27.35 + 3.38 % × 263.00 = 27.35 + 8.8894 → 36.24
        ("9000", "60.94"),
    ],
)
def test_the_special_contribution_follows_the_2022_schedule(gross: str, expected: str) -> None:
    # Law of 28 March 2022 schedule, individual taxation, monthly advance.
    table = calculator(MARCH_2025).csss
    assert special_contribution(D(gross), Situation(), table) == D(expected)


def test_joint_taxation_one_income_caps_at_60_94() -> None:
    table = params.rows_on(dt.date(2024, 1, 1)).special_contribution
    couple = Situation(marital="married", partner_income=False)
    assert special_contribution(D("8000"), couple, table) == D("60.94")
    assert special_contribution(D("1500"), couple, table) == D("0")


def test_dates_before_the_tables_are_refused_and_later_ones_answered_provisionally() -> None:
    with pytest.raises(InvalidInput, match="in force"):
        calculator(dt.date(2023, 12, 31))
    assert not calculator(dt.date(2026, 12, 31)).provisional
    later = calculator(dt.date(2031, 1, 1))
    assert later.provisional and "2031" in later.notes[0]
    assert later.formula == calculator(dt.date(2027, 12, 31)).formula

"""French rates checked against the texts after a comparison with an independent reference
implementation (issue: rules that outlive the calendar, item 7). Each test names its source."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from mutua.core.pay import EmployerProfile, PayInputs, PayResult, Situation
from mutua.countries.fr.payroll import calculator

CADRE = Situation(category="cadre")
NON_CADRE = Situation()


def pay(on: dt.date, gross: str, situation: Situation = NON_CADRE, headcount: int = 1) -> PayResult:
    inputs = PayInputs(on, D(gross), situation, EmployerProfile(headcount=headcount))
    return calculator(on).compute_pay(inputs)


def rate_of(result: PayResult, code: str) -> D | None:
    found = [ln for ln in result.lines if ln.code == code]
    return found[0].rate if found else None


def test_unemployment_insurance_falls_to_4_percent_on_1_may_2025() -> None:
    # Arrêté of 19 December 2024 approving the unemployment insurance agreement of 15 November
    # 2024: the employer rate goes from 4.05 % to 4.00 % for pay periods from 1 May 2025
    # (Unédic circular 2025-05).
    assert rate_of(pay(dt.date(2025, 4, 1), "3000"), "er_unemployment") == D("0.0405")
    assert rate_of(pay(dt.date(2025, 5, 1), "3000"), "er_unemployment") == D("0.0400")
    assert rate_of(pay(dt.date(2026, 1, 1), "3000"), "er_unemployment") == D("0.0400")


def test_the_wage_guarantee_rate_is_0_25_percent_from_1_july_2024() -> None:
    # AGS board decision of June 2024: 0.20 % → 0.25 % from 1 July 2024, kept in 2025 and 2026.
    assert rate_of(pay(dt.date(2024, 6, 1), "3000"), "er_ags") == D("0.0020")
    assert rate_of(pay(dt.date(2024, 7, 1), "3000"), "er_ags") == D("0.0025")
    assert rate_of(pay(dt.date(2026, 6, 1), "3000"), "er_ags") == D("0.0025")


def test_the_forfait_social_of_8_percent_applies_to_prevoyance_from_11_employees() -> None:
    # CSS L137-15 and L137-16: the employer's prévoyance contributions, exempt from social
    # contributions, bear the 8 % forfait social in undertakings of 11 employees or more.
    small = pay(dt.date(2026, 3, 1), "4500", CADRE, headcount=10)
    large = pay(dt.date(2026, 3, 1), "4500", CADRE, headcount=11)
    assert rate_of(small, "er_forfait_social") is None
    cover = next(ln for ln in large.lines if ln.code == "er_executive_insurance")
    forfait = next(ln for ln in large.lines if ln.code == "er_forfait_social")
    assert cover.amount == D("-60.08")  # 1.50 % of T1 = 4,005 (PSS 2026)
    assert forfait.amount == D("-4.81")  # 8 % of 60.08
    # From 11 employees vocational training also rises from 0.55 % to 1 % (+20.25 on 4,500).
    assert large.employer_contributions - small.employer_contributions == D("4.81") + D("20.25")
    assert rate_of(pay(dt.date(2026, 3, 1), "4500", NON_CADRE, 50), "er_forfait_social") is None


def test_the_employers_prevoyance_stays_in_the_csg_base() -> None:
    # CSS L136-1-1 III 4°: employer contributions to prévoyance are in the CSG/CRDS base (not
    # reduced by the 1.75 % abatement): 98.25 % × 4,500 + 60.08 = 4,481.33.
    result = pay(dt.date(2026, 3, 1), "4500", CADRE, headcount=11)
    csg = next(ln for ln in result.lines if ln.code == "csg_deductible")
    assert csg.base == D("4481.33")

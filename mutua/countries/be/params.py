"""Belgian payroll parameters, dated, each with its source.

Status tags follow /work/shared/reference/business-model.md: [V] verified against an official or
reproduced published figure, [T] third-party source, [U] not verified. A value tagged [T] or [U]
stays a dated parameter so an administrator can correct it without touching the formulas.
Tables cover 1 January 2024 to 31 December 2026 (`VALID_UNTIL`); other dates are refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D

VALID_UNTIL = dt.date(2026, 12, 31)


# --- Social security (ONSS/RSZ) ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SocialRates:
    valid_from: dt.date
    employee: D  # personal contribution, no ceiling
    manual_base: D  # manual workers and artists: contributions on 108 % of gross
    employer_basic: D  # basic employer contribution, private for-profit sector
    wage_moderation: D  # on wage + basic employer contribution
    employer_other: D  # small extra contributions (closure fund, asbestos, ...) per entity
    holiday_quarterly: D  # manual workers/artists: holiday pay funded through ONVA/RJV
    holiday_annual: D
    source: str


SOCIAL = (
    SocialRates(
        valid_from=dt.date(2024, 1, 1),
        employee=D("0.1307"),  # [V] ONSS instructions, "cotisation personnelle 13,07 %"
        manual_base=D("1.08"),  # [V] ONSS: manual workers and artists declared at 108 %
        employer_basic=D("0.1988"),  # [V] ONSS, basic employer rate, category 1
        wage_moderation=D("0.0427"),  # [V] socialsecurity.be DmfA "Loonmatigingsbijdrage"
        # 4.27 % for structural-reduction categories 1 and 3 (tax shift), on wage + contributions.
        employer_other=D("0"),  # [U] set per entity; a provider case shows 27.31 % in total
        holiday_quarterly=D("0.0557"),  # [T] reference/payroll-be.md, not found on onss.be
        holiday_annual=D("0.1027"),  # [V] ONSS page on annual holiday contribution
        source=(
            "ONSS/RSZ administrative instructions (socialsecurity.be, DmfA 2024-2026): 13.07 %, "
            "19.88 %, wage moderation 4.27 %; 108 % base for manual workers and artists"
        ),
    ),
)


# --- Work bonus (werkbonus / bonus à l'emploi) -------------------------------------------------
@dataclass(frozen=True, slots=True)
class BonusPart:
    """A part of the work bonus: `maximum` up to `low`, then falling by `slope` to 0 at `high`."""

    maximum: D
    low: D
    high: D
    slope: D


@dataclass(frozen=True, slots=True)
class WorkBonus:
    valid_from: dt.date
    employee_a: BonusPart
    employee_b: BonusPart
    manual_a: BonusPart  # manual workers and artists (declared at 108 %)
    manual_b: BonusPart
    fiscal_a: D  # fiscal work bonus: share of the social bonus of part A
    fiscal_b: D
    source: str


def _part(maximum: str, low: str, high: str, slope: str) -> BonusPart:
    return BonusPart(D(maximum), D(low), D(high), D(slope))


def _manual(part: BonusPart) -> BonusPart:
    """Manual-worker column = employee column × 1.08 (amounts and slopes), as on every ONSS
    table since 2024 (e.g. 1 Feb 2025: 120.59 × 1.08 = 130.24, 0.2443 × 1.08 = 0.2638)."""
    q = D("0.01")
    return BonusPart(
        (part.maximum * D("1.08")).quantize(q),
        part.low,
        part.high,
        (part.slope * D("1.08")).quantize(D("0.0001")),
    )


FISCAL_A = D("0.3314")  # [V] art. 289ter/1 CIR 92, reproduced on payslips
FISCAL_B = D("0.5254")

WORK_BONUS: tuple[WorkBonus, ...] = (
    # Until 31 March 2024 one three-segment formula (ONSS, from 1 Nov 2023): employees 267.42 up
    # to 2,054.01; − 0.2579 × (S − 2,054.01) to 2,623.00; then 252.26 − 0.2313 × (S − 2,054.01)
    # to 3,144.45. Written exactly as two parts: A (252.26, slope 0.2313, to 3,144.45) + B (15.16,
    # slope 0.0266, to 2,623.00); the split between A and B for the fiscal bonus is [U].
    WorkBonus(
        valid_from=dt.date(2024, 1, 1),
        employee_a=_part("252.26", "2054.01", "3144.45", "0.2313"),
        employee_b=_part("15.16", "2054.01", "2623.00", "0.0266"),
        manual_a=_part("272.44", "2054.01", "3144.45", "0.2498"),
        manual_b=_part("16.37", "2054.01", "2623.00", "0.0288"),
        fiscal_a=FISCAL_A,
        fiscal_b=FISCAL_B,
        source="ONSS instructions, work bonus from 1 Nov 2023 (groups.be, Securex tables) [T]",
    ),
    # 1 Apr 2024: parts A and B. Amounts 118.22 / 159.43 (manual 127.68 / 172.18) [T, reference];
    # thresholds are the 1 Feb 2025 ones divided by the 2 % indexation of February 2025 [U].
    WorkBonus(
        valid_from=dt.date(2024, 4, 1),
        employee_a=_part("118.22", "2723.36", "3207.33", "0.2443"),
        employee_b=_part("159.43", "2132.60", "2723.36", "0.2699"),
        manual_a=_part("127.68", "2723.36", "3207.33", "0.2638"),
        manual_b=_part("172.18", "2132.60", "2723.36", "0.2915"),
        fiscal_a=FISCAL_A,
        fiscal_b=FISCAL_B,
        source="Law of 20 Dec 1999 as amended 2024; amounts [T], thresholds derived [U]",
    ),
    WorkBonus(
        valid_from=dt.date(2025, 2, 1),
        employee_a=_part("120.59", "2777.83", "3271.48", "0.2443"),
        employee_b=_part("162.62", "2175.25", "2777.83", "0.2699"),
        manual_a=_part("130.24", "2777.83", "3271.48", "0.2638"),
        manual_b=_part("175.63", "2175.25", "2777.83", "0.2915"),
        fiscal_a=FISCAL_A,
        fiscal_b=FISCAL_B,
        source="Bonus à l'emploi au 1er février 2025, Easypay Group flash (ONSS amounts) [V]",
    ),
)


def _bonus_2026(valid_from: dt.date, a: BonusPart, b: BonusPart, note: str) -> WorkBonus:
    return WorkBonus(valid_from, a, b, _manual(a), _manual(b), FISCAL_A, FISCAL_B, note)


WORK_BONUS += (
    _bonus_2026(
        dt.date(2026, 1, 1),
        _part("123.00", "2833.36", "3271.48", "0.2807"),
        _part("165.87", "2218.73", "2833.36", "0.2699"),
        "reference/payroll-be.md, 1 Jan 2026 [T]; manual column derived × 1.08",
    ),
    _bonus_2026(
        dt.date(2026, 3, 1),
        _part("123.00", "2833.36", "3336.98", "0.2442"),
        _part("165.87", "2218.73", "2833.36", "0.2699"),
        "reference/payroll-be.md, 1 Mar 2026 [T]; manual column derived × 1.08",
    ),
    _bonus_2026(
        dt.date(2026, 4, 1),
        _part("125.04", "2880.32", "3336.98", "0.2738"),
        _part("168.62", "2255.50", "2880.32", "0.2699"),
        "reference/payroll-be.md, 1 Apr 2026, provider simulator [V]; manual derived × 1.08",
    ),
    _bonus_2026(
        dt.date(2026, 7, 1),
        _part("127.54", "2937.93", "3336.98", "0.3196"),
        _part("171.99", "2300.62", "2937.93", "0.2699"),
        "reference/payroll-be.md, 1 Jul 2026 [T]; manual column derived × 1.08",
    ),
    _bonus_2026(
        dt.date(2026, 9, 1),
        _part("127.54", "2937.93", "3403.62", "0.2739"),
        _part("171.99", "2300.62", "2937.93", "0.2699"),
        "reference/payroll-be.md, 1 Sep 2026 [T]; manual column derived × 1.08",
    ),
)


# --- Withholding tax: the key formula (Annex III to the Royal Decree implementing CIR 92) ------
@dataclass(frozen=True, slots=True)
class KeyFormula:
    valid_from: dt.date
    brackets: tuple[tuple[D, D], ...]  # (upper limit, rate); rates include 7 % municipal tax
    top_rate: D
    tax_free_tax: D  # tax on the tax-free sum, deducted (scale I)
    couple_tax_free_tax: D  # spouse without professional income: both tax-free sums (scale II)
    expense_rate: D  # lump-sum professional expenses
    expense_cap: D
    quotient_rate: D  # marriage quotient
    quotient_cap: D
    children: tuple[D, ...]  # annual reduction for 1..8 dependent children (cumulative)
    child_beyond_eight: D
    single_parent: D  # annual reduction, single taxpayer with dependent children
    source: str


def _scale(*limits: str) -> tuple[tuple[D, D], ...]:
    rates = (D("0.2675"), D("0.4280"), D("0.4815"))
    return tuple((D(limit), rate) for limit, rate in zip(limits, rates, strict=True))


def _amounts(*values: str) -> tuple[D, ...]:
    return tuple(D(v) for v in values)


KEY_FORMULA = (
    # 2024 (AR of late 2023, Annex III) [U]: limits, tax-free sum, expenses and quotient caps are
    # the income-year 2024 indexed amounts (AJ/aj 2025: 15,820 / 27,920 / 48,320; 10,570; 5,750;
    # quotient 13,060); family reductions derived from 2025 ÷ 1.0312 (the 2024→2025 indexation).
    # Not reproduced on a published 2024 case: treat 2024 Belgian tax as unverified.
    KeyFormula(
        valid_from=dt.date(2024, 1, 1),
        brackets=_scale("15820", "27920", "48320"),
        top_rate=D("0.5350"),
        tax_free_tax=D("2827.48"),
        couple_tax_free_tax=D("5654.96"),
        expense_rate=D("0.30"),
        expense_cap=D("5750"),
        quotient_rate=D("0.30"),
        quotient_cap=D("13060"),
        children=_amounts("588", "1560", "4164", "7200", "10512", "13800", "17148", "20796"),
        child_beyond_eight=D("3660"),
        single_parent=D("588"),
        source="Annex III AR/CIR 92, income 2024 [U: not checked against the SPF Finances PDF]",
    ),
    # 2025: ESS-SR/2024-0015, AR 12/12/2024. Scale, tax-free sum and expenses cap [V]: they
    # reproduce to the cent the ACLVB published case (28/01/2025: employee, 3,750 gross, married,
    # partner with income, 1 child → net 2,537.06), see tests/payroll/test_be_payroll.py.
    KeyFormula(
        valid_from=dt.date(2025, 1, 1),
        brackets=_scale("16310", "28790", "49820"),
        top_rate=D("0.5350"),
        tax_free_tax=D("2915.75"),  # 10,900 × 26.75 % [V]
        couple_tax_free_tax=D("5831.50"),  # [T]
        expense_rate=D("0.30"),
        expense_cap=D("5930"),  # [V] also proxicompta.be, forfait 2025 5,930
        quotient_rate=D("0.30"),
        quotient_cap=D("13460"),  # [T]
        children=_amounts("612", "1608", "4296", "7428", "10836", "14232", "17676", "21444"),
        child_beyond_eight=D("3780"),  # 1 child [V, ACLVB case]; others [T]
        single_parent=D("612"),  # [T]
        source="Annex III AR/CIR 92, AR 12/12/2024 (SPF Finances ESS-SR/2024-0015)",
    ),
    # 2026: ESS-SR/2025-0928, AR 11/12/2025 (version of 1 January 2026; the 2026 tax reform may
    # amend it during the year: add a dated row when SPF Finances publishes it). Scale and tax-free
    # sum [V, reproduce the 596.93 key-formula case for a 3,000 monthly taxable]; others [T].
    KeyFormula(
        valid_from=dt.date(2026, 1, 1),
        brackets=_scale("16710", "29500", "51050"),
        top_rate=D("0.5350"),
        tax_free_tax=D("2987.98"),  # 11,170 × 26.75 %
        couple_tax_free_tax=D("5975.96"),
        expense_rate=D("0.30"),
        expense_cap=D("6070"),
        quotient_rate=D("0.30"),
        quotient_cap=D("13790"),
        children=_amounts("624", "1656", "4404", "7620", "11100", "14592", "18120", "21996"),
        child_beyond_eight=D("3864"),
        single_parent=D("624"),
        source="Annex III AR/CIR 92, AR 11/12/2025 (SPF Finances ESS-SR/2025-0928)",
    ),
)


# --- Special social security contribution (CSSS / BBSZ), monthly advance ----------------------
@dataclass(frozen=True, slots=True)
class Step:
    """Above `above`: `fixed` + `rate` × (R − above), at least `floor`."""

    above: D
    fixed: D
    rate: D
    floor: D = D("0")


@dataclass(frozen=True, slots=True)
class SpecialContribution:
    valid_from: dt.date
    individual: tuple[Step, ...]
    individual_cap: D
    joint_two_incomes: tuple[Step, ...]
    joint_two_incomes_cap: D
    joint_one_income: tuple[Step, ...]
    joint_one_income_cap: D
    source: str


def _step(above: str, fixed: str, rate: str, floor: str = "0") -> Step:
    return Step(D(above), D(fixed), D(rate), D(floor))


# Law of 28 March 2022, schedule in force since 1 April 2022, unchanged 2024-2026 [V-reproduced:
# the ACLVB 2025 case needs 31.60 = 14.44 + 1.10 % × (3,750 − 2,190.18) to the cent].
SPECIAL_CONTRIBUTION = (
    SpecialContribution(
        valid_from=dt.date(2024, 1, 1),
        individual=(
            _step("1945.38", "0", "0.0422"),
            _step("2190.18", "10.33", "0.0110"),
            _step("3737.00", "27.35", "0.0338"),
            _step("4100.00", "39.61", "0.0110"),
        ),
        individual_cap=D("60.94"),
        # The two-income minimum 5.15 (vs 5.90 in some ONSS instructions) is [U].
        joint_two_incomes=(
            _step("1095.09", "5.15", "0"),
            _step("1945.38", "0", "0.0590", "5.15"),
            _step("2190.18", "14.44", "0.0110"),
        ),
        joint_two_incomes_cap=D("51.64"),
        joint_one_income=(
            _step("1945.38", "0", "0.0590"),
            _step("2190.18", "14.44", "0.0110"),
        ),
        joint_one_income_cap=D("60.94"),
        source="Law of 28 March 2022 (CSSS schedule from 1 April 2022); ONSS instructions",
    ),
)


# --- Budget: fee and the coefficient k ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Budget:
    valid_from: dt.date
    fee_rate: D
    employer_charges: D  # insurance, occupational medicine, payment handling, advances
    margin: D
    source: str


BUDGET = (
    Budget(
        valid_from=dt.date(2024, 1, 1),
        fee_rate=D("0.065"),  # [V] SMart: 6.5 % of the amount invoiced excl. VAT
        # SMart's exact k is not public [U]: defaults an entity overrides. The margin matches the
        # published average of 6.1 % (2018-2019), taken here on gross for a simple, explicit k.
        employer_charges=D("0.02"),
        margin=D("0.061"),
        source="SMart Belgium: fee 6.5 % [V]; employer charges and margin are entity settings [U]",
    ),
)


# --- Minimum daily pay of a day contract ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MinimumDayPay:
    """The least gross a day contract may pay for one full working day, per worker type.

    SMart's tool enforced such a floor (2016: 71.97 salaried, 69.32 artistic, business-model.md
    [V, historical]); 69.32 is the guaranteed average minimum monthly income (RMMMG, CCT 43)
    of 2016 × 3 / 65, the Belgian day-wage convention (13 weeks of 5 days a quarter). The rows
    below apply that convention to the RMMMG in force [T]; an entity's joint committee may ask for
    more (JC 304 musicians), which is a later, per-entity row.
    """

    valid_from: dt.date
    monthly_reference: D  # RMMMG, full time, 18 years and older
    employee: D
    manual: D
    artist: D
    source: str


def _day_minimum(valid_from: dt.date, monthly: str, source: str) -> MinimumDayPay:
    day = (D(monthly) * 3 / 65).quantize(D("0.01"))
    return MinimumDayPay(valid_from, D(monthly), day, day, day, source)


MINIMUM_DAY_PAY = (
    _day_minimum(dt.date(2024, 1, 1), "1994.18", "RMMMG from 1 Jan 2023 indexation [T] × 3/65 [U]"),
    _day_minimum(
        dt.date(2024, 4, 1), "2029.88", "RMMMG + 35.70 on 1 Apr 2024 (CCT 43/17) [T] × 3/65 [U]"
    ),
    _day_minimum(dt.date(2025, 4, 1), "2070.48", "RMMMG indexed 2 % in 2025 [T] × 3/65 [U]"),
)


# --- Guarantee fund -------------------------------------------------------------------------------
# SMart Belgium pays the salary within seven working days after the work, whether or not the
# client has paid (reference/business-model.md, "Guarantee") [V]. Other terms of the fund
# (limits, fee share) are the entity's policy, not the country's.
FUND_POLICY = {"pay_within_working_days": 7}

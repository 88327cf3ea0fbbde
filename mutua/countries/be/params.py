"""Belgian payroll parameters: the schema of the yearly data files and the rows the rules read.

The values live in `parameters/<year>.yaml` (one file per year, every value with its unit,
source, status tag and validity; see mutua/countries/parameters.py), or in a set staff loaded
and approved. This module says which tables and values a Belgian file holds, and turns the
values in force on a date into the frozen rows `payroll.py` computes with. Status tags follow
reference/business-model.md: [V] verified, [T] third-party source, [U] not verified or derived.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from mutua.countries.parameters import CountryParameters, Field, Period, book

EUR_MONTH, EUR_YEAR, EUR_DAY = Field("EUR/month"), Field("EUR/year"), Field("EUR/day")
RATE = Field("rate")


def _bonus_fields(prefix: str) -> dict[str, Field]:
    return {
        f"{prefix}_maximum": EUR_MONTH,
        f"{prefix}_low": EUR_MONTH,
        f"{prefix}_high": EUR_MONTH,
        f"{prefix}_slope": RATE,
    }


def _steps(prefix: str, n: int) -> dict[str, Field]:
    return {
        f"{prefix}_above": Field("EUR/month", "list", n),
        f"{prefix}_fixed": Field("EUR/month", "list", n),
        f"{prefix}_rate": Field("rate", "list", n),
        f"{prefix}_floor": Field("EUR/month", "list", n),
        f"{prefix}_cap": EUR_MONTH,
    }


SCHEMA = {
    "social": {
        "employee": RATE,
        "manual_base": Field("factor"),
        "employer_basic": RATE,
        "wage_moderation": RATE,
        "employer_other": RATE,
        "holiday_quarterly": RATE,
        "holiday_annual": RATE,
    },
    "work_bonus": {
        **_bonus_fields("employee_a"),
        **_bonus_fields("employee_b"),
        **_bonus_fields("manual_a"),
        **_bonus_fields("manual_b"),
        "fiscal_a": RATE,
        "fiscal_b": RATE,
    },
    "key_formula": {
        "bracket_limits": Field("EUR/year", "list", 3),
        "bracket_rates": Field("rate", "list", 3),
        "top_rate": RATE,
        "tax_free_tax": EUR_YEAR,
        "couple_tax_free_tax": EUR_YEAR,
        "expense_rate": RATE,
        "expense_cap": EUR_YEAR,
        "quotient_rate": RATE,
        "quotient_cap": EUR_YEAR,
        "children": Field("EUR/year", "list", 8),
        "child_beyond_eight": EUR_YEAR,
        "single_parent": EUR_YEAR,
    },
    "special_contribution": {
        **_steps("individual", 4),
        **_steps("joint_two_incomes", 3),
        **_steps("joint_one_income", 2),
    },
    "budget": {"fee_rate": RATE, "employer_charges": RATE, "margin": RATE},
    "minimum_day_pay": {
        "monthly_reference": EUR_MONTH,
        "employee": EUR_DAY,
        "manual": EUR_DAY,
        "artist": EUR_DAY,
    },
    "copyright": {
        "ceiling": EUR_YEAR,
        "first_bracket": EUR_YEAR,
        "second_bracket": EUR_YEAR,
        "first_rate": RATE,
        "second_rate": RATE,
        "withholding_rate": RATE,
    },
}

PARAMETERS = CountryParameters("BE", SCHEMA, Path(__file__).with_name("parameters"))


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


# --- Budget: fee and the coefficient k ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Budget:
    valid_from: dt.date
    fee_rate: D
    employer_charges: D  # insurance, occupational medicine, payment handling, advances
    margin: D
    source: str


# --- Minimum daily pay of a day contract ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MinimumDayPay:
    """The least gross a day contract may pay for one full working day, per worker type.

    SMart's tool enforced such a floor (2016: 71.97 salaried, 69.32 artistic, business-model.md
    [V, historical]); 69.32 is the guaranteed average minimum monthly income (RMMMG, CCT 43)
    of 2016 × 3 / 65, the Belgian day-wage convention (13 weeks of 5 days a quarter). The data
    apply that convention to the RMMMG in force [T]; an entity's joint committee may ask for
    more (JC 304 musicians), which is a later, per-entity row.
    """

    valid_from: dt.date
    monthly_reference: D  # RMMMG, full time, 18 years and older
    employee: D
    manual: D
    artist: D
    source: str


# --- from the data to the rows ------------------------------------------------------------------
def _values(period: Period, table: str) -> dict[str, Any]:
    return {key: period[key] for key in SCHEMA[table]}


def _part(period: Period, prefix: str) -> BonusPart:
    return BonusPart(**{k: period[f"{prefix}_{k}"] for k in ("maximum", "low", "high", "slope")})


def _step_list(period: Period, prefix: str) -> tuple[Step, ...]:
    columns = (period[f"{prefix}_{k}"] for k in ("above", "fixed", "rate", "floor"))
    return tuple(Step(*row) for row in zip(*columns, strict=True))


def _social(p: Period) -> SocialRates:
    return SocialRates(valid_from=p.valid_from, source=p.source, **_values(p, "social"))


def _work_bonus(p: Period) -> WorkBonus:
    parts: dict[str, Any] = {k: _part(p, k) for k in ("employee_a", "employee_b", "manual_a")}
    parts |= {
        "manual_b": _part(p, "manual_b"),
        "fiscal_a": p["fiscal_a"],
        "fiscal_b": p["fiscal_b"],
    }
    return WorkBonus(valid_from=p.valid_from, source=p.source, **parts)


def _key_formula(p: Period) -> KeyFormula:
    return KeyFormula(
        valid_from=p.valid_from,
        brackets=tuple(zip(p["bracket_limits"], p["bracket_rates"], strict=True)),
        source=p.source,
        **{k: p[k] for k in SCHEMA["key_formula"] if not k.startswith("bracket_")},
    )


def _special_contribution(p: Period) -> SpecialContribution:
    kinds = ("individual", "joint_two_incomes", "joint_one_income")
    values = {k: _step_list(p, k) for k in kinds} | {f"{k}_cap": p[f"{k}_cap"] for k in kinds}
    return SpecialContribution(p.valid_from, source=p.source, **values)


def _budget(p: Period) -> Budget:
    return Budget(p.valid_from, p["fee_rate"], p["employer_charges"], p["margin"], p.source)


def _minimum_day_pay(p: Period) -> MinimumDayPay:
    values = _values(p, "minimum_day_pay")
    return MinimumDayPay(valid_from=p.valid_from, source=p.source, **values)


BUILDERS = {
    "social": _social,
    "work_bonus": _work_bonus,
    "key_formula": _key_formula,
    "special_contribution": _special_contribution,
    "budget": _budget,
    "minimum_day_pay": _minimum_day_pay,
}


@dataclass(frozen=True, slots=True)
class Rows:
    """Every Belgian row in force on one date, and whether any value is provisional."""

    social: SocialRates
    work_bonus: WorkBonus
    key_formula: KeyFormula
    special_contribution: SpecialContribution
    budget: Budget
    minimum_day_pay: MinimumDayPay
    provisional: bool
    notes: tuple[str, ...]


def rows_on(on: dt.date) -> Rows:
    """The Belgian rows in force on `on`: after the last published year, the last ones,
    flagged provisional (InvalidInput before the first year of data)."""
    rows, provisional, notes = book(PARAMETERS).rows_on(on, BUILDERS)
    return Rows(**rows, provisional=provisional, notes=notes)


# --- Guarantee fund -------------------------------------------------------------------------------
# SMart Belgium pays the salary within seven working days after the work, whether or not the
# client has paid (reference/business-model.md, "Guarantee") [V]. Other terms of the fund
# (limits, fee share) are the entity's policy, not the country's.
FUND_POLICY = {"pay_within_working_days": 7}

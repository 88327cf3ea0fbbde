"""Pure payroll vocabulary shared by the country rules and the simulator.

No ORM and no Django here (DESIGN.md §4 "Pure calculation"): plain frozen dataclasses in, plain
frozen dataclasses out, Decimal only. Country packages (`mutua/countries/<cc>/payroll.py`) build a
`PayrollRules` for a date; the simulator and, later, payroll runs only talk to that protocol.

Rounding: every amount that appears on a line is rounded to the cent, half up (`cent`), at the
step where the rule computes it; intermediate rates and coefficients are kept exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Protocol, TypeVar

from mutua.core.errors import InvalidInput

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")

WORKER_TYPES = ("employee", "manual", "artist")
CATEGORIES = ("non-cadre", "cadre")
MARITAL_STATUSES = ("single", "married", "cohabiting")


def cent(amount: Decimal) -> Decimal:
    """Round to the cent, half a cent up: the rounding point of every pay line."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def cent_down(amount: Decimal) -> Decimal:
    """Round towards zero to the cent: used where spending must never exceed a budget."""
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def money_text(amount: Decimal) -> str:
    """An amount as a decimal string with two decimals ("1234.50"), never in exponent form."""
    return f"{cent(amount):.2f}"


class Dated(Protocol):
    @property
    def valid_from(self) -> dt.date: ...


D = TypeVar("D", bound=Dated)


def in_force(table: Sequence[D], on: dt.date, *, what: str, until: dt.date | None = None) -> D:
    """The row of a dated table in force on a date: the latest `valid_from` on or before it.

    `until` closes the table: a date after it is refused rather than silently computed with
    rules that may have changed since they were last checked.
    """
    rows = [row for row in table if row.valid_from <= on]
    if not rows or (until is not None and on > until):
        first = min(row.valid_from for row in table)
        end = f" to {until}" if until else ""
        raise InvalidInput(f"no {what} in force on {on} (tables cover {first}{end})", field="on")
    return max(rows, key=lambda row: row.valid_from)


@dataclass(frozen=True, slots=True)
class Situation:
    """The worker's situation that changes pay: contract type and household."""

    worker: str = "employee"  # BE: employee | manual | artist
    category: str = "non-cadre"  # FR: non-cadre | cadre
    marital: str = "single"  # single | married | cohabiting (legal cohabitation)
    partner_income: bool = True  # does the spouse or partner have professional income?
    children: int = 0  # dependent children
    single_parent: bool = False
    # The withholding table a tax administration assigned (Sweden: the table number from the
    # municipal tax rate); None where the country has none or the member has not given it.
    tax_table: int | None = None
    # Use the cooperative's published rule of thumb instead of the official tables (a quick
    # estimate in the simulator, never on a payslip).
    quick_estimate: bool = False

    def __post_init__(self) -> None:
        if self.worker not in WORKER_TYPES:
            raise InvalidInput(f"unknown worker type {self.worker!r}", field="worker")
        if self.category not in CATEGORIES:
            raise InvalidInput(f"unknown category {self.category!r}", field="category")
        if self.marital not in MARITAL_STATUSES:
            raise InvalidInput(f"unknown marital status {self.marital!r}", field="marital")
        if not 0 <= self.children <= 20:
            raise InvalidInput("children must be between 0 and 20", field="children")
        if self.tax_table is not None and not 1 <= self.tax_table <= 99:
            raise InvalidInput("the tax table is a number from 1 to 99", field="tax_table")

    @property
    def taxed_jointly(self) -> bool:
        return self.marital in ("married", "cohabiting")


@dataclass(frozen=True, slots=True)
class EmployerProfile:
    """Entity parameters that change the employer side (France: headcount, AT/MP, mobility)."""

    headcount: int = 1
    accident_rate: Decimal | None = None  # None: the country's default
    transport_rate: Decimal | None = None

    def __post_init__(self) -> None:
        if self.headcount < 1:
            raise InvalidInput("headcount must be at least 1", field="headcount")
        for name in ("accident_rate", "transport_rate"):
            value = getattr(self, name)
            if value is not None and not ZERO <= value < ONE:
                raise InvalidInput(f"{name} must be a rate between 0 and 1", field=name)


@dataclass(frozen=True, slots=True)
class PayInputs:
    """One month's pay for one worker: the gross and what the rules need to know."""

    on: dt.date
    gross: Decimal
    situation: Situation = field(default_factory=Situation)
    employer: EmployerProfile = field(default_factory=EmployerProfile)
    # Share of a full month actually worked (days worked / normal working days), for rules that
    # prorate (Belgian work bonus: S is the full-time reference wage). None: a full month.
    work_fraction: Decimal | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.gross, Decimal) or not self.gross.is_finite():
            raise InvalidInput("gross must be a finite Decimal", field="gross")
        if self.gross < 0:
            raise InvalidInput("gross must not be negative", field="gross")
        if self.work_fraction is not None and not ZERO < self.work_fraction <= ONE:
            raise InvalidInput("work fraction must be above 0 and at most 1", field="days")


@dataclass(frozen=True, slots=True)
class PayLine:
    """One step of the breakdown. `amount` is signed: what it adds to or takes from the total."""

    code: str
    label: str
    base: Decimal | None
    rate: Decimal | None
    amount: Decimal
    side: str = "worker"  # "worker" or "employer": where the line sits in the breakdown

    def as_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "label": self.label,
            "base": None if self.base is None else money_text(self.base),
            "rate": None if self.rate is None else str(self.rate.normalize()),
            "amount": money_text(self.amount),
        }


@dataclass(frozen=True, slots=True)
class PayResult:
    """A month's pay from gross to net, plus the employer side, with every line shown."""

    currency: str
    gross: Decimal
    employee_contributions: Decimal  # before the work bonus
    work_bonus: Decimal  # reduction of the employee contributions (Belgium)
    taxable: Decimal
    withholding_tax: Decimal
    special_contribution: Decimal
    net: Decimal
    employer_contributions: Decimal
    lines: tuple[PayLine, ...]

    @property
    def employer_cost(self) -> Decimal:
        return self.gross + self.employer_contributions


@dataclass(frozen=True, slots=True)
class FeeRule:
    """The cooperative's fee on what is invoiced.

    `basis` "invoice": f × invoice (SMart Belgium, 6.5 % of the amount invoiced excl. VAT);
    "margin": f × (invoice − expenses) (Coopaname: 13.5 % of the gross margin).
    `included`: the published formula divides by (1 + markup) instead (Smart Sweden: invoice /
    1.0695), so the fee is the invoice minus that quotient.
    """

    rate: Decimal
    basis: str = "invoice"
    included: bool = False
    source: str = ""

    def fee(self, invoiced: Decimal, expenses: Decimal) -> Decimal:
        if self.included:
            return invoiced - cent(invoiced / (ONE + self.rate))
        base = invoiced - expenses if self.basis == "margin" else invoiced
        return cent(max(base, ZERO) * self.rate)


@dataclass(frozen=True, slots=True)
class BudgetTerms:
    """The parts of k = 1 + employer contributions + employer charges + margin, for one date.

    `employer_rate` is the nominal flat employer rate when the country has one (then gross =
    work budget / k, rounded down); None when the employer side is not flat (France: ceilings and
    the general reduction), then the gross is the largest whose full cost fits the budget.
    """

    fee: FeeRule
    employer_rate: Decimal | None
    employer_charges: Decimal
    margin: Decimal
    source: str

    def k(self) -> Decimal | None:
        if self.employer_rate is None:
            return None
        return ONE + self.employer_rate + self.employer_charges + self.margin


class PayrollRules(Protocol):
    """A country's payroll calculator for the rules in force on one date."""

    country: str
    currency: str
    on: dt.date
    contract_forms: tuple[str, ...]  # "day" (fixed-term day contracts) and/or "monthly"
    hiring_declaration: str  # "dimona", "dpae" or "" (none to prepare)
    provisional: bool  # some values in force on `on` are not the official ones yet
    notes: tuple[str, ...]  # why they are provisional (empty when official)

    def compute_pay(self, inputs: PayInputs) -> PayResult: ...

    def minimum_day_pay(self, situation: Situation) -> Decimal | None:
        """The least gross for one full working day, or None where the country sets none."""
        ...

    def budget_terms(self, situation: Situation) -> BudgetTerms: ...


def line(
    code: str, label: str, base: Decimal | None, rate: Decimal | None, amount: Decimal
) -> PayLine:
    return PayLine(code, label, base, rate, amount)


def rate_line(
    code: str, label: str, base: Decimal, rate: Decimal, *, sign: int = -1, side: str = "worker"
) -> PayLine:
    """A line `base × rate`, rounded to the cent, with the sign it takes in the total."""
    return PayLine(code, label, base, rate, cent(base * rate) * sign, side)


def employer_line(code: str, label: str, base: Decimal, rate: Decimal) -> PayLine:
    """An employer contribution: `base × rate` to the cent, taken from the work budget."""
    return rate_line(code, label, base, rate, side="employer")


class CopyrightRegime(Protocol):
    """A country's copyright parameters for one year (e.g. countries/be/copyright.py)."""

    @property
    def year(self) -> int: ...
    @property
    def ceiling(self) -> Decimal: ...
    @property
    def first_bracket(self) -> Decimal: ...
    @property
    def second_bracket(self) -> Decimal: ...
    @property
    def first_rate(self) -> Decimal: ...
    @property
    def second_rate(self) -> Decimal: ...
    @property
    def withholding_rate(self) -> Decimal: ...

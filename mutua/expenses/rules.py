"""Expense rules and calculations. Pure: no ORM, fed by plain values.

A line's amount is what the member paid (incl. VAT) for a receipt, or a flat amount the rules
compute: kilometres x the per-km rate, days x the daily allowance. Amounts are rounded once, to
the cent, half up (the way payroll and tax forms round a product). Country defaults live in
`mutua/countries/<cc>/expenses.py`; an entity's own dated rows override them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from mutua.core.errors import InvalidInput, RuleViolation
from mutua.countries.registry import country_part

CENT = Decimal("0.01")
ZERO = Decimal("0")

# How a category's amount is found.
RECEIPT = "receipt"  # the amount paid, proven by a receipt
MILEAGE = "mileage"  # km x rate, no receipt, no VAT
PER_DIEM_FULL = "per_diem_full"  # days x full-day allowance, no receipt, no VAT
PER_DIEM_TRAVEL = "per_diem_travel"  # days x travel-day allowance
ACCOMMODATION = "accommodation"  # the amount paid for `quantity` nights, under a ceiling
KINDS = (RECEIPT, MILEAGE, PER_DIEM_FULL, PER_DIEM_TRAVEL, ACCOMMODATION)
FLAT_KINDS = (MILEAGE, PER_DIEM_FULL, PER_DIEM_TRAVEL)


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    kind: str

    @property
    def needs_receipt(self) -> bool:
        return self.kind not in FLAT_KINDS

    @property
    def has_quantity(self) -> bool:
        return self.kind != RECEIPT


@dataclass(frozen=True)
class ExpenseRules:
    """The rules of an entity in force on a date."""

    valid_from: dt.date
    mileage_rate: Decimal
    per_diem_full: Decimal
    per_diem_travel: Decimal
    accommodation_ceiling: Decimal | None
    deadline_month: int
    deadline_day: int
    refund_only_collected: bool
    self_approval_allowed: bool
    self_approval_threshold: Decimal
    retention_years: int
    source: str = ""
    approval_limits: Mapping[str, Decimal | None] = field(default_factory=dict)


def _module(country: str) -> Any:
    module = country_part(country, "expenses")
    if module is None:
        raise InvalidInput(f"no expense rules for country {country!r}")
    return module


@cache
def categories_for(country: str) -> tuple[Category, ...]:
    categories = tuple(Category(*row) for row in _module(country).CATEGORIES)
    unknown = [c.code for c in categories if c.kind not in KINDS]
    if unknown:
        raise InvalidInput(f"categories of unknown kind: {', '.join(unknown)}")
    return categories


def category(country: str, code: str) -> Category:
    for found in categories_for(country):
        if found.code == code:
            return found
    raise InvalidInput(f"unknown expense category {code!r}", field="category")


@cache
def _country_rows(country: str) -> tuple[ExpenseRules, ...]:
    """The country's dated rows, each complete: a row repeats what it does not change."""
    module = _module(country)
    rows: list[ExpenseRules] = []
    for values in module.RULES:
        if not rows:
            rows.append(
                ExpenseRules(
                    **values, **module.STANDING, approval_limits=dict(module.APPROVAL_LIMITS)
                )
            )
        else:
            rows.append(replace(rows[-1], **values))
    return tuple(rows)


def country_rules(country: str, on: dt.date) -> ExpenseRules:
    """The country's default rules in force on `on`."""
    return in_force(_country_rows(country), on)


def in_force(rows: Iterable[ExpenseRules], on: dt.date) -> ExpenseRules:
    current = [row for row in rows if row.valid_from <= on]
    if not current:
        raise InvalidInput(f"no expense rules in force on {on}", field="date")
    return max(current, key=lambda row: row.valid_from)


# --- lines ----------------------------------------------------------------------------------------
def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def flat_amount(kind: str, quantity: Decimal, rules: ExpenseRules) -> Decimal:
    """A flat allowance: km x rate or days x allowance, rounded to the cent half up."""
    rate = {
        MILEAGE: rules.mileage_rate,
        PER_DIEM_FULL: rules.per_diem_full,
        PER_DIEM_TRAVEL: rules.per_diem_travel,
    }[kind]
    return cents(quantity * rate)


def vat_in(amount: Decimal, vat_rate: Decimal) -> Decimal:
    """The VAT contained in an amount incl. VAT at `vat_rate` percent, to the cent."""
    return cents(amount * vat_rate / (Decimal(100) + vat_rate))


@dataclass(frozen=True)
class LineFigures:
    amount: Decimal  # incl. VAT
    vat_rate: Decimal
    vat_recoverable: Decimal
    rate: Decimal | None  # the per-km or per-day rate applied, if any


def line_figures(
    cat: Category,
    *,
    quantity: Decimal | None,
    amount: Decimal | None,
    vat_rate: Decimal,
    vat_recoverable: Decimal | None,
    rules: ExpenseRules,
) -> LineFigures:
    """Check a line against the rules and compute what it is worth. Raises InvalidInput
    naming the field at fault."""
    if cat.has_quantity and (quantity is None or quantity <= 0):
        raise InvalidInput("give the kilometres, days or nights (more than zero)", field="quantity")
    if cat.kind in FLAT_KINDS:
        assert quantity is not None
        return LineFigures(
            flat_amount(cat.kind, quantity, rules), ZERO, ZERO, flat_rate(cat.kind, rules)
        )
    if amount is None or amount <= 0:
        raise InvalidInput("give the amount paid, VAT included", field="amount")
    if not Decimal(0) <= vat_rate <= Decimal(100):
        raise InvalidInput("the VAT rate is a percentage between 0 and 100", field="vat_rate")
    contained = vat_in(amount, vat_rate)
    recoverable = contained if vat_recoverable is None else vat_recoverable
    if recoverable < 0 or recoverable > contained:
        raise InvalidInput(
            f"the recoverable VAT is at most the VAT in the amount ({contained})",
            field="vat_recoverable",
        )
    if cat.kind == ACCOMMODATION and rules.accommodation_ceiling is not None:
        assert quantity is not None
        ceiling = cents(quantity * rules.accommodation_ceiling)
        if amount > ceiling:
            raise RuleViolation(
                f"accommodation is refunded up to {rules.accommodation_ceiling} a night "
                f"({ceiling} for {quantity} nights)",
                field="amount",
            )
    return LineFigures(amount, vat_rate, recoverable, None)


def flat_rate(kind: str, rules: ExpenseRules) -> Decimal:
    return {
        MILEAGE: rules.mileage_rate,
        PER_DIEM_FULL: rules.per_diem_full,
        PER_DIEM_TRAVEL: rules.per_diem_travel,
    }[kind]


# --- dates and approval ---------------------------------------------------------------------------
def claim_deadline(expense_date: dt.date, rules: ExpenseRules) -> dt.date:
    """The last day to claim an expense: the entity's yearly deadline in the following year
    (Belgium: last year's claims by mid-January)."""
    return dt.date(expense_date.year + 1, rules.deadline_month, rules.deadline_day)


def check_line_date(expense_date: dt.date, today: dt.date, rules: ExpenseRules) -> None:
    if expense_date > today:
        raise InvalidInput("an expense cannot be dated in the future", field="date")
    deadline = claim_deadline(expense_date, rules)
    if today > deadline:
        raise RuleViolation(
            f"expenses of {expense_date.year} had to be claimed by {deadline}", field="date"
        )


def approval_limit(roles: Iterable[str], limits: Mapping[str, Decimal | None]) -> Decimal | None:
    """The highest amount one of `roles` may approve; None means no limit. A role missing from
    `limits` approves nothing (ZERO)."""
    best: Decimal | None = ZERO
    for role in roles:
        if role not in limits:
            continue
        limit = limits[role]
        if limit is None:
            return None
        best = max(best or ZERO, limit)
    return best


def may_self_approve(total: Decimal, rules: ExpenseRules) -> bool:
    """A member approves their own claim only where the entity allows it, strictly below its
    threshold."""
    return rules.self_approval_allowed and total < rules.self_approval_threshold


def next_pay_date(approved_on: dt.date) -> dt.date:
    """Refunds "with the next pay" join the next monthly pay: the first day of the following
    month, when the month's payslips are paid."""
    if approved_on.month == 12:
        return dt.date(approved_on.year + 1, 1, 1)
    return dt.date(approved_on.year, approved_on.month + 1, 1)

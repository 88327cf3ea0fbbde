"""A month's payslip from the work budgets of the month's contracts. Pure: no ORM.

    work budget W (Σ contracts of the month) → gross G = W / k (the simulator's chain, rounded
    down so pay never spends more than W) → the country's rules on the month's cumulative gross
    → this payslip = month-to-date result − what earlier payslips of the month already paid.

Taxing the cumulative month (reference/payroll-be.md, "pay for periods shorter than a month")
makes the month's payslips together equal the monthly formula, whatever the number of runs.
What W does not pay as gross and employer contributions (employer charges, margin and the cent
left by rounding) goes to the cooperative, so the activity's budget falls by exactly W.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Protocol

from mutua.core.pay import (
    CENT,
    ONE,
    ZERO,
    BudgetTerms,
    EmployerProfile,
    PayInputs,
    PayLine,
    PayResult,
    PayrollRules,
    Situation,
    cent_down,
    line,
)
from mutua.countries import parameters
from mutua.countries.registry import rules_for
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.payroll.simulator import Chain, SimulationRequest

FIGURES = (
    "gross",
    "employee_contributions",
    "work_bonus",
    "taxable",
    "withholding_tax",
    "special_contribution",
    "net",
    "employer_contributions",
)


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One contract's share of the month: its work budget, activity and days worked."""

    contract_id: int
    activity_id: int
    work_budget: Decimal
    days: Decimal
    worker: str = "employee"
    category: str = "non-cadre"


@dataclass(frozen=True, slots=True)
class PriorPay:
    """What earlier payslips of the same member, month and entity already paid."""

    gross: Decimal = ZERO
    employee_contributions: Decimal = ZERO
    work_bonus: Decimal = ZERO
    taxable: Decimal = ZERO
    withholding_tax: Decimal = ZERO
    special_contribution: Decimal = ZERO
    net: Decimal = ZERO
    employer_contributions: Decimal = ZERO
    days: Decimal = ZERO

    @property
    def exists(self) -> bool:
        return self.gross > 0 or self.days > 0


@dataclass(frozen=True, slots=True)
class PayslipFigures:
    work_budget: Decimal
    days: Decimal
    worker: str
    gross: Decimal
    employee_contributions: Decimal
    work_bonus: Decimal
    taxable: Decimal
    withholding_tax: Decimal
    special_contribution: Decimal
    net: Decimal
    employer_contributions: Decimal
    cooperative: Decimal  # employer charges + margin + rounding, kept by the cooperative
    lines: tuple[PayLine, ...]
    budgets: tuple[tuple[int, Decimal], ...]  # (activity id, work budget) in first-seen order
    contract_ids: tuple[int, ...] = field(default=())
    provisional: bool = False  # computed on values not all official yet
    notes: tuple[str, ...] = ()
    situation: Situation | None = None
    settles: tuple[int, ...] = ()  # the regularisations this payslip carries (their ids)


# --- the month ------------------------------------------------------------------------------------
def month_bounds(period: dt.date) -> tuple[dt.date, dt.date]:
    first = period.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@cache
def normal_days(period: dt.date) -> int:
    """Working days (Monday to Friday) of the month: a full-time month's days."""
    first, last = month_bounds(period)
    return sum(1 for n in range(last.day) if (first + dt.timedelta(days=n)).weekday() < 5)


def work_fraction(days: Decimal, period: dt.date, *, monthly: bool) -> Decimal | None:
    """Share of the month worked: None (a full month) for monthly contracts."""
    if monthly or days <= 0:
        return None
    return min(days / normal_days(period), ONE)


def situation_for(
    *,
    worker: str,
    category: str,
    marital_status: str,
    partner_has_income: bool,
    dependent_children: int,
    disabled_dependent_children: int,
    single_parent: bool,
    tax_table: int | None = None,
) -> Situation:
    """The payroll situation of a member: a disabled dependent child counts as two (CIR 92
    art. 132), widowed and divorced people are taxed as single; article 1bis pays as an artist."""
    return Situation(
        worker="artist" if worker == "article_1bis" else worker,
        category=category,
        marital=marital_status if marital_status in ("married", "cohabiting") else "single",
        partner_income=partner_has_income,
        children=min(dependent_children + disabled_dependent_children, 20),
        single_parent=single_parent,
        tax_table=tax_table,
    )


class Household(Protocol):
    """What the payroll reads of a member (members.Person has these fields)."""

    marital_status: str
    partner_has_income: bool
    dependent_children: int
    disabled_dependent_children: int
    single_parent: bool
    tax_table: int | None


def situation_of(person: Household, *, worker: str, category: str) -> Situation:
    """The payroll situation of a member for work of this kind."""
    return situation_for(
        worker=worker,
        category=category,
        marital_status=person.marital_status,
        partner_has_income=person.partner_has_income,
        dependent_children=person.dependent_children,
        disabled_dependent_children=person.disabled_dependent_children,
        single_parent=person.single_parent,
        tax_table=person.tax_table,
    )


# --- chains, built once per situation -----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class KTerms:
    """An entity's own parts of k (None: the country's default)."""

    employer_charges: Decimal | None = None
    margin: Decimal | None = None


@cache
def payroll_rules(country: str, on: dt.date) -> PayrollRules:
    return rules_for(country).payroll(on)  # type: ignore[attr-defined]


@cache
def chain_for(
    country: str, on: dt.date, situation: Situation, employer: EmployerProfile, k: KTerms
) -> Chain:
    """The budget-to-pay chain of the simulator for one situation, with the entity's k parts."""
    rules = payroll_rules(country, on)
    terms = rules.budget_terms(situation)
    terms = BudgetTerms(
        terms.fee,
        terms.employer_rate,
        terms.employer_charges if k.employer_charges is None else k.employer_charges,
        terms.margin if k.margin is None else k.margin,
        terms.source,
    )
    request = SimulationRequest(country, on, "gross", ZERO, situation=situation, employer=employer)
    return Chain(rules, terms, request)


# An approved parameter set changes the rules of its dates: forget the rules and chains built.
parameters.when_invalidated(payroll_rules.cache_clear)
parameters.when_invalidated(chain_for.cache_clear)


# --- the payslip ----------------------------------------------------------------------------------
def compute_payslip(
    chain: Chain,
    items: Sequence[WorkItem],
    prior: PriorPay = PriorPay(),
    *,
    period: dt.date,
    monthly: bool = False,
) -> PayslipFigures:
    """The payslip of a member's month: see the module docstring for the order of the steps."""
    budget = sum((item.work_budget for item in items), ZERO)
    days = sum((item.days for item in items), ZERO)
    fraction = work_fraction(prior.days + days, period, monthly=monthly)
    gross, month = _gross_and_month(chain, budget, prior, fraction)
    this = {name: getattr(month, name) - getattr(prior, name) for name in FIGURES}
    charges, margin = chain.charges(gross)
    cooperative = budget - gross - this["employer_contributions"]
    lines = _lines(chain, budget, gross, charges, margin, cooperative, month, prior)
    return PayslipFigures(
        work_budget=budget,
        days=days,
        worker=chain.request.situation.worker,
        cooperative=cooperative,
        lines=lines,
        budgets=_budgets(items),
        contract_ids=tuple(item.contract_id for item in items),
        provisional=chain.rules.provisional,
        notes=chain.rules.notes,
        situation=chain.request.situation,
        **this,
    )


def _gross_and_month(
    chain: Chain, budget: Decimal, prior: PriorPay, fraction: Decimal | None
) -> tuple[Decimal, PayResult]:
    """G = W / k rounded down, a cent less while the per-line rounding of the employer side
    makes the cost overshoot W (as the simulator does), and the month-to-date pay with it.
    Without a flat k (France) the simulator's search finds the largest G that fits."""
    request = chain.request
    k = chain.terms.k()
    gross = cent_down(budget / k) if k is not None else chain.gross_for_budget(budget)
    while True:
        month = chain.rules.compute_pay(
            PayInputs(
                request.on, prior.gross + gross, request.situation, request.employer, fraction
            )
        )
        charges, margin = chain.charges(gross)
        employer = month.employer_contributions - prior.employer_contributions
        if k is None or gross <= 0 or gross + employer + charges + margin <= budget:
            return gross, month
        gross -= CENT


def _budgets(items: Sequence[WorkItem]) -> tuple[tuple[int, Decimal], ...]:
    totals: dict[int, Decimal] = {}
    for item in items:
        totals[item.activity_id] = totals.get(item.activity_id, ZERO) + item.work_budget
    return tuple(totals.items())


def _lines(
    chain: Chain,
    budget: Decimal,
    gross: Decimal,
    charges: Decimal,
    margin: Decimal,
    cooperative: Decimal,
    month: PayResult,
    prior: PriorPay,
) -> tuple[PayLine, ...]:
    """Budget lines, then the month-to-date pay lines, then what earlier payslips paid."""
    terms = chain.terms
    lines = [
        line("work_budget", "Work budget", None, terms.k(), budget),
        line("employer_charges", "Employer charges", gross, terms.employer_charges, -charges),
        line("margin", "Margin", gross, terms.margin, -margin),
        line("rounding", "Rounding", None, None, -(cooperative - charges - margin)),
    ]
    employer = [ln for ln in month.lines if ln.side == "employer"]
    worker = [ln for ln in month.lines if ln.side != "employer"]
    lines += employer + worker
    if prior.exists:
        lines += [
            line("earlier_gross", "Gross on earlier payslips this month", None, None, -prior.gross),
            line(
                "earlier_withholding_tax",
                "Withholding tax on earlier payslips this month",
                None,
                None,
                prior.withholding_tax,
            ),
            line("earlier_net", "Net on earlier payslips this month", None, None, -prior.net),
            line("net_this_payslip", "Net pay of this payslip", None, None, month.net - prior.net),
        ]
    return tuple(lines)


# --- posting --------------------------------------------------------------------------------------
def split(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split an amount in cents in proportion to weights, the cents left to the largest shares
    (largest remainder): the parts always add up to the amount."""
    total = sum(weights, ZERO)
    if total <= 0:
        return [amount] + [ZERO] * (len(weights) - 1)
    raw = [amount * w / total for w in weights]
    parts = [cent_down(r) if r >= 0 else -cent_down(-r) for r in raw]
    left = amount - sum(parts, ZERO)
    order = sorted(range(len(raw)), key=lambda i: abs(raw[i] - parts[i]), reverse=True)
    step = CENT if left >= 0 else -CENT
    for i in order[: int(abs(left) / CENT)]:
        parts[i] += step
    return parts


@dataclass(frozen=True, slots=True)
class PayrollAccounts:
    """Account codes of the entity's posting map for the payroll events."""

    gross_pay: str
    employer_contributions: str
    fee_charge: str
    fee_income: str
    net_pay_payable: str
    withholding_tax: str
    social_debts: str


def _side(account: str, amount: Decimal, *, debit: bool, **dims: int | None) -> list[LineDraft]:
    """A line on its natural side; a negative amount goes to the other side; zero is left out."""
    if amount == 0:
        return []
    if (amount > 0) == debit:
        return [LineDraft(account, debit=abs(amount), **dims)]  # type: ignore[arg-type]
    return [LineDraft(account, credit=abs(amount), **dims)]  # type: ignore[arg-type]


def payslip_entry(
    figures: PayslipFigures,
    accounts: PayrollAccounts,
    *,
    entity_id: int,
    journal: str,
    date: dt.date,
    person_id: int,
    label: str,
    piece_ref: str,
) -> EntryDraft:
    """Per activity: gross, employer contributions and the cooperative's part are charged to the
    activity (its budget falls by its work budget); the net is owed to the member, the tax to
    the state, the contributions to social security, the charges to the cooperative."""
    weights = [w for _, w in figures.budgets]
    gross_parts = split(figures.gross, weights)
    employer_parts = split(figures.employer_contributions, weights)
    lines: list[LineDraft] = []
    for (activity_id, budget), gross, employer in zip(
        figures.budgets, gross_parts, employer_parts, strict=True
    ):
        lines += _side(accounts.gross_pay, gross, debit=True, activity_id=activity_id)
        lines += _side(
            accounts.employer_contributions, employer, debit=True, activity_id=activity_id
        )
        lines += _side(
            accounts.fee_charge, budget - gross - employer, debit=True, activity_id=activity_id
        )
    social = figures.gross - figures.net - figures.withholding_tax + figures.employer_contributions
    lines += _side(accounts.net_pay_payable, figures.net, debit=False, member_id=person_id)
    lines += _side(accounts.withholding_tax, figures.withholding_tax, debit=False)
    lines += _side(accounts.social_debts, social, debit=False)
    lines += _side(accounts.fee_income, figures.cooperative, debit=False)
    return EntryDraft(
        entity_id=entity_id,
        journal=journal,
        date=date,
        label=label,
        lines=tuple(lines),
        piece_ref=piece_ref,
    )

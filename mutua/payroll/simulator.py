"""The salary simulator: from invoice to net, from gross to net, from wanted net to invoice.

The budget chain (DESIGN.md §3, business-model.md):

    invoiced I → fee (f·I, or the country's published form) → minus expenses E → work budget W
    → gross G = W / k, k = 1 + employer contributions + employer charges + margin (rounded down
      to the cent so pay never spends more than the budget; the cent left over is shown)
    → the country's payroll rules → net.

Pure: it asks `rules_for(country).payroll(on)` for the rules and never branches on a country.
Inverse modes search the smallest amount (to the cent) whose forward result reaches the target,
so every figure shown is a forward computation: nothing is "solved" that the forward path would
not reproduce.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from mutua.core.errors import InvalidInput
from mutua.core.pay import (
    CENT,
    ONE,
    ZERO,
    BudgetTerms,
    EmployerProfile,
    FeeRule,
    PayInputs,
    PayLine,
    PayResult,
    PayrollRules,
    Situation,
    cent,
    cent_down,
    line,
    money_text,
)
from mutua.countries.base import PayrollCountry
from mutua.countries.registry import rules_for

MODES = ("gross", "invoiced", "net")
MEMO_SIZE = 256  # pay results kept per chain: a simulation needs a few dozen
MAX_AMOUNT = Decimal("10000000")  # a month's figure above 10 million is a typing error


@dataclass(frozen=True, slots=True)
class SimulationRequest:
    country: str
    on: dt.date
    mode: str  # gross | invoiced | net
    amount: Decimal
    expenses: Decimal = ZERO
    situation: Situation = field(default_factory=Situation)
    employer: EmployerProfile = field(default_factory=EmployerProfile)
    fee_rate: Decimal | None = None  # None: the country's default

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InvalidInput(f"unknown mode {self.mode!r}", field="mode")
        for name in ("amount", "expenses"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite():
                raise InvalidInput(f"{name} must be a decimal amount", field=name)
            if value < 0:
                raise InvalidInput(f"{name} must not be negative", field=name)
            if value > MAX_AMOUNT:
                raise InvalidInput(f"{name} is too large", field=name)
            if value != value.quantize(CENT):
                raise InvalidInput(f"{name} must be given in cents at most", field=name)
        if self.fee_rate is not None and not ZERO <= self.fee_rate < ONE:
            raise InvalidInput("fee rate must be between 0 and 1", field="fee_rate")


@dataclass(frozen=True, slots=True)
class Simulation:
    country: str
    on: dt.date
    currency: str
    invoiced: Decimal
    fee: Decimal
    expenses: Decimal
    work_budget: Decimal
    employer_charges: Decimal
    margin: Decimal
    rounding: Decimal  # what the budget keeps because gross is rounded down to the cent
    pay: PayResult
    lines: tuple[PayLine, ...]
    # Some parameters in force on `on` are not the official ones yet (not published, or a
    # provisional set): the answer says so, and why, wherever it is shown.
    provisional: bool = False
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """The JSON of `mutua simulate` (DESIGN.md §5): amounts as decimal strings."""
        pay = self.pay
        return {
            "country": self.country,
            "on": self.on.isoformat(),
            "currency": self.currency,
            "invoiced": money_text(self.invoiced),
            "fee": money_text(self.fee),
            "expenses": money_text(self.expenses),
            "work_budget": money_text(self.work_budget),
            "gross": money_text(pay.gross),
            "employee_contributions": money_text(pay.employee_contributions),
            "work_bonus": money_text(pay.work_bonus),
            "withholding_tax": money_text(pay.withholding_tax),
            "special_contribution": money_text(pay.special_contribution),
            "net": money_text(pay.net),
            "employer_contributions": money_text(pay.employer_contributions),
            "employer_cost": money_text(pay.employer_cost),
            "lines": [ln.as_dict() for ln in self.lines],
            "provisional": self.provisional,
            "parameters_note": "; ".join(self.notes),
        }


# --- the chain, step by step --------------------------------------------------------------------
@dataclass(frozen=True)
class Chain:
    """The rules and terms of one simulation, with the forward steps as small functions."""

    rules: PayrollRules
    terms: BudgetTerms
    request: SimulationRequest
    # The searches of one simulation evaluate the same grosses again and again (each invoice
    # tried near the answer re-brackets around the same cents): the rules are pure, so one
    # computation per gross is enough. Payroll runs keep chains cached (payslip.chain_for), so
    # the memo is emptied when it grows past what one simulation needs.
    _paid: dict[Decimal, PayResult] = field(default_factory=dict, compare=False, repr=False)

    def pay(self, gross: Decimal) -> PayResult:
        found = self._paid.get(gross)
        if found is None:
            r = self.request
            found = self.rules.compute_pay(PayInputs(r.on, gross, r.situation, r.employer))
            if len(self._paid) >= MEMO_SIZE:
                self._paid.clear()
            self._paid[gross] = found
        return found

    def work_budget(self, invoiced: Decimal) -> Decimal:
        return (
            invoiced - self.terms.fee.fee(invoiced, self.request.expenses) - self.request.expenses
        )

    def charges(self, gross: Decimal) -> tuple[Decimal, Decimal]:
        return cent(gross * self.terms.employer_charges), cent(gross * self.terms.margin)

    def full_cost(self, gross: Decimal) -> Decimal:
        """What a gross costs the activity: employer cost + employer charges + margin."""
        charges, margin = self.charges(gross)
        return self.pay(gross).employer_cost + charges + margin

    def budget_for_gross(self, gross: Decimal) -> Decimal:
        """The least work budget W with gross_for_budget(W) ≥ gross."""
        k = self.terms.k()
        cost = self.full_cost(gross)
        return max(gross * k, cost) if k is not None else cost

    def gross_for_budget(self, budget: Decimal, guess: Decimal | None = None) -> Decimal:
        """G = W / k rounded down; without a flat k, the largest G whose full cost fits W
        (searched from `guess` when the caller knows a gross near it)."""
        if budget <= 0:
            return ZERO
        k = self.terms.k()
        if k is not None:
            # W / k rounded down, then a cent less while per-line rounding overspends the budget.
            gross = cent_down(budget / k)
            while gross > 0 and self.full_cost(gross) > budget:
                gross -= CENT
            return gross
        return largest_within(self.full_cost, budget, guess or self.estimate_gross(budget))

    def estimate_gross(self, budget: Decimal) -> Decimal:
        """A guess within a cent or two of the gross whose full cost is the budget.

        The cost is linear by pieces in the gross (rates on bases that are the gross or a
        ceiling), except where a reduction coefficient bends it (the French RGDU): a secant
        step on the cost lands on the answer in one or two steps on a straight piece and
        converges fast on the bend, where fixed-point steps on the rate were euros away.
        """
        other = ONE + self.terms.employer_charges + self.terms.margin
        low = cent(budget / (other + Decimal("0.3")))
        low_cost = self.full_cost(low)
        high = cent(low * budget / low_cost) if low_cost > 0 else low
        for _ in range(SECANT_STEPS):
            if high == low or high <= 0:
                break
            high_cost = self.full_cost(high)
            if high_cost == low_cost or abs(high_cost - budget) < CENT:
                break
            step = (budget - high_cost) * (high - low) / (high_cost - low_cost)
            low, low_cost, high = high, high_cost, cent(high + step)
        return min(max(cent_down(high), ZERO), budget)


def build_chain(request: SimulationRequest) -> Chain:
    country = rules_for(request.country)
    if not isinstance(country, PayrollCountry):
        raise InvalidInput(f"no payroll rules for {request.country}", field="country")
    rules = country.payroll(request.on)
    terms = rules.budget_terms(request.situation)
    if request.fee_rate is not None:
        terms = BudgetTerms(
            FeeRule(request.fee_rate, terms.fee.basis, False, "entity setting"),
            terms.employer_rate,
            terms.employer_charges,
            terms.margin,
            terms.source,
        )
    return Chain(rules, terms, request)


# Secant steps of the gross estimate; the search after it corrects whatever is left.
SECANT_STEPS = 4


# --- searching to the cent ----------------------------------------------------------------------
def smallest_reaching(f: Callable[[Decimal], Decimal], target: Decimal, guess: Decimal) -> Decimal:
    """The smallest amount x (in cents, ≥ 0) with f(x) ≥ target, f non-decreasing.

    Bracket from a guess by doubling steps, then bisect on cents: about 2·log2(error) + 10
    evaluations, so an analytic guess makes it cheap.
    """
    if f(ZERO) >= target:
        return ZERO
    low, high = _bracket(f, target, max(cent(guess), CENT))
    while high - low > CENT:
        mid = cent_down((low + high) / 2)
        low, high = (low, mid) if f(mid) >= target else (mid, high)
    return high


def largest_within(f: Callable[[Decimal], Decimal], limit: Decimal, guess: Decimal) -> Decimal:
    """The largest amount x (in cents) with f(x) ≤ limit, f non-decreasing and in cents."""
    if f(ZERO) > limit:
        return ZERO
    return smallest_reaching(f, limit + CENT, guess) - CENT


def _bracket(
    f: Callable[[Decimal], Decimal], target: Decimal, guess: Decimal
) -> tuple[Decimal, Decimal]:
    """(low, high) with f(low) < target ≤ f(high); low may be 0."""
    step = CENT
    if f(guess) >= target:
        high = guess
        low = max(high - step, ZERO)
        while low > 0 and f(low) >= target:
            high, step = low, step * 2
            low = max(high - step, ZERO)
        return low, high
    low = guess
    high = low + step
    while f(high) < target:
        if high > MAX_AMOUNT * 10:
            raise InvalidInput("no amount reaches the wanted figure", field="amount")
        low, step = high, step * 2
        high = low + step
    return low, high


# --- the three modes ----------------------------------------------------------------------------
def from_invoice(chain: Chain, invoiced: Decimal, guess: Decimal | None = None) -> Simulation:
    """Invoice (+ expenses) → fee → work budget → gross → net."""
    budget = chain.work_budget(invoiced)
    if budget < 0:
        raise InvalidInput("expenses and fee exceed the amount invoiced", field="expenses")
    gross = chain.gross_for_budget(budget, guess)
    return assemble(chain, invoiced, gross)


def invoice_for_gross(chain: Chain, gross: Decimal) -> Decimal:
    """The smallest invoice whose work budget pays this gross (and no smaller one does)."""
    needed = chain.budget_for_gross(gross)
    guess = (needed + chain.request.expenses) / (ONE - chain.terms.fee.rate)
    return smallest_reaching(chain.work_budget, needed, guess)


def from_gross(chain: Chain, gross: Decimal) -> Simulation:
    """Gross → net, with the invoice that would pay it shown above."""
    invoiced = invoice_for_gross(chain, gross) if gross > 0 else chain.request.expenses
    return assemble(chain, invoiced, gross)


def from_net(chain: Chain, net: Decimal) -> Simulation:
    """Wanted net → the smallest gross paying at least that net → the invoice for that gross."""
    gross = smallest_reaching(lambda g: chain.pay(g).net, net, estimate_gross_for_net(chain, net))
    if gross == 0:
        return from_gross(chain, ZERO)
    base = invoice_for_gross(chain, gross)
    # Where contributions are rounded line by line (France) net is not monotonic to the cent, so
    # the invoice for that gross need not be the least one paying the net: look a few cents on
    # each side and take the lowest invoice whose net is at least the net asked for.
    for cents in range(-NEARBY_CENTS, NEARBY_CENTS + 1):
        invoiced = base + CENT * cents
        if invoiced < 0:
            continue
        result = from_invoice(chain, invoiced, gross)
        if result.pay.net >= net:
            return result
    return from_invoice(chain, base, gross)


# How many cents around the invoice found for a gross to look for the least one paying a net.
NEARBY_CENTS = 6


def estimate_gross_for_net(chain: Chain, net: Decimal) -> Decimal:
    """A proportional step from a net/gross ratio, then secant steps (the net is linear by
    pieces in the gross): a guess within a cent or two, so the search after it is short."""
    low = cent(net * Decimal("1.4"))
    low_net = chain.pay(low).net
    if low_net <= 0:
        return low
    high = cent(low * net / low_net)
    for _ in range(SECANT_STEPS):
        if high == low or high <= 0:
            break
        high_net = chain.pay(high).net
        if high_net == low_net or abs(high_net - net) < CENT:
            break
        step = (net - high_net) * (high - low) / (high_net - low_net)
        low, low_net, high = high, high_net, cent(high + step)
    return max(high, ZERO)


def assemble(chain: Chain, invoiced: Decimal, gross: Decimal) -> Simulation:
    """Put the budget lines above the country's pay lines, so every cent of I is accounted for."""
    request, terms = chain.request, chain.terms
    pay = chain.pay(gross)
    fee = terms.fee.fee(invoiced, request.expenses)
    budget = invoiced - fee - request.expenses
    charges, margin = chain.charges(gross)
    rounding = budget - pay.employer_cost - charges - margin
    budget_lines = [
        line("invoiced", "Invoiced (excl. VAT)", None, None, invoiced),
        line("fee", "Cooperative fee", invoiced, terms.fee.rate, -fee),
        line("expenses", "Expenses refunded", None, None, -request.expenses),
        line("work_budget", "Work budget", None, terms.k(), budget),
        line("employer_charges", "Employer charges", gross, terms.employer_charges, -charges),
        line("margin", "Margin", gross, terms.margin, -margin),
        line("rounding", "Left in the activity (rounding)", None, None, -rounding),
    ]
    employer = [ln for ln in pay.lines if ln.side == "employer"]
    employee = [ln for ln in pay.lines if ln.side != "employer"]
    return Simulation(
        country=chain.rules.country,
        on=request.on,
        currency=chain.rules.currency,
        invoiced=invoiced,
        fee=fee,
        expenses=request.expenses,
        work_budget=budget,
        employer_charges=charges,
        margin=margin,
        rounding=rounding,
        pay=pay,
        lines=(*budget_lines, *employer, *employee),
        provisional=chain.rules.provisional,
        notes=chain.rules.notes,
    )


def simulate(request: SimulationRequest) -> Simulation:
    """Run the simulator in the request's mode."""
    chain = build_chain(request)
    if request.mode == "invoiced":
        return from_invoice(chain, request.amount)
    if request.mode == "net":
        return from_net(chain, request.amount)
    return from_gross(chain, request.amount)

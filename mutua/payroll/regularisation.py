"""Regularisation: payslips paid on provisional values, recomputed once the official ones are in.

A posted payslip is never rewritten. `plan` recomputes the payslips of an entity from a month on
with the rules in force now (same contracts, same work budgets, same situation as stored on the
payslip, the month's earlier payslips recomputed first for the cumulative monthly taxation) and
returns, for each, what it should have paid less what it and its earlier regularisations paid.
Each difference is stored as a `Regularisation` and *settled* on the member's next payslip:
its figures are added to that payslip's, with one line per figure, so the next entry books
them and the next payout pays them (DESIGN.md §3: every movement a balanced entry).

The work budget does not change, so each difference leaves the activity's budget as it was:
what moves is its split between the member (net), the state (tax), social security and the
cooperative.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from mutua.contracts.actions import k_terms
from mutua.contracts.models import Contract, ContractKind
from mutua.contracts.smoothing import amounts_in_force
from mutua.core.errors import RuleViolation
from mutua.core.pay import ZERO, EmployerProfile, PayLine, Situation, line
from mutua.entities.models import Entity
from mutua.members.models import Person
from mutua.payroll.models import PaidPeriod, Payslip, ProvisionalApproval, Regularisation
from mutua.payroll.payslip import (
    FIGURES,
    PayslipFigures,
    PriorPay,
    WorkItem,
    chain_for,
    compute_payslip,
    payroll_rules,
    situation_of,
)

# Figures a regularisation moves (the work budget and days never change).
MOVED = (*FIGURES, "cooperative")
LABELS = {
    "gross": "gross pay",
    "employee_contributions": "employee contributions",
    "work_bonus": "work bonus",
    "taxable": "taxable pay",
    "withholding_tax": "withholding tax",
    "special_contribution": "special contribution",
    "net": "net pay",
    "employer_contributions": "employer contributions",
    "cooperative": "cooperative's part",
}


def provisional_notes(entity: Entity, period: dt.date) -> tuple[str, ...]:
    """Why the month's rules are provisional for the entity's country (empty: official)."""
    rules = payroll_rules(entity.country, period.replace(day=1))
    return rules.notes if rules.provisional else ()


def require_provisional_approval(entity: Entity, period: dt.date) -> None:
    """Refuse to pay a month on provisional values that nobody agreed to."""
    notes = provisional_notes(entity, period)
    approved = ProvisionalApproval.objects.filter(entity=entity, period=period.replace(day=1))
    if notes and not approved.exists():
        raise RuleViolation(
            f"{period:%Y-%m} would be paid on provisional values ({'; '.join(notes)}): "
            "a payroll officer must approve paying it on them first",
            field="period",
        )


# --- settling on the next payslip ----------------------------------------------------------------
def pending_for(entity: Entity, person_ids: list[int]) -> dict[int, list[Regularisation]]:
    """The regularisations not settled yet, by member, oldest first."""
    found: dict[int, list[Regularisation]] = defaultdict(list)
    rows = Regularisation.objects.filter(
        entity=entity, person_id__in=person_ids, applied_to__isnull=True
    ).select_related("payslip")
    for row in rows.order_by("id"):
        found[row.person_id].append(row)
    return found


def settle(figures: PayslipFigures, pending: list[Regularisation]) -> PayslipFigures:
    """The payslip with the pending regularisations added: each figure, and a line for each."""
    if not pending:
        return figures
    totals = {name: getattr(figures, name) for name in MOVED}
    lines: list[PayLine] = []
    for reg in pending:
        month = f"{reg.payslip.period:%Y-%m}"
        for name in MOVED:
            amount = reg.difference(name)
            if amount:
                totals[name] += amount
                label = f"Regularisation {month} ({reg.payslip.reference}): {LABELS[name]}"
                lines.append(line(f"regularisation_{name}", label, None, None, amount))
    settles = tuple(reg.pk for reg in pending)
    return dataclasses.replace(
        figures, lines=figures.lines + tuple(lines), settles=settles, **totals
    )


def mark_settled(settled: dict[int, tuple[int, ...]]) -> None:
    """Record on each regularisation the payslip that settled it (payslip id → their ids)."""
    for payslip_id, ids in settled.items():
        if ids:
            Regularisation.objects.filter(pk__in=ids, applied_to__isnull=True).update(
                applied_to_id=payslip_id
            )


def carried_by(payslips: QuerySet[Payslip]) -> dict[int, dict[str, Decimal]]:
    """By member, the sum of the regularisations these payslips settled (of other months)."""
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for reg in Regularisation.objects.filter(applied_to__in=payslips).only(
        "person_id", "differences"
    ):
        for name in MOVED:
            sums[reg.person_id][name] += reg.difference(name)
    return sums


def without(prior: PriorPay, carried: dict[str, Decimal] | None) -> PriorPay:
    """The month's earlier pay less what its payslips carried for other months."""
    if not carried:
        return prior
    return dataclasses.replace(
        prior, **{name: getattr(prior, name) - carried[name] for name in FIGURES}
    )


# --- recomputing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Planned:
    payslip: Payslip
    differences: dict[str, Decimal]
    note: str


def plan(
    entity: Entity, first_month: dt.date, person_ids: Iterable[int] | None = None
) -> list[Planned]:
    """What each provisional payslip of the entity from `first_month` on still owes or is owed
    with the rules in force now; payslips with nothing left to regularise are left out."""
    slips = Payslip.objects.filter(entity=entity, period__gte=first_month.replace(day=1))
    if person_ids is not None:
        slips = slips.filter(person_id__in=list(person_ids))
    months = _months_with_provisional(slips)
    if not months:
        return []
    scope = [
        s
        for s in slips.order_by("person_id", "period", "run__sequence", "id")
        if (s.person_id, s.period) in months
    ]
    items = _items_of(scope)
    own = _own_figures(scope)
    paid_since = _regularised(scope)
    planned: list[Planned] = []
    context = (k_terms(entity), EmployerProfile())
    for slips_of_month in _by_member_and_month(scope):
        planned += _plan_month(entity, slips_of_month, items, own, paid_since, context)
    return planned


def _months_with_provisional(slips: QuerySet[Payslip]) -> set[tuple[int, dt.date]]:
    rows = slips.filter(provisional=True).values_list("person_id", "period").distinct()
    return set(rows)


def _by_member_and_month(scope: list[Payslip]) -> list[list[Payslip]]:
    groups: dict[tuple[int, dt.date], list[Payslip]] = {}
    for slip in scope:
        groups.setdefault((slip.person_id, slip.period), []).append(slip)
    return list(groups.values())


def _plan_month(
    entity: Entity,
    slips: list[Payslip],
    items: dict[int, list[tuple[WorkItem, bool]]],
    own: dict[int, dict[str, Decimal]],
    paid_since: dict[int, dict[str, Decimal]],
    context: tuple[Any, EmployerProfile],
) -> list[Planned]:
    """Recompute a member's month slip by slip (each after the earlier ones, as runs do)."""
    k, employer = context
    prior, planned = PriorPay(), []
    for slip in slips:
        rows = items.get(slip.pk, [])
        chain = chain_for(entity.country, slip.period, _situation(slip), employer, k)
        figures = compute_payslip(
            chain,
            [item for item, _ in rows],
            prior,
            period=slip.period,
            monthly=any(monthly for _, monthly in rows),
        )
        prior = _add(prior, figures)
        paid = {n: own[slip.pk][n] + paid_since[slip.pk][n] for n in MOVED}
        differences = {n: getattr(figures, n) - paid[n] for n in MOVED}
        if slip.provisional and any(differences.values()):
            note = "; ".join(chain.rules.notes) or "official values"
            planned.append(Planned(slip, differences, note[:300]))
    return planned


def _add(prior: PriorPay, figures: PayslipFigures) -> PriorPay:
    values = {name: getattr(prior, name) + getattr(figures, name) for name in FIGURES}
    return PriorPay(**values, days=prior.days + figures.days)


def _situation(slip: Payslip) -> Situation:
    if slip.situation:
        return Situation(**slip.situation)
    person = Person.objects.get(pk=slip.person_id)  # payslips made before the situation was kept
    return situation_of(person, worker=slip.worker, category="non-cadre")


def _items_of(scope: list[Payslip]) -> dict[int, list[tuple[WorkItem, bool]]]:
    """Each payslip's contracts as the run paid them (monthly ones at the month's amount)."""
    paid = PaidPeriod.objects.filter(payslip__in=[s.pk for s in scope]).values_list(
        "payslip_id", "contract_id", "period"
    )
    by_slip: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for payslip_id, contract_id, period in paid:
        by_slip[payslip_id].append((contract_id, period))
    contracts = Contract.objects.in_bulk([c for pairs in by_slip.values() for c, _ in pairs])
    items: dict[int, list[tuple[WorkItem, bool]]] = defaultdict(list)
    for payslip_id, pairs in by_slip.items():
        for contract_id, period in sorted(pairs, key=lambda p: _start(contracts[p[0]])):
            items[payslip_id].append(_item(contracts[contract_id], period))
    return items


def _start(contract: Contract) -> tuple[dt.date, int]:
    return contract.start_date, contract.pk


def _item(contract: Contract, period: dt.date) -> tuple[WorkItem, bool]:
    monthly = contract.kind == ContractKind.MONTHLY
    budget = contract.work_budget
    if monthly:
        budget = amounts_in_force([contract.pk], period).get(contract.pk, budget)
    days = ZERO if monthly else contract.days
    item = WorkItem(
        contract.pk, contract.activity_id, budget, days, contract.worker, contract.category
    )
    return item, monthly


def _own_figures(scope: list[Payslip]) -> dict[int, dict[str, Decimal]]:
    """Each payslip's figures for its own month: its columns less what it settled for others."""
    settled: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for reg in Regularisation.objects.filter(applied_to__in=[s.pk for s in scope]):
        for name in MOVED:
            settled[reg.applied_to_id or 0][name] += reg.difference(name)
    return {s.pk: {n: getattr(s, n) - settled[s.pk][n] for n in MOVED} for s in scope}


def _regularised(scope: list[Payslip]) -> dict[int, dict[str, Decimal]]:
    """What earlier regularisations of each payslip already added (settled or not)."""
    done: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for reg in Regularisation.objects.filter(payslip__in=[s.pk for s in scope]):
        for name in MOVED:
            done[reg.payslip_id][name] += reg.difference(name)
    return done


def totals(planned: list[Planned]) -> dict[str, Decimal]:
    """The sum of each figure's differences, shown before staff confirm."""
    sums = dict.fromkeys(MOVED, ZERO)
    for item in planned:
        for name in MOVED:
            sums[name] += item.differences[name]
    return sums

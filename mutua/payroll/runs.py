"""How a payroll run reads, computes and writes one chunk of members, set-based.

Called by `actions.pay_chunk`, which owns the transaction and the audit event. Reads are one
query per table for the whole chunk; payslips, their lines and the paid periods are written with
COPY (PostgreSQL) or executemany (SQLite) through the ledger's storage helpers, and the entries
with `post_entries_bulk`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Sum

from mutua.contracts.actions import k_terms
from mutua.contracts.models import Contract, ContractKind
from mutua.contracts.smoothing import amounts_in_force
from mutua.core import clock
from mutua.core.pay import ZERO, EmployerProfile
from mutua.entities.models import Entity
from mutua.fund.actions import advance_key, book_payroll_advances
from mutua.fund.queries import cover_book
from mutua.fund.rules import Cover, CoverBook
from mutua.ledger import storage
from mutua.ledger.drafts import EntryDraft
from mutua.ledger.models import Balance
from mutua.ledger.queries import journal_for, posting_account
from mutua.members.models import Person
from mutua.payroll import regularisation
from mutua.payroll.models import (
    PaidPeriod,
    PayrollRun,
    Payslip,
    PayslipLine,
    Regularisation,
    payslip_key,
)
from mutua.payroll.payslip import (
    FIGURES,
    KTerms,
    PayrollAccounts,
    PayslipFigures,
    PriorPay,
    WorkItem,
    chain_for,
    compute_payslip,
    month_bounds,
    payslip_entry,
    situation_of,
)

LANGUAGES = ("fr", "nl", "en")
PERSON_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "preferred_language",
    "marital_status",
    "partner_has_income",
    "dependent_children",
    "disabled_dependent_children",
    "single_parent",
    "tax_table",
)


# --- who is paid this month -------------------------------------------------------------------
def payable_contracts(entity: Entity, period: dt.date) -> Any:
    """Active contracts of the entity that pay in this month and are not paid for it yet."""
    first, last = month_bounds(period)
    paid = PaidPeriod.objects.filter(contract=OuterRef("pk"), period=first)
    one_off = Q(kind__in=(ContractKind.DAY, ContractKind.VARIABLE), start_date__range=(first, last))
    monthly = Q(kind=ContractKind.MONTHLY, start_date__lte=last, work_budget__gt=0) & (
        Q(end_date__isnull=True) | Q(end_date__gte=first)
    )
    return (
        Contract.objects.filter(entity=entity, status="active")
        .filter(one_off | monthly)
        .exclude(Exists(paid))
    )


def members_to_pay(entity: Entity, period: dt.date) -> list[int]:
    ids = payable_contracts(entity, period).values_list("person_id", flat=True).distinct()
    return sorted(set(ids))


# --- one chunk ----------------------------------------------------------------------------------
@dataclass
class ChunkResult:
    paid: list[int] = field(default_factory=list)
    refused: list[list[Any]] = field(default_factory=list)


@dataclass(frozen=True)
class RunContext:
    """What every chunk of a run needs, read once."""

    entity: Entity
    period: dt.date
    last_day: dt.date
    accounts: PayrollAccounts
    journal: str
    k: KTerms
    employer: EmployerProfile


def run_context(run: PayrollRun) -> RunContext:
    entity = run.entity
    first, last = month_bounds(run.period)

    def code(event: str) -> str:
        return posting_account(entity, event).code

    return RunContext(
        entity=entity,
        period=first,
        last_day=last,
        accounts=PayrollAccounts(
            gross_pay=code("gross_pay"),
            employer_contributions=code("employer_contributions"),
            fee_charge=code("fee_charge"),
            fee_income=code("fee_income"),
            net_pay_payable=code("net_pay_payable"),
            withholding_tax=code("withholding_tax"),
            social_debts=code("social_debts"),
        ),
        journal=journal_for(entity, "payroll").code,
        k=k_terms(entity),
        employer=EmployerProfile(),
    )


def _items(ctx: RunContext, person_ids: list[int]) -> dict[int, list[tuple[WorkItem, bool]]]:
    rows = payable_contracts(ctx.entity, ctx.period).filter(person_id__in=person_ids)
    items: dict[int, list[tuple[WorkItem, bool]]] = defaultdict(list)
    found = list(
        rows.order_by("start_date", "id").values_list(
            "id", "person_id", "activity_id", "kind", "work_budget", "days", "worker", "category"
        )
    )
    # A monthly contract pays the amount in force for the month (the member's dated choice).
    chosen = amounts_in_force([r[0] for r in found if r[3] == ContractKind.MONTHLY], ctx.period)
    for row in found:
        pk, person_id, activity_id, kind, budget, days, worker, category = row
        monthly = kind == ContractKind.MONTHLY
        budget = chosen.get(pk, budget) if monthly else budget
        item = WorkItem(pk, activity_id, budget, ZERO if monthly else days, worker, category)
        items[person_id].append((item, monthly))
    return items


def _prior(ctx: RunContext, run: PayrollRun, person_ids: list[int]) -> dict[int, PriorPay]:
    """What earlier runs of the month paid each member (cumulative monthly taxation), without
    the regularisations of other months those payslips carried."""
    names = (*FIGURES, "days")
    earlier = Payslip.objects.filter(
        entity=ctx.entity, period=ctx.period, person_id__in=person_ids
    ).exclude(run=run)
    rows = (
        earlier.values("person_id")
        .annotate(**{f"sum_{name}": Sum(name) for name in names})
        .values_list("person_id", *(f"sum_{name}" for name in names))
    )
    carried = regularisation.carried_by(earlier)
    return {row[0]: regularisation.without(PriorPay(*row[1:]), carried.get(row[0])) for row in rows}


def _budgets(ctx: RunContext, activity_ids: set[int]) -> dict[int, Decimal]:
    """Each activity's available budget, from the ledger's aggregate (DESIGN.md §3)."""
    rows = (
        Balance.objects.filter(
            entity=ctx.entity,
            dimension="activity",
            dimension_id__in=activity_ids,
            account__counts_in_budget=True,
        )
        .values("dimension_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    found = {row["dimension_id"]: row["credit"] - row["debit"] for row in rows}
    return {pk: found.get(pk, ZERO) for pk in activity_ids}


def _predominant(items: list[tuple[WorkItem, bool]]) -> WorkItem:
    """The item with the largest work budget sets the payslip's worker type and category."""
    return max((item for item, _ in items), key=lambda item: item.work_budget)


@dataclass(frozen=True)
class ChunkInput:
    """What a chunk's computation reads from the database, read in one go."""

    person_ids: list[int]
    people: dict[int, Person]
    items: dict[int, list[tuple[WorkItem, bool]]]
    prior: dict[int, PriorPay]
    pending: dict[int, list[Regularisation]]  # regularisations the next payslip settles


Computed = list[tuple[Person, PayslipFigures]]


def read_chunk(ctx: RunContext, run: PayrollRun, person_ids: list[int]) -> ChunkInput:
    return ChunkInput(
        person_ids=person_ids,
        people=Person.objects.only(*PERSON_FIELDS).in_bulk(person_ids),
        items=_items(ctx, person_ids),
        prior=_prior(ctx, run, person_ids),
        pending=regularisation.pending_for(ctx.entity, person_ids),
    )


def compute_figures(ctx: RunContext, data: ChunkInput) -> Computed:
    """The payslip figures of each member of the chunk. Pure: no database."""
    computed = []
    for person_id in data.person_ids:
        rows = data.items.get(person_id)
        if not rows:
            continue  # paid meanwhile by another run, or the contract was cancelled
        person = data.people[person_id]
        lead = _predominant(rows)
        situation = situation_of(person, worker=lead.worker, category=lead.category)
        chain = chain_for(ctx.entity.country, ctx.period, situation, ctx.employer, ctx.k)
        figures = compute_payslip(
            chain,
            [item for item, _ in rows],
            data.prior.get(person_id, PriorPay()),
            period=ctx.period,
            monthly=any(monthly for _, monthly in rows),
        )
        computed.append((person, regularisation.settle(figures, data.pending.get(person_id, []))))
    return computed


class Accepted(list[tuple[Person, PayslipFigures]]):
    """The payslips a chunk pays, with what the guarantee fund advances for each (by person)."""

    covers: dict[int, list[Cover]]

    def __init__(self) -> None:
        super().__init__()
        self.covers = {}


def within_budgets(ctx: RunContext, computed: Computed) -> tuple[Accepted, list[list[Any]]]:
    """Keep the payslips the activities can pay, in order; refuse the others with the reason.

    An activity pays from what it has *available* (DESIGN.md §3: collected income, the ledger
    budget less the activity's share of its unpaid invoices, plus what the fund already advanced
    on them) and, beyond that, from what the guarantee fund *guarantees*: eligible unpaid
    invoices within the policy's limits. What the fund puts up is recorded as advances."""
    ids = {a for _, f in computed for a, _ in f.budgets}
    ledger = _budgets(ctx, ids)
    book = cover_book(ctx.entity, ids, ctx.last_day)
    available = {a: ledger[a] - book.uncollected(a) + book.advanced(a) for a in ids}
    accepted, refused = Accepted(), []
    for person, figures in computed:
        wanted: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for activity_id, amount in figures.budgets:
            wanted[activity_id] += amount
        own = {a: min(max(available[a], ZERO), w) for a, w in wanted.items()}
        needs = [(a, w - own[a]) for a, w in wanted.items() if w > own[a]]
        covers = book.plan(needs) if needs else []
        if covers is None:
            refused.append([person.pk, _refusal(book, available, needs, wanted)])
            continue
        for activity_id, amount in own.items():
            available[activity_id] -= amount
        book.take(covers)
        if covers:
            accepted.covers[person.pk] = covers
        accepted.append((person, figures))
    return accepted, refused


def _refusal(
    book: CoverBook,
    available: dict[int, Decimal],
    needs: list[tuple[int, Decimal]],
    wanted: dict[int, Decimal],
) -> str:
    """Why a payslip cannot be paid: the first short activity, and which unpaid invoices the
    fund does not guarantee (so the member and staff know what to chase)."""
    activity_id = needs[0][0]
    reason = (
        f"activity {activity_id}: available {max(available[activity_id], ZERO)} and "
        f"guaranteed {book.guaranteed(activity_id)} are below the work budget "
        f"{wanted[activity_id]}"
    )
    excluded = book.not_covered(activity_id)
    if excluded:
        reason += "; not guaranteed: " + ", ".join(excluded)
    return reason[:500]


# --- writing ------------------------------------------------------------------------------------
PAYSLIP_COLUMNS = (
    "id",
    "run_id",
    "entity_id",
    "person_id",
    "period",
    "currency",
    "language",
    "worker",
    "days",
    "work_budget",
    *FIGURES,
    "cooperative",
    "lines",
    "provisional",
    "parameters_note",
    "situation",
    "created_at",
)


def language_of(person: Person, entity: Entity) -> str:
    preferred = (person.preferred_language or "")[:2]
    if preferred in LANGUAGES:
        return preferred
    return next((lang for lang in entity.language_list if lang in LANGUAGES), "en")


def write_chunk(ctx: RunContext, run: PayrollRun, computed: Computed) -> list[EntryDraft]:
    """Store the payslips, their lines and paid periods; return their ledger drafts."""
    if not computed:
        return []
    ids = storage.allocate_ids("payroll_payslip", len(computed))
    now = clock.now()
    payslips, paid, drafts = [], [], []
    for pk, (person, f) in zip(ids, computed, strict=True):
        payslips.append(
            (
                *(pk, run.pk, ctx.entity.pk, person.pk, ctx.period, ctx.entity.currency),
                *(language_of(person, ctx.entity), f.worker, f.days, f.work_budget),
                *(getattr(f, name) for name in FIGURES),
                *(f.cooperative, json.dumps([PayslipLine.row(ln) for ln in f.lines])),
                *(f.provisional, "; ".join(f.notes)[:300], json.dumps(_situation(f)), now),
            )
        )
        paid += [(contract_id, ctx.period, pk) for contract_id in f.contract_ids]
        drafts.append(
            payslip_entry(
                f,
                ctx.accounts,
                entity_id=ctx.entity.pk,
                journal=ctx.journal,
                date=ctx.last_day,
                person_id=person.pk,
                label=f"Pay {ctx.period:%Y-%m} {person.first_name} {person.last_name}"[:200],
                piece_ref=f"PS-{ctx.period:%Y%m}-{pk:07d}",
            )
        )
    storage.insert_rows("payroll_payslip", PAYSLIP_COLUMNS, payslips)
    storage.insert_rows("payroll_paidperiod", ("contract_id", "period", "payslip_id"), paid)
    regularisation.mark_settled({pk: f.settles for pk, (_, f) in zip(ids, computed, strict=True)})
    advances, _ = book_payroll_advances(
        entity=ctx.entity,
        run_id=run.pk,
        on=ctx.last_day,
        covers=getattr(computed, "covers", {}),
        acting_user=None,
    )
    return drafts + advances


def _situation(figures: PayslipFigures) -> dict[str, Any]:
    return dataclasses.asdict(figures.situation) if figures.situation else {}


def ledger_keys(run: PayrollRun, computed: Computed) -> list[str]:
    """The keys of write_chunk's drafts, in its order: payslips, then the fund's advances."""
    covers: dict[int, list[Cover]] = getattr(computed, "covers", {})
    return [payslip_key(run.pk, person.pk) for person, _ in computed] + [
        advance_key(run.pk, person_id, cover.invoice_id)
        for person_id, person_covers in covers.items()
        for cover in person_covers
    ]

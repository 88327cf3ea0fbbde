"""Payroll actions: open a run, pay it chunk by chunk, close it (DESIGN.md §4, §5).

`run_payroll` is what `mutua payroll run` and the staff page call: it opens (or resumes) the
month's run and pays each chunk not done yet, each in its own transaction with its done marker,
so a crash costs at most the chunk in progress and running again never pays anyone twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Max, Sum

from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.ledger.actions import post_entries_bulk
from mutua.members.queries import has_role
from mutua.payroll import regularisation, runs
from mutua.payroll.models import PayrollRun, Payslip, RunChunk, RunStatus
from mutua.payroll.payslip import FIGURES

PAYROLL_STAFF = (Role.PAYROLL_OFFICER, Role.ADMINISTRATOR)
DEFAULT_CHUNK = 2000


def _check_officer(actor: Any, entity: Entity) -> None:
    """People run payroll through a staff role; the CLI (actor None) is an operator's tool."""
    if actor is not None and not has_role(actor, PAYROLL_STAFF, entity):
        raise AccessDenied("only a payroll officer of the entity runs its payroll")


def parse_period(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError as exc:
        raise InvalidInput("give the month as YYYY-MM", field="period") from exc


@action("payroll.open_run")
def open_run(
    *, entity: Entity, period: dt.date, acting_user: Any = None, chunk_size: int = DEFAULT_CHUNK
) -> PayrollRun:
    """The month's open run, or a new one (the next sequence once the last one is closed) with
    its members planned in chunks. Opening again returns the open run unchanged."""
    _check_officer(actor=acting_user, entity=entity)
    if chunk_size < 1:
        raise InvalidInput("a chunk holds at least one member", field="chunk_size")
    period = period.replace(day=1)
    regularisation.require_provisional_approval(entity, period)
    Entity.objects.select_for_update().get(pk=entity.pk)  # one opener at a time per entity
    run = PayrollRun.objects.filter(entity=entity, period=period, status=RunStatus.OPEN).first()
    if run is None:
        last = PayrollRun.objects.filter(entity=entity, period=period).aggregate(n=Max("sequence"))
        run = PayrollRun.objects.create(
            entity=entity,
            period=period,
            sequence=(last["n"] or 0) + 1,
            chunk_size=chunk_size,
            started_by=person_acting(acting_user),
        )
        members = runs.members_to_pay(entity, period)
        RunChunk.objects.bulk_create(
            RunChunk(run=run, index=n, person_ids=members[start : start + chunk_size])
            for n, start in enumerate(range(0, len(members), chunk_size))
        )
        run.members_total = len(members)
        run.save(update_fields=["members_total"])
        audit.record(
            actor=acting_user,
            action="payroll.open_run",
            subject=run,
            entity_id=entity.pk,
            after={"period": period, "sequence": run.sequence, "members": len(members)},
        )
    else:
        audit.record(
            actor=acting_user, action="payroll.open_run.resumed", subject=run, entity_id=entity.pk
        )
    return run


@action("payroll.pay_chunk")
def pay_chunk(*, chunk: RunChunk, acting_user: Any = None) -> RunChunk:
    """Compute, store and post the payslips of one chunk, and mark it done, all or nothing.
    A member whose activity budget cannot pay the work budget is refused, with the reason."""
    chunk = RunChunk.objects.select_for_update().select_related("run__entity").get(pk=chunk.pk)
    run = chunk.run
    _check_officer(actor=acting_user, entity=run.entity)
    if run.status != RunStatus.OPEN:
        raise StateConflict(f"run {run} is closed")
    if chunk.done_at is None:
        ctx = runs.run_context(run)
        figures = runs.compute_figures(ctx, runs.read_chunk(ctx, run, chunk.person_ids))
        computed, refused = runs.within_budgets(ctx, figures)
        drafts = runs.write_chunk(ctx, run, computed)
        post_entries_bulk(
            drafts, acting_user=acting_user, idempotency_keys=runs.ledger_keys(run, computed)
        )
        chunk.refused, chunk.done_at = refused, clock.now()
        chunk.save(update_fields=["refused", "done_at"])
        PayrollRun.objects.filter(pk=run.pk).update(
            members_done=F("members_done") + len(computed),
            members_refused=F("members_refused") + len(refused),
        )
    audit.record(
        actor=acting_user,
        action="payroll.pay_chunk",
        subject=run,
        entity_id=run.entity_id,
        after={"chunk": chunk.index, "refused": len(chunk.refused)},
    )
    return chunk


@action("payroll.close_run")
def close_run(*, run: PayrollRun, acting_user: Any = None) -> PayrollRun:
    """Close a run whose chunks are all done; later contracts of the month go to a new run."""
    run = PayrollRun.objects.select_for_update().get(pk=run.pk)
    _check_officer(acting_user, run.entity)
    if run.status != RunStatus.OPEN:
        raise StateConflict(f"run {run} is already closed")
    if run.chunks.filter(done_at__isnull=True).exists():
        raise StateConflict(f"run {run} still has members to pay: resume it first")
    run.status, run.closed_at = RunStatus.CLOSED, clock.now()
    run.closed_by = person_acting(acting_user)
    run.save(update_fields=["status", "closed_at", "closed_by"])
    audit.record(
        actor=acting_user,
        action="payroll.close_run",
        subject=run,
        entity_id=run.entity_id,
        after=run_totals(run),
    )
    return run


def next_chunk(run: PayrollRun) -> RunChunk | None:
    return run.chunks.filter(done_at__isnull=True).order_by("index").first()


def run_payroll(
    *,
    entity: Entity,
    period: dt.date,
    acting_user: Any = None,
    chunk_size: int = DEFAULT_CHUNK,
    after_chunk: Callable[[RunChunk], None] | None = None,
) -> PayrollRun:
    """Open or resume the month's run and pay every chunk left; `after_chunk` is called after
    each committed chunk (progress bars, and tests that simulate a crash there)."""
    run = open_run(entity=entity, period=period, acting_user=acting_user, chunk_size=chunk_size)
    while (chunk := next_chunk(run)) is not None:
        done = pay_chunk(chunk=chunk, acting_user=acting_user)
        if after_chunk is not None:
            after_chunk(done)
    run.refresh_from_db()
    return run


# --- reporting ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunReport:
    run: PayrollRun
    totals: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        run = self.run
        return {
            "entity": run.entity.code,
            "period": f"{run.period:%Y-%m}",
            "run": run.sequence,
            "status": run.status,
            "currency": run.entity.currency,
            "members": run.members_total,
            "payslips": self.totals.pop("payslips"),
            "refused": run.members_refused,
            "chunks": run.chunks.count(),
            "chunks_done": run.chunks.filter(done_at__isnull=False).count(),
            "totals": self.totals,
        }


def run_totals(run: PayrollRun) -> dict[str, Any]:
    """Counts and money totals of a run's payslips, amounts as decimal strings."""
    names = ("work_budget", *FIGURES, "cooperative")
    sums = Payslip.objects.filter(run=run).aggregate(**{n: Sum(n) for n in names})
    totals: dict[str, Any] = {n: f"{(sums[n] or Decimal('0')):.2f}" for n in names}
    totals["payslips"] = Payslip.objects.filter(run=run).count()
    return totals


def run_report(run: PayrollRun) -> RunReport:
    return RunReport(run, run_totals(run))

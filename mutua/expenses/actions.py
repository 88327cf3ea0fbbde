"""Expense claim actions: the only way claims, lines and receipts are written.

Workflow: draft -> submitted -> approved | rejected (with a reason). A member writes and submits
their own claims for an activity they run; an adviser or administrator of the entity decides,
within their role's limit; nobody approves their own claim, except below the entity's
self-approval threshold where the entity allows it. Approval posts one balanced entry in the
expenses journal; the refund then becomes a payout item (see mutua.expenses.payouts).
Every refusal is a DomainError with a clear message, and leaves nothing written or stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from mutua.activities.models import Activity
from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput, NotFound, RuleViolation, StateConflict
from mutua.core.money import checked_cents
from mutua.entities.models import Entity
from mutua.expenses import posting, queries, receipts
from mutua.expenses import rules as calc
from mutua.expenses.models import Claim, ClaimLine, ClaimStatus, Receipt, RefundMode
from mutua.ledger.actions import post_entry
from mutua.ledger.models import Period
from mutua.ledger.queries import journal_for, posting_account
from mutua.members.models import Person
from mutua.members.queries import member_entities, person_of

AUDITED = ["status", "title", "refund_mode", "total", "vat_recoverable", "rejection_reason"]
MAX_LINES = 100


@dataclass(frozen=True)
class LineInput:
    date: dt.date
    category: str
    description: str
    amount: Decimal | None = None
    vat_rate: Decimal = Decimal("0")
    vat_recoverable: Decimal | None = None
    quantity: Decimal | None = None
    supplier: str = ""


def _today() -> dt.date:
    return clock.today()


# --- lines ----------------------------------------------------------------------------------------
def _priced_lines(entity: Entity, lines: Sequence[LineInput], today: dt.date) -> list[ClaimLine]:
    if not lines:
        raise InvalidInput("a claim needs at least one expense line", field="lines")
    if len(lines) > MAX_LINES:
        raise InvalidInput(f"a claim has at most {MAX_LINES} lines", field="lines")
    rules_on = queries.rules_lookup(entity)
    priced = [_priced_line(entity, line, today, rules_on(line.date)) for line in lines]
    _check_open_periods(entity, [line.date for line in priced])
    return priced


def _priced_line(
    entity: Entity, line: LineInput, today: dt.date, rules: calc.ExpenseRules
) -> ClaimLine:
    cat = calc.category(entity.country, line.category)
    calc.check_line_date(line.date, today, rules)
    if not line.description.strip():
        raise InvalidInput("say what the expense was for", field="description")
    amount = checked_cents(line.amount, field="amount") if line.amount is not None else None
    recoverable = line.vat_recoverable
    if recoverable is not None:
        recoverable = checked_cents(recoverable, field="vat_recoverable")
    figures = calc.line_figures(
        cat,
        quantity=line.quantity,
        amount=amount,
        vat_rate=line.vat_rate,
        vat_recoverable=recoverable,
        rules=rules,
    )
    return ClaimLine(
        date=line.date,
        category=cat.code,
        description=line.description.strip()[:200],
        supplier=line.supplier.strip()[:200],
        quantity=line.quantity if cat.has_quantity else None,
        rate=figures.rate,
        amount=figures.amount,
        vat_rate=figures.vat_rate,
        vat_recoverable=figures.vat_recoverable,
    )


def _check_open_periods(entity: Entity, dates: Sequence[dt.date]) -> None:
    """An expense dated in a closed ledger period cannot be claimed any more (one query)."""
    within = Q()
    for day in set(dates):
        within |= Q(start__lte=day, end__gte=day)
    closed = Period.objects.filter(within, entity=entity, closed_at__isnull=False).first()
    if closed is not None:
        raise RuleViolation(
            f"the books of {closed.start:%Y-%m} are closed: expenses of that month can no "
            "longer be claimed",
            field="date",
        )


def _set_totals(claim: Claim, lines: Sequence[ClaimLine]) -> None:
    claim.total = sum((line.amount for line in lines), start=Decimal("0"))
    claim.vat_recoverable = sum((line.vat_recoverable for line in lines), start=Decimal("0"))


# --- drafts ---------------------------------------------------------------------------------------
def _claimant(actor: Any, activity: Activity) -> Person:
    """The member claiming: a participant running the activity, active in its entity."""
    person = person_of(actor)
    runs = queries.claimable_activities(actor).filter(pk=activity.pk).exists()
    if person is None or not runs:
        raise NotFound("no such activity", field="activity")
    if not member_entities(actor).filter(pk=activity.entity_id).exists():
        raise AccessDenied("only an active member of the entity claims expenses")
    return person


def _own_draft(actor: Any, claim: Claim) -> Claim:
    claim = (
        Claim.objects.select_for_update()
        .select_related("entity", "activity", "person")
        .get(pk=claim.pk)
    )
    if claim.person.user_id != getattr(actor, "pk", None):
        raise NotFound("no such expense claim")
    if not claim.is_draft:
        raise StateConflict("only a draft claim can be changed")
    return claim


def _refund_mode(value: str) -> str:
    if value not in RefundMode.values:
        raise InvalidInput("choose how the refund is paid", field="refund_mode")
    return value


@action("expenses.create_claim")
def create_claim(
    *,
    actor: Any,
    activity: Activity,
    title: str,
    lines: Sequence[LineInput],
    refund_mode: str = RefundMode.PAYOUT,
) -> Claim:
    """Write a draft claim for an activity the member runs; lines are priced with the rules in
    force on their dates (mileage and daily allowances are computed, not typed)."""
    person = _claimant(actor, activity)
    if not title.strip():
        raise InvalidInput("give the claim a title", field="title")
    priced = _priced_lines(activity.entity, lines, _today())
    claim = Claim(
        entity=activity.entity,
        activity=activity,
        person=person,
        title=title.strip()[:200],
        refund_mode=_refund_mode(refund_mode),
        currency=activity.entity.currency,
        created_by=actor,
    )
    _set_totals(claim, priced)
    claim.save()
    for line in priced:
        line.claim = claim
    ClaimLine.objects.bulk_create(priced)
    audit.record(
        actor=actor,
        action="expenses.create_claim",
        subject=claim,
        entity_id=claim.entity_id,
        after=audit.snapshot(claim, AUDITED),
    )
    return claim


@action("expenses.update_claim")
def update_claim(
    *,
    actor: Any,
    claim: Claim,
    title: str,
    lines: Sequence[LineInput],
    refund_mode: str = RefundMode.PAYOUT,
) -> Claim:
    """Replace a draft's title, refund mode and lines (only its author, only while a draft)."""
    claim = _own_draft(actor, claim)
    before = audit.snapshot(claim, AUDITED)
    if not title.strip():
        raise InvalidInput("give the claim a title", field="title")
    priced = _priced_lines(claim.entity, lines, _today())
    claim.title, claim.refund_mode = title.strip()[:200], _refund_mode(refund_mode)
    _set_totals(claim, priced)
    claim.save(update_fields=["title", "refund_mode", "total", "vat_recoverable"])
    claim.lines.all().delete()
    for line in priced:
        line.claim = claim
    ClaimLine.objects.bulk_create(priced)
    audit.record(
        actor=actor,
        action="expenses.update_claim",
        subject=claim,
        entity_id=claim.entity_id,
        before=before,
        after=audit.snapshot(claim, AUDITED),
    )
    return claim


# --- receipts -------------------------------------------------------------------------------------
@action("expenses.add_receipt")
def add_receipt(
    *, actor: Any, claim: Claim, content: bytes, file_name: str, declared_type: str = ""
) -> Receipt:
    """Attach a receipt to a draft: a PDF, JPEG or PNG (found from its content), within the size
    limit, never claimed before (same SHA-256 in the entity). Stored outside the web root."""
    claim = _own_draft(actor, claim)
    checked = receipts.check_receipt(content, file_name, declared_type)
    if Receipt.objects.filter(entity=claim.entity, sha256=checked.sha256, live=True).exists():
        raise RuleViolation("this receipt was already claimed (the same file)", field="file")
    path = receipts.relative_path(claim.entity.code, checked)
    try:
        with transaction.atomic():  # a savepoint: a concurrent duplicate loses here
            receipt = Receipt.objects.create(
                entity=claim.entity,
                claim=claim,
                file_name=checked.file_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                path=path,
            )
    except IntegrityError as exc:
        raise RuleViolation(
            "this receipt was already claimed (the same file)", field="file"
        ) from exc
    receipts.store(path, checked.content)
    audit.record(
        actor=actor,
        action="expenses.add_receipt",
        subject=receipt,
        entity_id=claim.entity_id,
        after={"claim": claim.pk, "sha256": checked.sha256, "type": checked.content_type},
    )
    return receipt


@action("expenses.remove_receipt")
def remove_receipt(*, actor: Any, receipt: Receipt) -> None:
    """Take a receipt off a draft (its file goes too: nothing else refers to it)."""
    _own_draft(actor, receipt.claim)
    receipt = Receipt.objects.get(pk=receipt.pk)
    path = receipt.path
    audit.record(
        actor=actor,
        action="expenses.remove_receipt",
        subject=receipt,
        entity_id=receipt.entity_id,
        before={"claim": receipt.claim_id, "sha256": receipt.sha256},
    )
    receipt.delete()
    transaction.on_commit(lambda: receipts.remove(path))


# --- submit ---------------------------------------------------------------------------------------
def _check_budget(
    claim: Claim, activity: Activity, rules: calc.ExpenseRules, *, pending: bool
) -> None:
    """A claim never exceeds the activity's available budget (SMart Belgium's rule); where the
    entity says so, only money clients have already paid counts."""
    available = queries.available_for_claims(activity, collected_only=rules.refund_only_collected)
    if pending:
        available -= queries.pending_charges(activity, excluding=claim)
    if claim.total - claim.vat_recoverable > available:
        what = "paid by clients" if rules.refund_only_collected else "available"
        raise RuleViolation(
            f"the claim ({claim.total - claim.vat_recoverable} {claim.currency}) is above what "
            f"the activity has {what} ({max(available, Decimal('0'))} {claim.currency})",
            field="lines",
        )


def _check_claimable(claim: Claim, today: dt.date) -> list[ClaimLine]:
    """When the member submits: lines, dated in open periods, before the yearly deadline. The
    dates bind the member, not the adviser: a claim submitted in time may be decided after the
    deadline or after its month is closed (the entry is dated the day of the approval)."""
    lines = list(claim.lines.all())
    if not lines:
        raise InvalidInput("a claim needs at least one expense line", field="lines")
    rules_on = queries.rules_lookup(claim.entity)
    for line in lines:
        calc.check_line_date(line.date, today, rules_on(line.date))
    _check_open_periods(claim.entity, [line.date for line in lines])
    return lines


@action("expenses.submit_claim")
def submit_claim(*, actor: Any, claim: Claim) -> Claim:
    """Send a draft for approval: it has lines, a receipt where a line needs one, dates before
    the yearly deadline and in open periods, and fits the activity's budget."""
    claim = _own_draft(actor, claim)
    today = _today()
    lines = _check_claimable(claim, today)
    needs_receipt = any(
        calc.category(claim.entity.country, line.category).needs_receipt for line in lines
    )
    if needs_receipt and not claim.receipts.exists():
        raise InvalidInput("attach the receipts of the expenses paid", field="file")
    _check_budget(claim, claim.activity, queries.rules_for(claim.entity, today), pending=True)
    before = audit.snapshot(claim, AUDITED)
    claim.status, claim.submitted_at = ClaimStatus.SUBMITTED, clock.now()
    claim.save(update_fields=["status", "submitted_at"])
    audit.record(
        actor=actor,
        action="expenses.submit_claim",
        subject=claim,
        entity_id=claim.entity_id,
        before=before,
        after=audit.snapshot(claim, AUDITED),
    )
    return claim


# --- decide ---------------------------------------------------------------------------------------
def _submitted(claim: Claim) -> Claim:
    claim = (
        Claim.objects.select_for_update()
        .select_related("entity", "activity", "person")
        .get(pk=claim.pk)
    )
    if claim.status != ClaimStatus.SUBMITTED:
        raise StateConflict(f"{claim.reference} is {claim.get_status_display()}, not submitted")
    return claim


def _check_approver(actor: Any, claim: Claim, rules: calc.ExpenseRules) -> str:
    """Who may approve: an adviser or administrator of the entity within their role's limit;
    the claimant only below the self-approval threshold where the entity allows it."""
    if claim.person.user_id == getattr(actor, "pk", None):
        if calc.may_self_approve(claim.total, rules):
            return "self"
        raise AccessDenied("nobody approves their own expense claim")
    roles = queries.approval_roles(actor, claim.entity)
    if not roles:
        raise NotFound("no such expense claim")
    limit = calc.approval_limit(roles, rules.approval_limits)
    if limit is not None and claim.total > limit:
        raise RuleViolation(
            f"{claim.total} {claim.currency} is above your approval limit "
            f"({limit} {claim.currency}): an administrator approves it"
        )
    return "staff"


@action("expenses.approve_claim")
def approve_claim(*, actor: Any, claim: Claim) -> Claim:
    """Approve a submitted claim and post it: Dr expenses (activity), Dr VAT deductible,
    Cr members payable (member). The activity row is locked so two approvals cannot both
    spend the same budget."""
    claim = _submitted(claim)
    today = _today()
    rules = queries.rules_for(claim.entity, today)
    how = _check_approver(actor, claim, rules)
    activity = Activity.objects.select_for_update().get(pk=claim.activity_id)
    lines = list(claim.lines.all())
    _check_budget(claim, activity, rules, pending=False)
    entry = post_entry(
        _draft(claim, today, max(line.date for line in lines)),
        acting_user=actor,
        idempotency_key=f"expense-claim:{claim.pk}",
    )
    before = audit.snapshot(claim, AUDITED)
    claim.status, claim.entry_id = ClaimStatus.APPROVED, entry.pk
    claim.decided_at, claim.decided_by = clock.now(), actor
    claim.save(update_fields=["status", "entry_id", "decided_at", "decided_by"])
    audit.record(
        actor=actor,
        action="expenses.self_approve_claim" if how == "self" else "expenses.approve_claim",
        subject=claim,
        entity_id=claim.entity_id,
        before=before,
        after={**(audit.snapshot(claim, AUDITED) or {}), "entry": entry.reference},
    )
    return claim


def _draft(claim: Claim, on: dt.date, last_expense: dt.date) -> Any:
    entity = claim.entity
    accounts = posting.Accounts(
        expenses=posting_account(entity, "expenses").code,
        vat_deductible=posting_account(entity, "vat_deductible").code,
        members_payable=posting_account(entity, "members_payable").code,
    )
    figures = posting.ClaimFigures(
        entity_id=entity.pk,
        activity_id=claim.activity_id,
        person_id=claim.person_id,
        reference=claim.reference,
        title=claim.title,
        total=claim.total,
        vat_recoverable=claim.vat_recoverable,
    )
    journal = journal_for(entity, "expenses").code
    return posting.approval_draft(
        figures, accounts, journal=journal, on=on, piece_date=last_expense
    )


@action("expenses.reject_claim")
def reject_claim(*, actor: Any, claim: Claim, reason: str) -> Claim:
    """Refuse a submitted claim with a reason the member reads. Its receipts may then be
    claimed again in a corrected claim."""
    claim = _submitted(claim)
    if claim.person.user_id == getattr(actor, "pk", None):
        raise AccessDenied("nobody decides on their own expense claim")
    if not queries.approval_roles(actor, claim.entity):
        raise NotFound("no such expense claim")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("say why the claim is refused", field="reason")
    before = audit.snapshot(claim, AUDITED)
    claim.status, claim.rejection_reason = ClaimStatus.REJECTED, reason[:500]
    claim.decided_at, claim.decided_by = clock.now(), actor
    claim.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
    claim.receipts.update(live=False)
    audit.record(
        actor=actor,
        action="expenses.reject_claim",
        subject=claim,
        entity_id=claim.entity_id,
        before=before,
        after=audit.snapshot(claim, AUDITED),
    )
    return claim


# --- retention ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PurgeResult:
    entity: str
    retention_years: int
    receipts: int
    files_deleted: int
    dry_run: bool


@action("expenses.purge_receipts")
def purge_receipts(
    *, entity: Entity, today: dt.date | None = None, dry_run: bool = False, acting_user: Any = None
) -> PurgeResult:
    """Delete receipt files kept past the entity's retention period (Belgium: 7 years), counted
    from the end of the year the claim was decided. The rows stay, marked purged, so the
    claim's history still says a receipt existed. Safe to run again: purged rows are skipped."""
    today = today or _today()
    years = queries.rules_for(entity, today).retention_years
    due = list(queries.receipts_to_purge(entity, today, years).order_by("pk"))
    deleted = 0
    if not dry_run:
        Receipt.objects.filter(pk__in=[r.pk for r in due]).update(purged_at=clock.now())
        deleted = sum(receipts.remove(r.path) for r in due)
    audit.record(
        actor=acting_user,
        action="expenses.purge_receipts",
        entity_id=entity.pk,
        after={"receipts": len(due), "files_deleted": deleted, "dry_run": dry_run},
    )
    return PurgeResult(entity.code, years, len(due), deleted, dry_run)

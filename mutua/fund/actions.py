"""Guarantee fund actions: set the policy, advance pay, release exposure, write a debt off,
feed the fund (DESIGN.md §3: "if the client has not paid yet, the guarantee fund advances it;
if the client never pays, the fund absorbs the loss").

Every movement is a balanced entry with an idempotency key (`fund-advance:<run>:<person>:
<invoice>`, `fund-release:<line>:<invoice>`, `fund-write-off:<invoice>`, `fund-feed:<entity>:
<month>:<n>`) and a row with a unique key, so a job run twice moves nothing twice.

Feeding: `feed_fund` books the policy's share of each *completed* month's invoiced fees (fees of
invoices less those of credit notes, by issue date) once; fees booked later into a month already
fed give a top-up entry (sequence 2, 3...). It runs as a periodic job (`mutua fund feed`) rather
than at invoice posting, so invoicing stays unaware of the fund and a policy change applies to
whole months.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.countries.registry import country_part
from mutua.entities.models import Entity
from mutua.fund import queries, rules
from mutua.fund.models import AdvanceKind, FundAdvance, FundFeed, FundPolicy, WriteOff
from mutua.fund.posting import (
    FundAccounts,
    exposure_entry,
    feed_entry,
    write_off_entry,
)
from mutua.invoicing.dunning import dunning_ended
from mutua.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from mutua.invoicing.payments import amounts_received
from mutua.invoicing.queries import OPEN_STATUSES
from mutua.ledger.actions import post_entries_bulk, post_entry
from mutua.ledger.drafts import EntryDraft
from mutua.ledger.queries import journal_for, posting_account
from mutua.members.queries import has_role

ZERO = Decimal("0")


def _check(actor: Any, roles: tuple[str, ...], entity: Entity, what: str) -> None:
    """People act through a staff role; the CLI and jobs (actor None) are operators' tools."""
    if actor is not None and not has_role(actor, roles, entity):
        raise AccessDenied(what)


def fund_accounts(entity: Entity) -> FundAccounts:
    def code(event: str) -> str:
        return posting_account(entity, event).code

    return FundAccounts(
        exposure=code("fund_exposure"),
        commitments=code("fund_commitments"),
        fund=code("guarantee_fund"),
        allocation=code("fund_allocation"),
        receivable=code("receivable"),
        bad_debts=code("bad_debts"),
    )


def fund_journal(entity: Entity) -> str:
    return journal_for(entity, "miscellaneous").code


# --- policy -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PolicyTerms:
    pay_within_working_days: int = 7
    require_confirmed_order: bool = True
    require_eu_client: bool = True
    limit_per_client: Decimal | None = None
    limit_per_activity: Decimal | None = None
    fee_share: Decimal = ZERO
    order_advance_share: Decimal = ZERO

    def check(self) -> None:
        if not 0 <= self.pay_within_working_days <= 60:
            raise InvalidInput("pay within 0 to 60 working days", field="pay_within_working_days")
        for name in ("limit_per_client", "limit_per_activity"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise InvalidInput("a limit cannot be negative", field=name)
        for name in ("fee_share", "order_advance_share"):
            if not ZERO <= getattr(self, name) <= 1:
                raise InvalidInput("a share is between 0 and 1", field=name)


# What a new entity starts from until an administrator decides otherwise. A country may set its
# own (e.g. Belgium's seven working days) as FUND_POLICY in mutua/countries/<cc>/params.py.
GENERIC_TERMS = PolicyTerms(
    pay_within_working_days=7,
    limit_per_client=Decimal("20000.00"),
    limit_per_activity=Decimal("50000.00"),
    fee_share=Decimal("0.3000"),
    order_advance_share=Decimal("0.5000"),
)


def default_terms(country: str) -> PolicyTerms:
    from dataclasses import replace

    try:
        params = country_part(country, "params")
    except InvalidInput:  # not a supported country
        return GENERIC_TERMS
    return replace(GENERIC_TERMS, **getattr(params, "FUND_POLICY", {}))


@action("fund.set_policy")
def set_policy(
    *, entity: Entity, valid_from: dt.date, terms: PolicyTerms, acting_user: Any
) -> FundPolicy:
    """The entity's guarantee policy from `valid_from` (an administrator's decision)."""
    _check(acting_user, queries.POLICY_MAKERS, entity, "only an administrator sets the policy")
    terms.check()
    existing = FundPolicy.objects.filter(entity=entity, valid_from=valid_from).first()
    fields = list(PolicyTerms.__dataclass_fields__)
    before = audit.snapshot(existing, fields)
    policy, _ = FundPolicy.objects.update_or_create(
        entity=entity,
        valid_from=valid_from,
        defaults={
            **{name: getattr(terms, name) for name in fields},
            "created_by": person_acting(acting_user),
        },
    )
    audit.record(
        actor=acting_user,
        action="fund.set_policy",
        subject=policy,
        entity_id=entity.pk,
        before=before,
        after={"valid_from": valid_from, **(audit.snapshot(policy, fields) or {})},
    )
    return policy


# --- advances from payroll ----------------------------------------------------------------------
def advance_key(run_id: int, person_id: int, invoice_id: int) -> str:
    return f"fund-advance:{run_id}:{person_id}:{invoice_id}"


def book_payroll_advances(
    *,
    entity: Entity,
    run_id: int,
    on: dt.date,
    covers: dict[int, list[rules.Cover]],
    acting_user: Any,
) -> tuple[list[EntryDraft], list[str]]:
    """Store the fund's advances of a payroll chunk and return their memo drafts and keys, for
    the chunk to post with its payslips in the same transaction (payroll.actions.pay_chunk:
    the action that owns this write). A chunk paid again finds them by their unique key."""
    rows = [
        FundAdvance(
            entity=entity,
            activity_id=cover.activity_id,
            invoice_id=cover.invoice_id,
            client_id=cover.client_id,
            kind=AdvanceKind.PAYROLL,
            key=advance_key(run_id, person_id, cover.invoice_id),
            amount=cover.amount,
            granted_on=on,
        )
        for person_id, person_covers in covers.items()
        for cover in person_covers
    ]
    if not rows:
        return [], []
    FundAdvance.objects.bulk_create(rows)
    accounts, journal = fund_accounts(entity), fund_journal(entity)
    drafts = [
        exposure_entry(
            entity_id=entity.pk,
            journal=journal,
            accounts=accounts,
            date=on,
            activity_id=row.activity_id,
            client_id=row.client_id,
            amount=row.amount,
            label=f"Guarantee fund advance on invoice {row.invoice_id}",
            piece_ref=row.key,
        )
        for row in rows
    ]
    audit.record(
        actor=acting_user,
        action="fund.advance_pay",
        entity_id=entity.pk,
        after={
            "advances": len(rows),
            "amount": str(sum((r.amount for r in rows), start=ZERO)),
            "keys": [r.key for r in rows[:50]],
        },
    )
    return drafts, [row.key for row in rows]


# --- release when the client pays ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PaymentPart:
    """The part of a statement line allocated to one invoice."""

    line_id: int
    invoice_id: int
    amount: Decimal
    on: dt.date  # the booking date of the payment


def release_key(line_id: int, invoice_id: int) -> str:
    return f"fund-release:{line_id}:{invoice_id}"


@action("fund.release_exposure")
def release_exposure(*, entity: Entity, parts: Sequence[PaymentPart], acting_user: Any) -> Decimal:
    """Release the fund's open advances that client payments repaid, in the transaction that
    records the payments (after invoicing.record_payments). Returns the amount released. The
    release is dated by the payment, or by the last advance if that is later (a statement
    imported late), so the exposure is never negative on any day."""
    ids = {part.invoice_id for part in parts}
    advances = list(
        queries.open_advances(entity)
        .filter(invoice_id__in=ids)
        .select_for_update()
        .order_by("invoice_id", "granted_on", "id")
    )
    by_invoice: dict[int, list[FundAdvance]] = defaultdict(list)
    for advance in advances:
        by_invoice[advance.invoice_id].append(advance)
    invoices = Invoice.objects.in_bulk(list(by_invoice))
    last_part = {part.invoice_id: n for n, part in enumerate(parts)}
    drafts, keys, total = [], [], ZERO
    accounts, journal = fund_accounts(entity), fund_journal(entity)
    for n, part in enumerate(parts):
        invoice = invoices.get(part.invoice_id)
        if invoice is None:
            continue
        share = rules.activity_share(
            invoice.total_net, invoice.fee_amount, invoice.total_gross, part.amount
        )
        fully = invoice.status == InvoiceStatus.PAID and last_part[invoice.pk] == n
        held = sum((a.open_amount for a in by_invoice[invoice.pk]), start=ZERO)
        amount = rules.release_on_payment(held, share, fully_paid=fully)
        if amount <= 0:
            continue
        _spread(by_invoice[invoice.pk], amount, "released")
        latest = max(a.granted_on for a in by_invoice[invoice.pk])
        drafts.append(
            exposure_entry(
                entity_id=entity.pk,
                journal=journal,
                accounts=accounts,
                date=max(part.on, latest),
                activity_id=invoice.activity_id,
                client_id=invoice.client_id,
                amount=amount,
                label=f"Guarantee fund released: {invoice.number} paid",
                piece_ref=invoice.number or "",
                release=True,
            )
        )
        keys.append(release_key(part.line_id, invoice.pk))
        total += amount
    FundAdvance.objects.bulk_update(advances, ["released"])
    post_entries_bulk(drafts, acting_user=acting_user, idempotency_keys=keys)
    audit.record(
        actor=acting_user,
        action="fund.release_exposure",
        entity_id=entity.pk,
        after={"invoices": len(drafts), "released": str(total)},
    )
    return total


def _spread(advances: list[FundAdvance], amount: Decimal, column: str) -> None:
    """Close `amount` of the advances, oldest first."""
    rest = amount
    for advance in advances:
        part = min(advance.open_amount, rest)
        setattr(advance, column, getattr(advance, column) + part)
        rest -= part
        if rest <= 0:
            return


def invoices_with_open_advances(invoice_ids: Sequence[int]) -> set[int]:
    """Which of these invoices the fund has open advances on (one query)."""
    from django.db.models import F

    rows = FundAdvance.objects.filter(
        invoice_id__in=list(invoice_ids), amount__gt=F("released") + F("written_off")
    ).values_list("invoice_id", flat=True)
    return set(rows)


# --- write-off ----------------------------------------------------------------------------------
def write_off_key(invoice_id: int) -> str:
    return f"fund-write-off:{invoice_id}"


@action("fund.write_off")
def write_off_debt(
    *, invoice: Invoice, reason: str, acting_user: Any, on: dt.date | None = None
) -> WriteOff:
    """Give up a debt after the dunning ended in failure (its last stage sent): the fund
    absorbs what it covers, the activity bears the part of its share the fund did not advance.
    Once per invoice: a second write-off is refused."""
    invoice = Invoice.objects.select_for_update().select_related("entity").get(pk=invoice.pk)
    entity = invoice.entity
    _check(acting_user, queries.FUND_STAFF, entity, "only an accountant writes debts off")
    if not reason.strip():
        raise InvalidInput("say why the debt is given up", field="reason")
    if WriteOff.objects.filter(invoice=invoice).exists():
        raise StateConflict(f"{invoice.number} is already written off")
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in OPEN_STATUSES:
        raise StateConflict(f"{invoice.number} is not an unpaid invoice")
    if not dunning_ended(invoice):
        raise StateConflict(f"the dunning of {invoice.number} has not ended: send the reminders")
    due = invoice.total_gross - amounts_received([invoice.pk]).get(invoice.pk, ZERO)
    advances = list(
        queries.open_advances(entity).filter(invoice=invoice).select_for_update().order_by("id")
    )
    held = sum((a.open_amount for a in advances), start=ZERO)
    share = rules.activity_share(invoice.total_net, invoice.fee_amount, invoice.total_gross, due)
    covered, uncovered = rules.write_off_split(due, share, held)
    on = on or clock.today()
    entry = post_entry(
        write_off_entry(
            entity_id=entity.pk,
            journal=fund_journal(entity),
            accounts=fund_accounts(entity),
            date=on,
            activity_id=invoice.activity_id,
            client_id=invoice.client_id,
            covered=covered,
            uncovered=uncovered,
            released=held,
            label=f"Debt written off: {invoice.number}",
            piece_ref=invoice.number or "",
        ),
        acting_user=acting_user,
        idempotency_key=write_off_key(invoice.pk),
    )
    _spread(advances, held, "written_off")
    FundAdvance.objects.bulk_update(advances, ["written_off"])
    write_off = WriteOff.objects.create(
        entity=entity,
        invoice=invoice,
        amount=due,
        covered=covered,
        uncovered=uncovered,
        reason=reason.strip()[:300],
        written_on=on,
        entry_id=entry.pk,
        created_by=person_acting(acting_user),
    )
    audit.record(
        actor=acting_user,
        action="fund.write_off",
        subject=write_off,
        entity_id=entity.pk,
        after={
            "invoice": invoice.number,
            "amount": str(due),
            "covered": str(covered),
            "uncovered": str(uncovered),
            "reason": write_off.reason,
        },
    )
    return write_off


# --- feeding the fund ---------------------------------------------------------------------------
def last_complete_month(today: dt.date) -> dt.date:
    """The first day of the last month that has ended."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def fees_by_month(entity: Entity, through: dt.date) -> dict[dt.date, Decimal]:
    """Fees invoiced per month (invoices less credit notes), by issue date, one query."""
    rows = (
        Invoice.objects.filter(entity=entity, issue_date__lte=_month_end(through))
        .exclude(status=InvoiceStatus.DRAFT)
        .annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(
            invoiced=Sum("fee_amount", filter=Q(kind=InvoiceKind.INVOICE)),
            credited=Sum("fee_amount", filter=Q(kind=InvoiceKind.CREDIT_NOTE)),
        )
    )
    fees = {}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        # Quantized: SQLite's SUM is binary floating point.
        fees[month] = ((row["invoiced"] or ZERO) - (row["credited"] or ZERO)).quantize(rules.CENT)
    return fees


@action("fund.feed")
def feed_fund(
    *, entity: Entity, through: dt.date | None = None, acting_user: Any = None
) -> list[FundFeed]:
    """Book the fund's share of the fees of every completed month up to `through`, once (a
    top-up when fees were added to a month already fed). Safe to run as often as wanted."""
    _check(acting_user, queries.FUND_STAFF, entity, "only an accountant feeds the fund")
    Entity.objects.select_for_update().get(pk=entity.pk)  # one feeder at a time per entity
    last = last_complete_month(clock.today())
    through = min((through or last).replace(day=1), last)
    fed = {
        row["month"]: (row["amount"], row["n"])
        for row in FundFeed.objects.filter(entity=entity)
        .values("month")
        .annotate(amount=Sum("amount"), n=Count("id"))
    }
    accounts, journal = fund_accounts(entity), fund_journal(entity)
    created = []
    for month, fees in sorted(fees_by_month(entity, through).items()):
        policy = queries.policy_for(entity, _month_end(month))
        already, count = fed.get(month, (ZERO, 0))
        amount = rules.fund_share(fees, policy.fee_share) - already
        if amount <= 0:
            continue
        sequence = count + 1
        entry = post_entry(
            feed_entry(
                entity_id=entity.pk,
                journal=journal,
                accounts=accounts,
                date=_month_end(month),
                amount=amount,
                label=f"Guarantee fund: share of the fees of {month:%Y-%m}",
            ),
            acting_user=acting_user,
            idempotency_key=f"fund-feed:{entity.pk}:{month:%Y-%m}:{sequence}",
        )
        created.append(
            FundFeed.objects.create(
                entity=entity,
                month=month,
                sequence=sequence,
                fees=fees,
                amount=amount,
                entry_id=entry.pk,
            )
        )
    audit.record(
        actor=acting_user,
        action="fund.feed",
        entity_id=entity.pk,
        after={
            "through": through,
            "months": [f"{f.month:%Y-%m}" for f in created],
            "amount": str(sum((f.amount for f in created), start=ZERO)),
        },
    )
    return created

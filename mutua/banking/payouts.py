"""Payouts: what the entity owes by credit transfer, exported to the bank in pain.001 batches.

A payout item is created once per source (its key `<source>:<id>`, e.g. `payslip:42`, under a
unique constraint) and joins exactly one batch, ever: the export takes, under a row lock, the
items of the entity not yet in a batch, and assigns them only where they still have none. The
batch, its items' assignment and the XML document are written in one transaction: a crash
anywhere leaves no batch and no item assigned, and the document is stored with the batch so a
file lost after the commit can be written again. A batch is confirmed when the statement shows
one debit of its total whose communication carries its message id.

Payslips (net pay) are collected here; the other apps that owe money (expense refunds,
copyright fees, suppliers, share repayments) register a collector for their `PayoutSource` from
their AppConfig.ready. A collector returns unsaved Payout items for what is due and has none yet;
an item without a person (a supplier) carries its creditor_name and creditor_iban itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from mutua.banking import pain001
from mutua.banking.models import (
    BatchStatus,
    LineStatus,
    Payout,
    PayoutBatch,
    PayoutSource,
    StatementLine,
)
from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.identifiers import validate_bic, validate_iban
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.ledger.actions import post_entry
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.queries import posting_account
from mutua.members.queries import has_role
from mutua.payroll.models import Payslip

PAYOUT_STAFF = (Role.ACCOUNTANT, Role.ADMINISTRATOR)
ZERO = Decimal("0")
SEPA_CURRENCY = "EUR"
# A member's new bank account is paid only once staff checked the change, or 7 days after it
# (the member was mailed at once: time to say it was not them).
IBAN_HOLD = dt.timedelta(days=7)
HOLD_RELEASE_STAFF = (Role.ACCOUNTANT, Role.PAYROLL_OFFICER, Role.ADMINISTRATOR)
HELD = "held"


def _check_staff(actor: Any, entity: Entity) -> None:
    """Staff pay through a role; the CLI (actor None) is an operator's tool."""
    if actor is not None and not has_role(actor, PAYOUT_STAFF, entity):
        raise AccessDenied("only an accountant of the entity pays its payouts")


def payout_key(source: str, source_id: int) -> str:
    return f"{source}:{source_id}"


def message_id_for(batch: PayoutBatch) -> str:
    return f"MUTUA-{batch.entity.code}-PAY{batch.pk:07d}"


# --- items --------------------------------------------------------------------------------------
def _collect_payslips(entity: Entity) -> list[Payout]:
    """Net pay of the payslips with no payout yet, less the order-form advances it takes back
    (a payslip whose whole net went to advances has recoveries and no payout)."""
    from mutua.fund.advances import recover_from_payslips

    known = Payout.objects.filter(entity=entity, source=PayoutSource.PAYSLIP).values("source_id")
    slips = list(
        Payslip.objects.filter(entity=entity, net__gt=0)
        .exclude(pk__in=known)
        .select_related("person")
        .order_by("period", "pk")
    )
    taken = recover_from_payslips(entity, slips)
    return [
        Payout(
            entity=entity,
            key=payout_key(PayoutSource.PAYSLIP, slip.pk),
            source=PayoutSource.PAYSLIP,
            source_id=slip.pk,
            person=slip.person,
            amount=slip.net - taken.get(slip.pk, ZERO),
            currency=slip.currency,
            remittance=f"Net pay {slip.period:%Y-%m} {slip.reference}",
            due_date=slip.period,
        )
        for slip in slips
        if slip.net > taken.get(slip.pk, ZERO)
    ]


Collector = Callable[[Entity], list[Payout]]
_COLLECTORS: dict[str, Collector] = {PayoutSource.PAYSLIP: _collect_payslips}


def register_collector(source: str, collect: Collector) -> None:
    """Add the collector of a payout source (called from an app's AppConfig.ready)."""
    if source not in PayoutSource.values:
        raise ValueError(f"unknown payout source {source!r}")
    _COLLECTORS[source] = collect


@action("bank.collect_payouts")
def collect_payouts(*, entity: Entity, acting_user: Any = None) -> int:
    """Create the payout items of what is due and has none yet; return how many were new."""
    _check_staff(acting_user, entity)
    new = [item for collect in _COLLECTORS.values() for item in collect(entity)]
    # A concurrent collector may have created some meanwhile: the unique keys keep one.
    before = Payout.objects.filter(entity=entity).count()
    Payout.objects.bulk_create(new, ignore_conflicts=True)
    created = Payout.objects.filter(entity=entity).count() - before
    audit.record(
        actor=acting_user,
        action="bank.collect_payouts",
        entity_id=entity.pk,
        after={"created": created},
    )
    return created


# --- export -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Skipped:
    key: str
    name: str
    reason: str
    status: str = "skipped"  # or HELD: waits for a staff check of a new bank account

    def __str__(self) -> str:
        return f"{self.key} ({self.name}): {self.reason}"


def iban_hold(person: Any, now: dt.datetime) -> str | None:
    """Why payouts to this person wait, or None: their IBAN changed less than 7 days ago and
    no staff member has checked the change since."""
    changed = getattr(person, "iban_changed_at", None)
    if changed is None or now - changed >= IBAN_HOLD:
        return None
    checked = person.iban_checked_at
    if checked is not None and checked >= changed:
        return None
    return (
        f"held: the bank account changed on {changed:%Y-%m-%d %H:%M} UTC; paid once staff "
        f"checked the change, or from {changed + IBAN_HOLD:%Y-%m-%d %H:%M} UTC"
    )


@dataclass
class ExportResult:
    batch: PayoutBatch | None
    document: bytes = b""
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def nothing_due(self) -> bool:
        return self.batch is None


def _creditor(item: Payout) -> tuple[str, str]:
    """The creditor's name and compact IBAN, or InvalidInput saying why it cannot be paid."""
    person = item.person
    if person is None:
        if item.creditor_name and item.creditor_iban:  # a supplier, named by its collector
            return item.creditor_name[:70], validate_iban(item.creditor_iban)
        raise InvalidInput("no creditor")
    name = f"{person.first_name} {person.last_name}".strip()
    if not person.iban:
        raise InvalidInput("the member has no IBAN")
    return name, validate_iban(person.iban)


@action("bank.export_payouts")
def export_payouts(
    *,
    entity: Entity,
    acting_user: Any = None,
    execution_date: dt.date | None = None,
) -> ExportResult:
    """Batch everything due and not yet in a batch into one pain.001 credit transfer."""
    _check_staff(acting_user, entity)
    entity = Entity.objects.select_for_update().get(pk=entity.pk)  # one export at a time
    if entity.currency != SEPA_CURRENCY:
        raise InvalidInput(f"SEPA credit transfers are in euro, not {entity.currency}")
    debtor_iban = validate_iban(entity.iban, field="entity.iban")
    debtor_bic = validate_bic(entity.bic, field="entity.bic") if entity.bic else ""
    collect_payouts(entity=entity, acting_user=acting_user)

    due = list(
        Payout.objects.select_for_update()
        .filter(entity=entity, batch__isnull=True)
        .order_by("due_date", "key")
    )
    persons = {p.pk: p for p in _persons(item.person_id for item in due)}
    ready: list[tuple[Payout, str, str]] = []
    skipped: list[Skipped] = []
    now = clock.now()
    for item in due:
        item.person = persons.get(item.person_id) if item.person_id else None
        name = str(item.person) if item.person else item.key
        try:
            if item.currency != SEPA_CURRENCY:
                raise InvalidInput(f"the amount is in {item.currency}, not in euro")
            creditor, iban = _creditor(item)
        except InvalidInput as exc:
            skipped.append(Skipped(item.key, name, exc.message))
            continue
        held = iban_hold(item.person, now) if item.person is not None else None
        if held is not None:
            skipped.append(Skipped(item.key, name, held, status=HELD))
            continue
        ready.append((item, creditor, iban))

    if not ready:
        audit.record(
            actor=acting_user,
            action="bank.export_payouts",
            entity_id=entity.pk,
            after={"exported": 0, "skipped": [str(s) for s in skipped]},
        )
        return ExportResult(batch=None, skipped=skipped)

    on = execution_date or clock.today()
    total = sum((item.amount for item, _, _ in ready), start=Decimal("0"))
    batch = PayoutBatch.objects.create(
        entity=entity,
        message_id=f"pending-{clock.now():%Y%m%d%H%M%S%f}",
        debtor_iban=debtor_iban,
        debtor_bic=debtor_bic,
        currency=SEPA_CURRENCY,
        total=total,
        item_count=len(ready),
        execution_date=on,
        created_by=person_acting(acting_user),
    )
    batch.message_id = message_id_for(batch)
    ids = [item.pk for item, _, _ in ready]
    assigned = Payout.objects.filter(pk__in=ids, batch__isnull=True).update(batch=batch)
    if assigned != len(ids):
        raise StateConflict("some payouts were batched meanwhile: export again")
    for item, creditor, iban in ready:
        item.batch, item.creditor_name, item.creditor_iban = batch, creditor[:70], iban
    Payout.objects.bulk_update([i for i, _, _ in ready], ["creditor_name", "creditor_iban"])

    document = build_document(entity, batch, [item for item, _, _ in ready])
    batch.document = document.decode("utf-8")
    batch.save(update_fields=["message_id", "document"])
    audit.record(
        actor=acting_user,
        action="bank.export_payouts",
        subject=batch,
        entity_id=entity.pk,
        after={
            "message_id": batch.message_id,
            "items": len(ready),
            "total": batch.total,
            "skipped": [str(s) for s in skipped],
        },
    )
    return ExportResult(batch=batch, document=document, skipped=skipped)


def _persons(ids: Iterable[int | None]) -> list[Any]:
    from mutua.members.models import Person

    return list(Person.objects.filter(pk__in={i for i in ids if i is not None}))


# --- held payouts: a new bank account waits for a staff check ----------------------------------
@dataclass(frozen=True)
class HeldPayee:
    person: Any
    reason: str
    waiting: list[Payout]  # payout items already collected and not yet in a batch


def held_payees(entity: Entity, *, now: dt.datetime | None = None) -> list[HeldPayee]:
    """The entity's members and payees whose new bank account is not paid yet, and why."""
    from mutua.members.models import Person

    now = now or clock.now()
    candidates = (
        Person.objects.filter(iban_changed_at__gt=now - IBAN_HOLD)
        .filter(Q(memberships__entity=entity) | Q(payouts__entity=entity))
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    held = []
    for person in candidates:
        reason = iban_hold(person, now)
        if reason is not None:
            waiting = Payout.objects.filter(entity=entity, person=person, batch__isnull=True)
            held.append(HeldPayee(person, reason, list(waiting.order_by("due_date", "key"))))
    return held


def hold_release_entities(user: Any) -> Any:
    """Entities where the user may release held payouts."""
    from mutua.members.queries import staff_entities

    return staff_entities(user, HOLD_RELEASE_STAFF)


@action("bank.release_payout_hold")
def release_payout_hold(*, acting_user: Any, entity: Entity, person: Any) -> Any:
    """A staff member checked a member's new bank account: their payouts leave with the next
    export. Only an accountant, payroll officer or administrator of the entity, with TOTP set
    up, and never for their own account."""
    from mutua.members.models import Person
    from mutua.members.second_factor import has_totp

    if not has_role(acting_user, HOLD_RELEASE_STAFF, entity):
        raise AccessDenied(
            "only an accountant, payroll officer or administrator of the entity releases payouts"
        )
    if not has_totp(acting_user):
        raise AccessDenied("set up two-factor authentication (TOTP) before releasing payouts")
    if person.user_id is not None and person.user_id == acting_user.pk:
        raise AccessDenied("another staff member checks a change of your own bank account")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not any(h.person.pk == person.pk for h in held_payees(entity)):
        raise StateConflict("no payout to this person is held")
    # The check belongs to the change it checked: a later change holds the payouts again.
    now = clock.now()
    Person.objects.filter(pk=person.pk).update(iban_checked_at=now, iban_checked_by=acting_user)
    audit.record(
        actor=acting_user,
        action="bank.release_payout_hold",
        subject=person,
        entity_id=entity.pk,
        after={"iban_changed_at": person.iban_changed_at, "checked_at": now},
    )
    person.iban_checked_at, person.iban_checked_by = now, acting_user
    return person


def build_document(entity: Entity, batch: PayoutBatch, items: list[Payout]) -> bytes:
    """The batch's pain.001 (validated against its XSD by sepaxml)."""
    try:
        return pain001.credit_transfer(
            debtor=pain001.Debtor(
                name=entity.legal_name or entity.name,
                iban=batch.debtor_iban,
                bic=batch.debtor_bic,
                currency=batch.currency,
            ),
            transfers=[
                pain001.Transfer(
                    end_to_end_id=item.key,
                    creditor_name=item.creditor_name,
                    creditor_iban=item.creditor_iban,
                    amount=item.amount,
                    remittance=item.remittance,
                )
                for item in items
            ],
            message_id=batch.message_id,
            execution_date=batch.execution_date,
        )
    except pain001.Pain001Error as exc:
        raise InvalidInput(str(exc)) from exc


# --- confirmation -------------------------------------------------------------------------------
# The account each source's debt sits on until it is paid (an event of the entity's posting map).
PAYABLES: dict[str, str] = {
    PayoutSource.PAYSLIP: "net_pay_payable",
    PayoutSource.EXPENSE: "members_payable",
    PayoutSource.COPYRIGHT: "copyright_payable",
    PayoutSource.SUPPLIER: "suppliers",
    PayoutSource.SHARES: "shares_payable",
    # An advance is net pay paid early: the member's net pay account shows it as prepaid until
    # a payslip's net pay takes it back (mutua.fund.advances).
    PayoutSource.ADVANCE: "net_pay_payable",
}


def _mentions(line: StatementLine, message_id: str) -> bool:
    text = " ".join((line.free_text, line.structured_reference, line.bank_reference)).upper()
    return message_id.upper() in text


def batch_entry_key(batch: PayoutBatch) -> str:
    return f"payout-batch:{batch.pk}"


@action("bank.confirm_payout_batches")
def confirm_batches_from_statement(
    *, lines: Iterable[StatementLine], acting_user: Any = None
) -> list[PayoutBatch]:
    """Mark paid each exported batch whose debit is among `lines`: a line of the batch's
    entity and debtor account, of minus the batch total, that mentions its message id. The
    debit was booked to suspense at import; confirming moves it onto the debts the batch paid
    (net pay, expense refunds, copyright, suppliers, shares), so each payable falls to zero."""
    confirmed: list[PayoutBatch] = []
    for line in lines:
        if line.amount >= 0 or PayoutBatch.objects.filter(statement_line=line).exists():
            continue
        candidates = PayoutBatch.objects.select_for_update().filter(
            Q(entity_id=line.account.entity_id)
            & Q(debtor_iban=line.account.iban, currency=line.currency)
            & Q(status=BatchStatus.EXPORTED, total=-line.amount)
        )
        for batch in candidates.order_by("pk"):
            if _mentions(line, batch.message_id):
                _confirm(batch, line, acting_user)
                confirmed.append(batch)
                break
    if not confirmed:
        audit.record(
            actor=acting_user, action="bank.confirm_payout_batches", after={"confirmed": 0}
        )
    return confirmed


def _confirm(batch: PayoutBatch, line: StatementLine, acting_user: Any) -> None:
    batch.status, batch.statement_line = BatchStatus.PAID, line
    batch.paid_on = line.booking_date
    batch.save(update_fields=["status", "statement_line", "paid_on"])
    entry = post_entry(
        clearing_entry(batch, line), acting_user=acting_user, idempotency_key=batch_entry_key(batch)
    )
    StatementLine.objects.filter(pk=line.pk).update(
        status=LineStatus.MATCHED,
        note=f"Payout batch {batch.message_id}"[:300],
        matched_entry_id=entry.pk,
        matched_at=clock.now(),
    )
    audit.record(
        actor=acting_user,
        action="bank.confirm_payout_batch",
        subject=batch,
        entity_id=batch.entity_id,
        after={"line": line.pk, "paid_on": line.booking_date, "entry": entry.reference},
    )


def clearing_entry(batch: PayoutBatch, line: StatementLine) -> EntryDraft:
    """Dr each paid debt (per source and creditor) / Cr suspense, where the debit waits."""
    entity = batch.entity
    totals: dict[tuple[str, int | None], Decimal] = defaultdict(Decimal)
    for source, person_id, amount in batch.items.values_list("source", "person_id", "amount"):
        totals[(source, person_id)] += amount
    lines = [
        LineDraft(
            posting_account(entity, PAYABLES[source]).code,
            debit=amount,
            member_id=person_id if source != PayoutSource.SUPPLIER else None,
            label=f"Paid by {batch.message_id}",
        )
        for (source, person_id), amount in sorted(totals.items(), key=str)
    ]
    lines.append(
        LineDraft(
            posting_account(entity, "suspense").code,
            credit=batch.total,
            label=f"Payout batch {batch.message_id}",
        )
    )
    return EntryDraft(
        entity_id=entity.pk,
        journal=line.account.journal.code,
        date=line.booking_date,
        label=f"Payout batch {batch.message_id} debited"[:200],
        lines=tuple(lines),
        piece_ref=batch.message_id[:60],
    )


def unconfirmed_debits(entity: Entity) -> list[StatementLine]:
    """Debit lines of the entity's accounts that confirm no batch yet."""
    return list(
        StatementLine.objects.filter(
            account__entity=entity, amount__lt=0, payout_batch__isnull=True
        ).select_related("account", "account__journal")
    )

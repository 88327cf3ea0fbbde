"""Payments received on invoices: what moves an invoice to partly paid and paid.

The bank import (mutua.banking) finds which invoice a payment is for and keeps the allocation;
this action owns the invoice's side of the rule: only an open invoice (issued, sent, partly
paid) receives money, never beyond what it still owes (a surplus belongs on the client's
account, not on the invoice), and its status follows what it received: partly paid below its
total, paid at its total. Dunning stops by itself for paid invoices (it only reads open ones).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, Sum
from django.db.models.expressions import RawSQL

from mutua.core import audit
from mutua.core.audit import action
from mutua.core.errors import InvalidAmount, RuleViolation, StateConflict
from mutua.invoicing.models import Invoice, InvoiceKind, InvoiceStatus

ZERO = Decimal("0")
OPEN = (InvoiceStatus.ISSUED, InvoiceStatus.SENT, InvoiceStatus.PARTLY_PAID)
CHUNK = 5_000  # ids per IN list
AUDITED_DETAILS = 200  # invoices listed one by one in the audit event of a big import


@dataclass(frozen=True, slots=True)
class PaymentReceived:
    invoice_id: int
    amount: Decimal


def amounts_received(invoice_ids: Iterable[int]) -> dict[int, Decimal]:
    """What each invoice received so far (sum of the bank allocations), in few queries."""
    from mutua.banking.models import Allocation

    ids = list(dict.fromkeys(invoice_ids))
    received: dict[int, Decimal] = {}
    for start in range(0, len(ids), CHUNK):
        rows = (
            Allocation.objects.filter(_among("invoice_id", ids[start : start + CHUNK]))
            .values("invoice_id")
            .annotate(total=Sum("amount"))
            .values_list("invoice_id", "total")
        )
        received.update(rows)
    return received


def amount_received(invoice: Invoice) -> Decimal:
    """Uses an annotated `received` when the caller loaded one (lists), else one query."""
    if hasattr(invoice, "received"):  # annotated by with_received (None: nothing received)
        return Decimal(invoice.received or 0).quantize(Decimal("0.01"))
    return amounts_received([invoice.pk]).get(invoice.pk, ZERO)


@action("invoice.record_payments")
def record_payments(*, payments: Sequence[PaymentReceived], acting_user: Any) -> dict[int, str]:
    """Record money received on invoices and move each to partly paid or paid; returns the new
    status per invoice. Call it before writing the allocations of these payments, in the same
    transaction (the invoices are locked until it commits, so two imports cannot both take
    what is still due)."""
    wanted: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for payment in payments:
        if payment.amount <= 0:
            raise InvalidAmount(f"a payment must be positive, got {payment.amount}")
        wanted[payment.invoice_id] += payment.amount
    invoices = _locked(list(wanted))
    received = amounts_received(wanted)
    statuses = {
        pk: _status_after(invoices[pk], received.get(pk, ZERO), wanted[pk]) for pk in wanted
    }
    for status in (InvoiceStatus.PAID, InvoiceStatus.PARTLY_PAID):
        ids = [pk for pk, new in statuses.items() if new == status and invoices[pk].status != new]
        for start in range(0, len(ids), CHUNK):
            Invoice.objects.filter(_among("pk", ids[start : start + CHUNK])).update(status=status)
    _audit(acting_user, invoices, wanted, statuses)
    return statuses


def record_payment(*, invoice: Invoice, amount: Decimal, acting_user: Any) -> str:
    """One payment on one invoice; see record_payments."""
    return record_payments(payments=[PaymentReceived(invoice.pk, amount)], acting_user=acting_user)[
        invoice.pk
    ]


@dataclass(frozen=True, slots=True)
class _Owed:
    pk: int
    entity_id: int
    kind: str
    status: str
    number: str | None
    total_gross: Decimal

    def get_status_display(self) -> str:
        return str(InvoiceStatus(self.status).label)


def _locked(ids: list[int]) -> dict[int, _Owed]:
    """The invoices, locked until the transaction ends (plain rows, and one array parameter
    on PostgreSQL: an import locks thousands)."""
    found: dict[int, _Owed] = {}
    for start in range(0, len(ids), CHUNK):
        rows = (
            Invoice.objects.select_for_update()
            .filter(_among("pk", ids[start : start + CHUNK]))
            .order_by("pk")
            .values_list("id", "entity_id", "kind", "status", "number", "total_gross")
        )
        found.update((row[0], _Owed(*row)) for row in rows)
    missing = set(ids) - set(found)
    if missing:
        raise StateConflict(f"no such invoice: {sorted(missing)[0]}")
    return found


def _among(field: str, ids: list[int]) -> Q:
    """`field` among ids: one array parameter on PostgreSQL instead of thousands."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [ids])})
    return Q(**{f"{field}__in": ids})


def _status_after(invoice: _Owed, received: Decimal, amount: Decimal) -> str:
    if invoice.kind != InvoiceKind.INVOICE or invoice.status not in OPEN:
        raise StateConflict(
            f"{invoice.number or 'draft'} is {invoice.get_status_display().lower()}: "
            "it cannot receive a payment"
        )
    total = received + amount
    if total > invoice.total_gross:
        raise RuleViolation(
            f"{invoice.number} would receive {total} for a total of {invoice.total_gross}: "
            "a surplus belongs on the client's account"
        )
    return InvoiceStatus.PAID if total == invoice.total_gross else InvoiceStatus.PARTLY_PAID


def _audit(
    acting_user: Any,
    invoices: dict[int, _Owed],
    wanted: dict[int, Decimal],
    statuses: dict[int, str],
) -> None:
    entities = {invoice.entity_id for invoice in invoices.values()}
    details = [
        {"invoice": invoices[pk].number, "amount": str(amount), "status": statuses[pk]}
        for pk, amount in list(wanted.items())[:AUDITED_DETAILS]
    ]
    only = Invoice(pk=next(iter(invoices))) if len(invoices) == 1 else None
    audit.record(
        actor=acting_user,
        action="invoice.record_payments",
        subject=only,
        entity_id=entities.pop() if len(entities) == 1 else None,
        after={
            "invoices": len(wanted),
            "amount": str(sum(wanted.values(), start=ZERO)),
            "paid": sum(1 for s in statuses.values() if s == InvoiceStatus.PAID),
            "details": details,
        },
    )

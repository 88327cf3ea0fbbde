"""Reads for bank statements and reconciliation, and the access functions that guard them.

Accountants and administrators of an entity import its statements and work its queue; nobody
else sees bank lines (they name clients and amounts of every member's activity).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from mutua.banking import matching
from mutua.banking.models import (
    QUEUE_STATUSES,
    Allocation,
    BankAccount,
    Statement,
    StatementLine,
)
from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from mutua.invoicing.queries import OPEN_STATUSES
from mutua.ledger.models import Entry
from mutua.members.queries import staff_entities

BANKERS = (Role.ACCOUNTANT, Role.ADMINISTRATOR)
ZERO = Decimal("0")


# --- access -------------------------------------------------------------------------------------


def banking_entities(user: Any) -> QuerySet[Entity]:
    return staff_entities(user, BANKERS)


def access_bank_entity(user: Any, entity_id: int) -> Entity:
    entity = banking_entities(user).filter(pk=entity_id).first()
    if entity is None:
        raise NotFound("no such entity")
    return entity


def access_statement_line(user: Any, line_id: int) -> StatementLine:
    line = (
        StatementLine.objects.select_related("account", "account__entity", "statement", "client")
        .filter(pk=line_id, account__entity__in=banking_entities(user))
        .first()
    )
    if line is None:
        raise NotFound("no such statement line")
    return line


# --- lists --------------------------------------------------------------------------------------


def accounts_of(entity: Entity) -> QuerySet[BankAccount]:
    return BankAccount.objects.filter(entity=entity).order_by("iban")


def statements_of(entity: Entity) -> QuerySet[Statement]:
    return Statement.objects.filter(account__entity=entity).select_related("account")


def queue_of(entity: Entity) -> QuerySet[StatementLine]:
    """Lines that wait for a person: not matched, or matching several invoices; oldest first."""
    return (
        StatementLine.objects.filter(account__entity=entity, status__in=QUEUE_STATUSES)
        .select_related("account", "statement")
        .order_by("booking_date", "id")
    )


def allocations_of(line: StatementLine) -> QuerySet[Allocation]:
    return Allocation.objects.filter(line=line).select_related("invoice")


def entries_of(line: StatementLine) -> QuerySet[Entry]:
    """The bank entry of the line and, once matched by hand, the one that cleared suspense."""
    keys = [line_entry_key(line), match_entry_key(line)]
    return Entry.objects.filter(entity_id=line.account.entity_id, idempotency_key__in=keys)


def line_entry_key(line: StatementLine) -> str:
    return entry_key_of(line.account_id, line.natural_key, line.occurrence)


def entry_key_of(account_id: int, natural_key: str, occurrence: int) -> str:
    """The idempotency key of a line's bank entry: its natural key, not a database id."""
    return f"bank:{account_id}:{natural_key[:40]}:{occurrence}"


def match_entry_key(line: StatementLine) -> str:
    return f"bank-match:{line.pk}"


# --- what reconciliation reads ------------------------------------------------------------------


def open_book(entity: Entity, reference_keys: Iterable[str] = ()) -> matching.OpenBook:
    """The entity's open invoices with what each still owes, the payers' IBANs learnt from
    earlier matches, and which of `reference_keys` belong to invoices that are no longer open."""
    rows = Invoice.objects.filter(
        entity=entity, kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES
    ).values_list("id", "number", "client_id", "payment_reference", "total_gross")
    # Only a partly paid invoice has received money (record_payments moves the status with
    # every allocation), so the sums are read for those alone, not joined to every invoice.
    received = dict(
        Allocation.objects.filter(invoice__entity=entity, invoice__status=InvoiceStatus.PARTLY_PAID)
        .values("invoice_id")
        .annotate(total=Sum("amount"))
        .values_list("invoice_id", "total")
    )
    invoices = {
        pk: matching.OpenInvoice(pk, number or "", client, ref, gross - received.get(pk, ZERO))
        for pk, number, client, ref, gross in rows
    }
    return matching.OpenBook(
        invoices,
        clients_by_iban=payer_ibans(entity),
        closed_references=_closed_references(entity, reference_keys),
    )


def payer_ibans(entity: Entity) -> dict[str, set[int]]:
    pairs = (
        StatementLine.objects.filter(account__entity=entity, client__isnull=False)
        .exclude(counterparty_iban="")
        .values_list("counterparty_iban", "client_id")
        .distinct()
    )
    known: dict[str, set[int]] = defaultdict(set)
    for iban, client in pairs:
        known[iban].add(client)
    return dict(known)


def _closed_references(entity: Entity, keys: Iterable[str]) -> dict[str, str]:
    stored = {_as_stored(key): key for key in keys}
    if not stored:
        return {}
    rows = Invoice.objects.filter(
        entity=entity,
        kind=InvoiceKind.INVOICE,
        status__in=(InvoiceStatus.PAID, InvoiceStatus.CANCELLED),
        payment_reference__in=list(stored),
    ).values_list("payment_reference", "number")
    return {stored[reference]: number or "" for reference, number in rows}


def _as_stored(key: str) -> str:
    """How an invoice stores the reference whose matching key is `key`."""
    if key.isdigit() and len(key) == 12:
        return f"+++{key[:3]}/{key[3:7]}/{key[7:]}+++"
    return key


def line_facts(line: StatementLine) -> matching.LineFacts:
    return matching.LineFacts(
        amount=line.amount,
        structured_reference=line.structured_reference,
        free_text=line.free_text,
        counterparty_iban=line.counterparty_iban,
    )


def queue_with_suggestions(
    entity: Entity, lines: list[StatementLine]
) -> list[tuple[StatementLine, list[matching.Suggestion]]]:
    """Each queued line with the invoices worth a look (one read of the open invoices)."""
    book = open_book(entity)
    return [(line, matching.suggestions(book, line_facts(line))) for line in lines]

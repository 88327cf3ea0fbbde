"""Reads of invoices for lists, exports and the CLI."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from mutua.core import clock
from mutua.core.errors import InvalidInput, NotFound
from mutua.entities.models import Entity
from mutua.invoicing.models import Invoice, InvoiceStatus

OPEN_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.SENT, InvoiceStatus.PARTLY_PAID)


def amount_due(invoice: Invoice) -> Decimal:
    """What the client still has to pay: the total less what the bank received for it (a
    paid, cancelled or draft invoice, or a credit note, owes nothing)."""
    if invoice.kind != "invoice" or invoice.status not in OPEN_STATUSES:
        return Decimal("0.00")
    from mutua.invoicing.payments import amount_received

    return invoice.total_gross - amount_received(invoice)


def with_received(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate what each invoice received, so `amount_due` needs no query per row in lists."""
    return invoices.annotate(received=Sum("allocations__amount"))


def entity_invoices(entity: Entity, status: str | None = None) -> QuerySet[Invoice]:
    invoices = with_received(Invoice.objects.filter(entity=entity).select_related("client"))
    if status:
        if status not in InvoiceStatus.values:
            raise InvalidInput(
                f"unknown status {status!r}; one of {', '.join(InvoiceStatus.values)}",
                field="status",
            )
        invoices = invoices.filter(status=status)
    return invoices.order_by("fiscal_year", "number", "id")


def invoice_summary(invoice: Invoice) -> dict[str, Any]:
    """The stable JSON shape of `mutua invoice list` (DESIGN.md §5)."""
    client = invoice.client
    return {
        "number": invoice.number,
        "kind": invoice.kind,
        "status": invoice.status,
        "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "client": {"name": client.name, "country": client.country, "vat": client.vat_number},
        "currency": invoice.currency,
        "total_excl_vat": str(invoice.total_net),
        "total_incl_vat": str(invoice.total_gross),
        "amount_due": str(amount_due(invoice)),
        "structured_reference": invoice.payment_reference,
    }


def issued_by_number(number: str, entity_code: str | None = None) -> Invoice:
    invoices = Invoice.objects.filter(number=number).select_related("entity", "client")
    if entity_code:
        invoices = invoices.filter(entity__code=entity_code.upper())
    found = list(invoices[:2])
    if not found:
        raise NotFound(f"no issued invoice numbered {number!r}", field="number")
    if len(found) > 1:
        raise InvalidInput(f"{number!r} exists in several entities: add --entity", field="entity")
    return found[0]


def overdue_for_staff(user: Any) -> QuerySet[Invoice]:
    """Overdue invoices of the entities where the user works on invoices, oldest due first."""

    from mutua.invoicing.access import INVOICING_STAFF
    from mutua.members.queries import staff_entities

    return (
        Invoice.objects.filter(
            entity__in=staff_entities(user, INVOICING_STAFF),
            kind="invoice",
            status__in=OPEN_STATUSES,
            due_date__lt=clock.today(),
        )
        .select_related("client", "activity", "entity")
        .order_by("due_date", "id")
    )

"""Write path for invoices and credit notes (issue 4).

Issuing is one transaction: the number is taken from the entity's gapless sequence for the year,
the totals are frozen, and the ledger entry is posted with the invoice as idempotency key. If any
step fails, everything rolls back, the number included, so numbers never have gaps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mutua.activities.models import Activity
from mutua.clients.models import Client
from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation, StateConflict
from mutua.core.money import LARGEST_STORED, checked_cents
from mutua.countries.registry import vat_rules_for
from mutua.entities.queries import fee_rate_on, take_number
from mutua.invoicing import posting
from mutua.invoicing.access import may_invoice_for
from mutua.invoicing.documents.payment import rf_creditor_reference, structured_communication
from mutua.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from mutua.invoicing.vat import PricedLine, cents, invoice_totals
from mutua.ledger.actions import post_entry
from mutua.ledger.models import Journal, JournalKind, PostingRule
from mutua.ledger.queries import posting_account

MAX_QUANTITY = Decimal(10) ** 8  # InvoiceLine.quantity is DecimalField(12, 3)
INVOICE_FIELDS = ("status", "number", "issue_date", "due_date", "total_net", "total_vat")


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate_name: str = "standard"


@action("invoice.create_draft")
def create_draft_invoice(
    *,
    actor: Any,
    activity: Activity,
    client: Client,
    lines: Sequence[LineInput],
    currency: str | None = None,
    notes: str = "",
    language: str = "",
) -> Invoice:
    """A draft the member can still change; nothing is numbered or booked yet."""
    _check_may_invoice(actor, activity)
    if client.entity_id != activity.entity_id:
        raise InvalidInput("the client belongs to another entity", field="client")
    entity = activity.entity
    currency = currency or entity.currency
    if currency != entity.currency:
        raise InvalidInput(
            f"{entity.name} invoices in {entity.currency}, not {currency}", field="currency"
        )
    _check_lines(lines)
    invoice = Invoice.objects.create(
        entity=entity,
        activity=activity,
        client=client,
        currency=currency,
        language=language or getattr(client, "language", "") or entity.language_list[0],
        notes=notes,
        created_by=person_acting(actor),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=n,
            description=line.description.strip(),
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate_name=line.vat_rate_name,
        )
        for n, line in enumerate(lines, start=1)
    )
    audit.record(
        actor=actor,
        action="invoice.create_draft",
        subject=invoice,
        entity_id=entity.pk,
        after={"client": client.pk, "activity": activity.pk, "lines": len(lines)},
    )
    return invoice


def _check_may_invoice(actor: Any, activity: Activity) -> None:
    if not may_invoice_for(actor, activity):
        raise AccessDenied("you may not invoice for this activity")


def _check_lines(lines: Sequence[LineInput]) -> None:
    if not lines:
        raise InvalidInput("an invoice needs at least one line", field="lines")
    for line in lines:
        if not line.description.strip():
            raise InvalidInput("every line needs a description", field="lines")
        quantity = line.quantity
        if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
            raise InvalidInput("quantities must be positive", field="lines")
        if quantity >= MAX_QUANTITY or quantity != quantity.quantize(Decimal("0.001")):
            raise InvalidInput("quantities have at most 8 digits and 3 decimals", field="lines")
        price = checked_cents(line.unit_price, field="lines")
        if quantity * price >= LARGEST_STORED:
            raise InvalidInput("this line is too large", field="lines")


@action("invoice.issue")
def issue_invoice(*, actor: Any, invoice: Invoice, on: dt.date | None = None) -> Invoice:
    """Number, freeze and book a draft invoice. Refused: no lines, a total that is not positive,
    an invoice already issued (a second click changes nothing)."""
    invoice = (
        Invoice.objects.select_for_update()
        .select_related("entity", "activity", "client")
        .get(pk=invoice.pk)
    )
    _check_may_invoice(actor, invoice.activity)
    if not invoice.is_draft:
        raise StateConflict(f"invoice {invoice.number} is already issued")
    on = on or clock.today()
    _price_lines(invoice, on)
    if invoice.total_net <= 0:
        raise RuleViolation("an invoice must have a positive total", field="lines")
    _number(invoice, on, key="invoice")
    _book(invoice, actor)
    audit.record(
        actor=actor,
        action="invoice.issue",
        subject=invoice,
        entity_id=invoice.entity_id,
        after=audit.snapshot(invoice, INVOICE_FIELDS),
    )
    return invoice


def _price_lines(invoice: Invoice, on: dt.date) -> None:
    """Apply the VAT treatment the buyer calls for, compute the totals and the fee."""
    client, entity = invoice.client, invoice.entity
    vat = vat_rules_for(entity.country)
    lines = list(invoice.lines.all())
    if not lines:
        raise InvalidInput("an invoice needs at least one line", field="lines")
    priced = []
    for line in lines:
        treatment = vat.treatment(
            buyer_country=client.country,
            buyer_is_business=client.is_business,
            buyer_vat_number=client.vat_number,
            rate_name=line.vat_rate_name,
            on=on,
        )
        line.vat_category, line.vat_percent = treatment.category, treatment.percent
        priced.append(
            PricedLine(line.quantity, line.unit_price, line.vat_category, line.vat_percent)
        )
        line.net_amount = priced[-1].net
    InvoiceLine.objects.bulk_update(lines, ["vat_category", "vat_percent", "net_amount"])
    totals = invoice_totals(priced)
    invoice.total_net, invoice.total_vat, invoice.total_gross = totals.net, totals.vat, totals.gross
    rate = fee_rate_on(entity, on, invoice.activity.activity_type, invoice.activity_id).rate
    invoice.fee_amount = cents(totals.net * rate)
    invoice.legal_mentions = vat.mentions(invoice.language, {g.category for g in totals.groups})


def _number(invoice: Invoice, on: dt.date, *, key: str) -> None:
    entity = invoice.entity
    sequence = take_number(entity, key, on.year)
    template = entity.invoice_number_format if key == "invoice" else "CN-{year}-{seq:06d}"
    invoice.number = template.format(code=entity.code, year=on.year, seq=sequence)
    invoice.fiscal_year = on.year
    invoice.issue_date = on
    terms = invoice.client.payment_terms_days
    invoice.due_date = on + dt.timedelta(days=entity.payment_terms_days if terms is None else terms)
    invoice.payment_reference = _payment_reference(invoice, on.year, sequence, key)
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_at = clock.now()
    invoice.seller_snapshot = _seller(invoice)
    invoice.buyer_snapshot = _buyer(invoice)


def _payment_reference(invoice: Invoice, year: int, sequence: int, key: str) -> str:
    if key != "invoice":
        return ""  # a credit note is not paid by the client
    # Ten digits: two for the year, eight for the number (room for 99,999,999 invoices a year).
    base = (year % 100) * 10**8 + sequence
    if vat_rules_for(invoice.entity.country).payment_reference_scheme == "structured":
        return structured_communication(base)
    return rf_creditor_reference(str(base))


def _seller(invoice: Invoice) -> dict[str, str]:
    e = invoice.entity
    return {
        "name": e.legal_name,
        "street": e.street,
        "postcode": e.postcode,
        "city": e.city,
        "country": e.country,
        "vat_number": e.vat_number,
        "company_number": e.company_number,
        "iban": e.iban,
        "bic": e.bic,
        "email": e.email,
    }


def _buyer(invoice: Invoice) -> dict[str, str]:
    c = invoice.client
    return {
        "name": c.name,
        "country": c.country,
        "vat_number": c.vat_number,
        **{
            name: str(getattr(c, name, "") or "")
            for name in ("street", "postcode", "city", "company_number", "peppol_id", "email")
        },
    }


def _posting_map(entity: Any) -> dict[str, str]:
    """The entity's event -> account code map, in one query (five events per invoice)."""
    codes = dict(PostingRule.objects.filter(entity=entity).values_list("event", "account__code"))
    if not codes:
        posting_account(entity, "receivable")  # raises the clear "set up its ledger" error
    return codes


def _book(invoice: Invoice, actor: Any) -> None:
    entity = invoice.entity
    journal = Journal.objects.get(entity=entity, kind=JournalKind.SALES)
    draft = posting.invoice_entry(
        entity_id=entity.pk,
        journal=journal.code,
        account=_posting_map(entity).__getitem__,
        date=invoice.issue_date or clock.today(),
        number=invoice.number or "",
        client_id=invoice.client_id,
        activity_id=invoice.activity_id,
        net=invoice.total_net,
        vat=invoice.total_vat,
        fee=invoice.fee_amount,
        credit_note=invoice.kind == InvoiceKind.CREDIT_NOTE,
    )
    entry = post_entry(draft, acting_user=actor, idempotency_key=f"invoice:{invoice.pk}")
    invoice.ledger_entry_id = entry.pk
    invoice.save()


@action("invoice.credit")
def issue_credit_note(
    *, actor: Any, invoice: Invoice, reason: str, on: dt.date | None = None
) -> Invoice:
    """Cancel an issued invoice in full with a credit note (the only correction of an invoice)."""
    original = (
        Invoice.objects.select_for_update()
        .select_related("entity", "activity", "client")
        .get(pk=invoice.pk)
    )
    _check_may_invoice(actor, original.activity)
    if original.kind != InvoiceKind.INVOICE or original.status in (
        InvoiceStatus.DRAFT,
        InvoiceStatus.CANCELLED,
    ):
        raise StateConflict("only an issued, uncancelled invoice can be credited")
    if not reason.strip():
        raise InvalidInput("say why the invoice is cancelled", field="reason")
    on = on or clock.today()
    note = _credit_note_of(original, actor, reason.strip())
    _number(note, on, key="credit_note")
    _book(note, actor)
    before = audit.snapshot(original, INVOICE_FIELDS)
    original.status = InvoiceStatus.CANCELLED
    original.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="invoice.credit",
        subject=original,
        entity_id=original.entity_id,
        before=before,
        after={**(audit.snapshot(original, INVOICE_FIELDS) or {}), "credit_note": note.number},
    )
    return note


def _credit_note_of(original: Invoice, actor: Any, reason: str) -> Invoice:
    note = Invoice.objects.create(
        entity=original.entity,
        activity=original.activity,
        client=original.client,
        kind=InvoiceKind.CREDIT_NOTE,
        currency=original.currency,
        language=original.language,
        credited_invoice=original,
        notes=reason,
        total_net=original.total_net,
        total_vat=original.total_vat,
        total_gross=original.total_gross,
        fee_amount=original.fee_amount,
        legal_mentions=original.legal_mentions,
        created_by=person_acting(actor),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=note,
            position=line.position,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate_name=line.vat_rate_name,
            vat_category=line.vat_category,
            vat_percent=line.vat_percent,
            net_amount=line.net_amount,
        )
        for line in original.lines.all()
    )
    return note

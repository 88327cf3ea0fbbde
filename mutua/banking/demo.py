"""Demo bank statements: a CODA file (Belgium) or a camt.053 (France, Sweden) that pays some of
the entity's issued invoices (one in full by structured reference, one partly, one beyond its
total, one by the invoice number written in the communication) and brings one payment nobody
can match, imported through the real import so the queue and the books show them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from mutua.banking.actions import import_statements
from mutua.banking.formats import StatementData, StatementLineData
from mutua.banking.matching import reference_key
from mutua.banking.models import Statement
from mutua.banking.writers import camt053_file, coda_file
from mutua.core import clock
from mutua.demo import identifiers as ids
from mutua.entities.models import Entity
from mutua.invoicing.models import Invoice, InvoiceKind
from mutua.invoicing.queries import OPEN_STATUSES, amount_due

PLANS = ("full", "partial", "overpaid", "number", "full")


def build_bank_demo(entity: Entity, rng: random.Random) -> dict[str, int]:
    """Import one statement of the entity's main account; returns what the import counted.
    An entity that already has statements is left as it is (the demo can be built again)."""
    if Statement.objects.filter(account__entity=entity).exists():
        return {"bank_lines": 0, "bank_matched": 0, "bank_to_match": 0}
    today = clock.today()
    invoices = list(
        Invoice.objects.filter(
            entity=entity,
            kind=InvoiceKind.INVOICE,
            status__in=OPEN_STATUSES,
            disputed_at__isnull=True,
            issue_date__lt=today - dt.timedelta(days=3),
        )
        .select_related("client")
        .order_by("issue_date", "id")
    )
    lines = [
        _payment(invoice, plan, rng, today - dt.timedelta(days=1 + n % 3))
        for n, (invoice, plan) in enumerate(zip(invoices, PLANS, strict=False))
    ]
    lines.append(_unknown(entity, rng, today - dt.timedelta(days=1)))
    lines.sort(key=lambda line: line.booking_date)
    statement = _statement(entity, lines, rng, today)
    if entity.country == "BE":
        content, name = coda_file([statement], created=today), f"{today:%Y%m%d}.cod"
    else:
        created = dt.datetime.combine(today, dt.time(6, 0))
        content, name = camt053_file([statement], created=created), f"camt053-{today}.xml"
    result = import_statements(entity=entity, content=content, file_name=name, acting_user=None)
    return {
        "bank_lines": result.imported,
        "bank_matched": result.matched,
        "bank_to_match": result.unmatched,
    }


def _payment(invoice: Invoice, plan: str, rng: random.Random, day: dt.date) -> StatementLineData:
    due = amount_due(invoice)
    amount = {
        "partial": (due / 2).quantize(Decimal("0.01")),
        "overpaid": due + Decimal("25.00"),
    }.get(plan, due)
    by_number = plan == "number"
    return StatementLineData(
        booking_date=day,
        value_date=day,
        amount=amount,
        counterparty_name=invoice.client.name,
        counterparty_iban=ids.iban(invoice.entity.country, rng),
        structured_reference="" if by_number else reference_key(invoice.payment_reference),
        free_text=f"Facture {invoice.number}" if by_number else "",
        bank_reference=f"DEMO{invoice.pk:08d}",
    )


def _unknown(entity: Entity, rng: random.Random, day: dt.date) -> StatementLineData:
    return StatementLineData(
        booking_date=day,
        value_date=day,
        amount=Decimal(rng.randrange(5000, 40000)) / 100,
        counterparty_name="M. Dupont",
        counterparty_iban=ids.iban(entity.country, rng),
        free_text="Soutien au projet",
        bank_reference="DEMO-UNKNOWN",
    )


def _statement(
    entity: Entity, lines: list[StatementLineData], rng: random.Random, today: dt.date
) -> StatementData:
    opening = Decimal(rng.randrange(1_000_000, 5_000_000)) / 100
    closing = opening + sum((line.amount for line in lines), start=Decimal("0"))
    first = min(line.booking_date for line in lines)
    return StatementData(
        iban=entity.iban,
        currency=entity.currency,
        number=f"{today.timetuple().tm_yday}",
        opening_date=first - dt.timedelta(days=1),
        opening_balance=opening,
        closing_date=today - dt.timedelta(days=1),
        closing_balance=closing,
        lines=tuple(lines),
    )

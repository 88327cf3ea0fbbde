"""The payment-delay aggregate: per entity and month, what clients paid and how late.

`add_payments` is called by the bank reconciliation for every allocation it stores, in the same
transaction, with one upsert per month touched (set-based, as the ledger keeps its balances).
`rebuild` recomputes the whole table from the allocations (after a data migration, or to check:
`mutua report rebuild-delays`); tests check both agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum

from mutua.invoicing.models import Invoice
from mutua.reporting.models import PaymentDelayMonth

UPSERT = """
INSERT INTO reporting_paymentdelaymonth (entity_id, month, paid, weighted_days)
VALUES (%s, %s, %s, %s)
ON CONFLICT (entity_id, month) DO UPDATE SET
  paid = reporting_paymentdelaymonth.paid + excluded.paid,
  weighted_days = reporting_paymentdelaymonth.weighted_days + excluded.weighted_days
"""


def _months(
    entity_id: int, payments: Iterable[tuple[int, dt.date, Decimal]]
) -> dict[dt.date, tuple[Decimal, Decimal]]:
    rows = list(payments)
    issued = dict(
        Invoice.objects.filter(pk__in={pk for pk, _d, _a in rows}, kind="invoice").values_list(
            "pk", "issue_date"
        )
    )
    totals: dict[dt.date, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for invoice_id, paid_on, amount in rows:
        issue = issued.get(invoice_id)
        if issue is None:  # a credit note or a draft never receives a client payment
            continue
        month = totals[paid_on.replace(day=1)]
        month[0] += amount
        month[1] += amount * (paid_on - issue).days
    return {m: (v[0], v[1]) for m, v in totals.items()}


def add_payments(entity_id: int, payments: Iterable[tuple[int, dt.date, Decimal]]) -> None:
    """Add (invoice id, payment day, amount) allocations to the entity's months."""
    months = _months(entity_id, payments)
    if not months:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            UPSERT, [(entity_id, m, str(p), str(w)) for m, (p, w) in sorted(months.items())]
        )


@transaction.atomic
def rebuild(entity_id: int) -> int:
    """Recompute the entity's months from its allocations; returns the months written."""
    from mutua.banking.models import Allocation

    PaymentDelayMonth.objects.filter(entity_id=entity_id).delete()
    rows = (
        Allocation.objects.filter(invoice__entity_id=entity_id)
        .values_list("invoice_id", "line__booking_date")
        .annotate(amount=Sum("amount"))
    )
    months = _months(entity_id, ((pk, day, Decimal(a)) for pk, day, a in rows))
    PaymentDelayMonth.objects.bulk_create(
        PaymentDelayMonth(entity_id=entity_id, month=m, paid=p, weighted_days=w)
        for m, (p, w) in months.items()
    )
    return len(months)

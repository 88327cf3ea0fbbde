"""Set-based generator of a big ledger: entries and lines by INSERT ... SELECT generate_series,
balances aggregated from the generated lines in SQL, numbering sequence left at the last number,
so the data set is exactly what the actions would have written (`mutua ledger verify` agrees)."""

from __future__ import annotations

from django.db import connection, transaction

from mutua.entities.models import Entity, NumberSequence
from mutua.ledger import storage
from mutua.ledger.models import Account, FiscalYear, Journal

ENTRIES_SQL = """
INSERT INTO ledger_entry (entity_id, journal_id, fiscal_year_id, number, date, label, piece_ref,
  piece_date, idempotency_key, fingerprint, reverses_id, posted_at, posted_by_id)
SELECT %(entity)s, %(journal)s, %(year)s, g,
  DATE '2025-01-01' + ((g - 1)::bigint * 365 / %(total)s)::int,
  'Invoice ' || g, 'INV-' || g, DATE '2025-01-01' + ((g - 1)::bigint * 365 / %(total)s)::int,
  'generated:' || g, md5(g::text), NULL, now(), NULL
FROM generate_series(%(first)s, %(last)s) AS g
"""

# Two lines per entry: the client owes (client dimension), the activity earns (activity dimension).
LINES_SQL = """
INSERT INTO ledger_line (entry_id, entity_id, date, account_id, debit, credit, currency,
  activity_id, member_id, client_id, label)
SELECT e.id, e.entity_id, e.date,
  CASE WHEN side = 1 THEN %(receivable)s ELSE %(sales)s END,
  CASE WHEN side = 1 THEN amount ELSE 0 END,
  CASE WHEN side = 2 THEN amount ELSE 0 END,
  'EUR',
  CASE WHEN side = 2 THEN %(first_activity)s + e.number %% %(activities)s END,
  NULL,
  CASE WHEN side = 1 THEN %(first_client)s + e.number %% %(clients)s END,
  ''
FROM ledger_entry e
CROSS JOIN LATERAL (SELECT ((e.number::bigint * 7919) %% 500000 + 100)::numeric / 100 AS amount) a
CROSS JOIN (VALUES (1), (2)) AS s(side)
WHERE e.entity_id = %(entity)s AND e.number BETWEEN %(first)s AND %(last)s
"""


def generate(
    entity: Entity,
    *,
    lines: int,
    first_activity: int,
    activities: int,
    first_client: int,
    clients: int,
    chunk: int = 1_000_000,
    progress: bool = True,
) -> None:
    """Write `lines` lines (two per entry) into the entity's sales journal for 2025."""
    entries = lines // 2
    params = {
        "entity": entity.pk,
        "journal": Journal.objects.get(entity=entity, kind="sales").pk,
        "year": FiscalYear.objects.get(entity=entity, year=2025).pk,
        "total": entries,
        "receivable": Account.objects.get(entity=entity, code="400000").pk,
        "sales": Account.objects.get(entity=entity, code="700000").pk,
        "first_activity": first_activity,
        "activities": activities,
        "first_client": first_client,
        "clients": clients,
    }
    for first in range(1, entries + 1, chunk // 2):
        last = min(first + chunk // 2 - 1, entries)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(ENTRIES_SQL, {**params, "first": first, "last": last})
            cursor.execute(LINES_SQL, {**params, "first": first, "last": last})
        if progress:
            print(f"  generated {last * 2:>11,} lines", flush=True)
    with transaction.atomic(), connection.cursor() as cursor:
        # The very statement the posting path uses, over all the entity's lines at once.
        sql, leading = storage.balances_sql("entity_id = %s")
        cursor.execute(sql, [*leading, entity.pk])
        NumberSequence.objects.update_or_create(
            entity=entity,
            key=f"ledger.journal.{params['journal']}",
            year=2025,
            defaults={"last": entries},
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_entry, ledger_line, ledger_balance")

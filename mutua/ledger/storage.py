"""Set-based writes for the ledger tables: id allocation, bulk inserts and balance upserts.

The only module that writes SQL by hand. PostgreSQL gets COPY and sequences; SQLite, which lets
one writer in at a time, gets executemany and ids after the current maximum.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection

from mutua.ledger.drafts import BalanceKey

UPSERT_CHUNK = 500
ENTRY_COLUMNS = (
    "id",
    "entity_id",
    "journal_id",
    "fiscal_year_id",
    "number",
    "date",
    "label",
    "piece_ref",
    "piece_date",
    "idempotency_key",
    "fingerprint",
    "reverses_id",
    "posted_at",
    "posted_by_id",
)
LINE_COLUMNS = (
    "entry_id",
    "entity_id",
    "date",
    "account_id",
    "debit",
    "credit",
    "currency",
    "activity_id",
    "member_id",
    "client_id",
    "label",
)


def allocate_ids(table: str, count: int) -> list[int]:
    """Reserve `count` primary keys so lines can point at entries before either is written."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the caller's transaction holds the database write lock, so nobody else inserts.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (fixed names)
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (fixed names)
            [list(row) for row in rows],
        )


UPSERT_SQL = """
INSERT INTO ledger_balance
  (entity_id, account_id, dimension, dimension_id, currency, day, debit, credit)
VALUES {values}
ON CONFLICT (account_id, dimension, dimension_id, currency, day) DO UPDATE SET
  debit = ledger_balance.debit + excluded.debit,
  credit = ledger_balance.credit + excluded.credit
"""


def add_to_balances(entity_id: int, deltas: dict[BalanceKey, list[Decimal]]) -> None:
    """Add the deltas to the aggregate rows, creating missing ones, in one statement per chunk.

    Rows are touched in key order so two concurrent postings lock them in the same order and
    cannot deadlock; ON CONFLICT DO UPDATE adds to the committed value, so no update is lost.
    """
    ordered = sorted(
        deltas.items(),
        key=lambda kv: (
            kv[0].account_id,
            kv[0].dimension,
            kv[0].dimension_id,
            kv[0].currency,
            kv[0].day,
        ),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), UPSERT_CHUNK):
            chunk = ordered[start : start + UPSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params: list[Any] = []
            for key, (debit, credit) in chunk:
                params += [entity_id, key.account_id, key.dimension, key.dimension_id]
                params += [key.currency, key.day, debit, credit]
            cursor.execute(UPSERT_SQL.format(values=values), params)

"""Set-based writes for the ledger tables: id allocation, bulk inserts and balance upserts.

The only module that writes SQL by hand. PostgreSQL gets COPY and sequences; SQLite, which lets
one writer in at a time, gets executemany and ids after the current maximum.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

CHUNK = 10_000  # values per IN list: under SQLite's 32,766 parameters
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
            # The raw psycopg cursor: wrap its errors so callers see Django's IntegrityError.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 (fixed names)
            [list(row) for row in rows],
        )


# The aggregate is grouped from the lines just written, in the database: the same SQL adds a
# posting's lines on both databases, and the benchmark generator groups the same way. Account
# totals are kept per day (the trial balance at any date); dimensions per month, since one
# activity or client rarely moves twice a day and daily rows would be as many as the lines.
BALANCES_FROM_LINES_SQL = """
WITH posted AS MATERIALIZED (
  SELECT entity_id, account_id, currency, date, {month} AS month, debit, credit,
    activity_id, client_id, member_id
  FROM ledger_line WHERE {lines}
)
INSERT INTO ledger_balance
  (entity_id, account_id, dimension, dimension_id, currency, day, debit, credit)
SELECT entity_id, account_id, dim, dim_id, currency, day, SUM(debit), SUM(credit)
FROM (
  SELECT entity_id, account_id, '' AS dim, 0 AS dim_id, currency, date AS day, debit, credit
    FROM posted
  UNION ALL
  SELECT entity_id, account_id, 'activity', activity_id, currency, month, debit, credit
    FROM posted WHERE activity_id IS NOT NULL
  UNION ALL
  SELECT entity_id, account_id, 'client', client_id, currency, month, debit, credit
    FROM posted WHERE client_id IS NOT NULL
  UNION ALL
  SELECT entity_id, account_id, 'member', member_id, currency, month, debit, credit
    FROM posted WHERE member_id IS NOT NULL
) AS dims
WHERE 1 = 1
GROUP BY entity_id, account_id, dim, dim_id, currency, day
ORDER BY dim, dim_id, account_id, currency, day
ON CONFLICT (dimension, dimension_id, account_id, currency, day) DO UPDATE SET
  debit = ledger_balance.debit + excluded.debit,
  credit = ledger_balance.credit + excluded.credit
"""


def balances_sql(lines: str) -> tuple[str, list[Any]]:
    """The aggregate statement for the lines matching `lines`, and its leading parameters."""
    month, month_params = connection.ops.date_trunc_sql("month", "date", ())
    return BALANCES_FROM_LINES_SQL.format(month=month, lines=lines), list(month_params)


def add_to_balances(entry_ids: Sequence[int]) -> None:
    """Add the lines of these (just written) entries to the aggregate, set-based.

    Rows are upserted in key order so two concurrent postings lock them in the same order and
    cannot deadlock; ON CONFLICT DO UPDATE adds to the committed value, so no update is lost.
    """
    condition, params = any_of("entry_id", entry_ids)
    sql, leading = balances_sql(condition)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Lets a 10,000-entry chunk group in memory instead of spilling to disk.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, leading + params)


def any_of(column: str, values: Sequence[Any], *, semi_join: bool = False) -> tuple[str, list[Any]]:
    """The condition "column is one of values": one array parameter on PostgreSQL, so a long
    list costs nothing to send; an IN list on SQLite (callers keep lists under its limit).

    `semi_join` asks PostgreSQL to join with the unnested array instead of testing each row
    against it: better when the filter on the other columns keeps many rows.
    """
    if connection.vendor == "postgresql":
        if semi_join:
            return f"{column} IN (SELECT unnest(%s))", [list(values)]
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def rows_where_any(
    sql: str, column: str, values: Sequence[Any], params: Sequence[Any], *, semi_join: bool = False
) -> list[Any]:
    """Run `sql` (ending in WHERE ... AND) for `column` in `values`, in chunks."""
    found: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), CHUNK):
            condition, extra = any_of(column, values[start : start + CHUNK], semi_join=semi_join)
            cursor.execute(f"{sql} {condition}", [*params, *extra])
            found += cursor.fetchall()
    return found

"""Many rows at once for benchmarks: INSERT ... SELECT FROM generate_series, every column taken
from a template instance (so a model's new fields need no change here) except those given as SQL
expressions of `g`, the row's number. PostgreSQL only, like the rest of the benchmarks."""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction


def clone_rows(
    template: models.Model,
    count: int,
    overrides: dict[str, str],
    *,
    chunk: int = 250_000,
    params: dict[str, Any] | None = None,
) -> None:
    """Insert `count` copies of `template`; `overrides` maps a column to an SQL expression
    (it may use g and %(name)s placeholders from `params`)."""
    opts = template._meta
    columns, values = [], []
    literals: dict[str, Any] = dict(params or {})
    for field in opts.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(str(field.column)))
        if field.column in overrides:
            values.append(overrides[field.column])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append("now()")  # set by save(), which these rows never go through
        else:
            name = f"t_{field.column}"
            literals[name] = field.get_db_prep_save(getattr(template, field.attname), connection)
            values.append(f"%({name})s")
    unknown = set(overrides) - {f.column for f in opts.concrete_fields}
    if unknown:
        raise ValueError(f"no such column in {opts.db_table}: {sorted(unknown)}")
    # Identifiers come from the model's meta and expressions from the benchmark's own code.
    sql = (
        f"INSERT INTO {connection.ops.quote_name(opts.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM generate_series(%(first)s, %(last)s) AS g"
    )
    for first in range(1, count + 1, chunk):
        last = min(first + chunk - 1, count)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, {**literals, "first": first, "last": last})

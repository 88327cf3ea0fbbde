"""Database-level guards shared by migrations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION mutua_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'rows of % are append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END
$$ LANGUAGE plpgsql;
"""


def append_only_sql(vendor: str, table: str) -> list[str]:
    """Triggers that refuse UPDATE and DELETE on `table`.

    SQLite gets only the UPDATE trigger: Django empties tables between transactional tests with
    DELETE there (PostgreSQL uses TRUNCATE, which row triggers do not see).
    """
    if vendor == "postgresql":
        return [
            PG_FUNCTION,
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION mutua_refuse_change();",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'rows are append-only'); END;",
        ]
    return []


def make_append_only(table: str) -> Callable[[Any, Any], None]:
    """A RunPython forward function that installs the append-only triggers on `table`."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for statement in append_only_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(statement, params=None)

    return forward

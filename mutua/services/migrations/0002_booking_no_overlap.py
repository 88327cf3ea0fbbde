"""Two confirmed bookings of one resource never overlap, enforced by the database itself: the
form and the action check first for a kind message, but only the database closes the race
between two simultaneous bookings.

PostgreSQL: an exclusion constraint over (resource, [starts_at, ends_at)) with btree_gist.
SQLite: triggers that abort an INSERT or UPDATE whose slot meets a confirmed one (SQLite lets
one writer in at a time, so a trigger's check cannot race).
"""

from typing import Any

from django.db import migrations

PG_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist;",
    "ALTER TABLE services_booking ADD CONSTRAINT services_booking_no_overlap EXCLUDE USING gist "
    "(resource_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (status = 'confirmed');",
]
PG_REMOVE = ["ALTER TABLE services_booking DROP CONSTRAINT services_booking_no_overlap;"]

_SQLITE_CHECK = """
BEGIN
  SELECT RAISE(ABORT, 'services_booking_no_overlap: the slot is already booked')
  WHERE NEW.status = 'confirmed' AND EXISTS (
    SELECT 1 FROM services_booking b
    WHERE b.resource_id = NEW.resource_id AND b.status = 'confirmed' AND b.id != NEW.id
      AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at
  );
END;
"""
SQLITE_INSTALL = [
    "CREATE TRIGGER services_booking_no_overlap_insert BEFORE INSERT ON services_booking"
    + _SQLITE_CHECK,
    "CREATE TRIGGER services_booking_no_overlap_update "
    "BEFORE UPDATE OF starts_at, ends_at, status, resource_id ON services_booking" + _SQLITE_CHECK,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS services_booking_no_overlap_insert;",
    "DROP TRIGGER IF EXISTS services_booking_no_overlap_update;",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_INSTALL, "sqlite": SQLITE_INSTALL}),
            _run({"postgresql": PG_REMOVE, "sqlite": SQLITE_REMOVE}),
        )
    ]

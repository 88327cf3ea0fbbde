"""`mutua bank import FILE --entity CODE [--json]`: import a CODA or camt.053 statement file.

The command reads the file and calls the import action; it holds no rule of its own. The JSON
(DESIGN.md §5) says how many lines were imported, skipped as duplicates, matched to invoices
and left to match by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.banking.actions import import_statements
from mutua.core.errors import DomainError
from mutua.entities.queries import entity_by_code


class Command(BaseCommand):
    help = "Bank statements: import (CODA or camt.053, detected)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imported = sub.add_parser("import", help="import a statement file and reconcile it")
        imported.add_argument("file")
        imported.add_argument("--entity", required=True)
        imported.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        try:
            entity = entity_by_code(options["entity"])
            result = import_statements(
                entity=entity, content=content, file_name=path.name, acting_user=None
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        summary = {"file": path.name, "entity": entity.code, **result.as_dict()}
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(
            f"{path.name} ({result.format}): {result.imported} imported, "
            f"{result.duplicates} duplicates, {result.matched} matched, "
            f"{result.unmatched} to match by hand"
        )

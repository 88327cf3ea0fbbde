"""`mutua expenses purge-receipts [--entity CODE] [--on DATE] [--dry-run] [--json]`: delete the
receipt files kept past each entity's retention period (Belgium: 7 years).

Idempotent: a purged receipt is skipped the next time. The command parses arguments and calls the
action; it holds no rule of its own.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core.errors import DomainError
from mutua.core.inputs import parse_date
from mutua.entities.models import Entity
from mutua.entities.queries import entity_by_code
from mutua.expenses.actions import purge_receipts


class Command(BaseCommand):
    help = "Expense claims: purge receipts past their retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        purge = sub.add_parser("purge-receipts", help="delete receipt files past retention")
        purge.add_argument("--entity", help="entity code (default: every entity)")
        purge.add_argument("--on", help="as if today were YYYY-MM-DD")
        purge.add_argument("--dry-run", action="store_true", help="count, delete nothing")
        purge.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = parse_date(options["on"], field="--on") if options["on"] else None
            entities = (
                [entity_by_code(options["entity"])]
                if options["entity"]
                else list(Entity.objects.order_by("code"))
            )
            results = [
                purge_receipts(entity=entity, today=on, dry_run=options["dry_run"])
                for entity in entities
            ]
        except DomainError as exc:
            where = f"{exc.field}: " if (exc.field or "").startswith("--") else ""
            raise CommandError(f"{where}{exc.message}") from exc
        if options["json"]:
            self.stdout.write(json.dumps([dataclasses.asdict(r) for r in results], indent=2))
            return
        for r in results:
            verb = "would purge" if r.dry_run else "purged"
            self.stdout.write(
                f"{r.entity}: {verb} {r.receipts} receipt(s) older than {r.retention_years} "
                f"years, {r.files_deleted} file(s) deleted"
            )

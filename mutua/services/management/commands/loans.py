"""`mutua loans collect --entity CODE [--on YYYY-MM-DD] [--json]`: draw every loan instalment
due by that day (today by default) from its activity's budget.

Idempotent: run it daily, twice, or after a crash; a paid instalment is never drawn again, and
one the budget cannot pay yet stays due for the next run (listed under `short`).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.core.inputs import parse_date
from mutua.entities.queries import entity_by_code
from mutua.services.actions.loans import collect_instalments


class Command(BaseCommand):
    help = "Loans to activities: draw the instalments due from the activities' budgets."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        collect = sub.add_parser("collect", help="draw the instalments due")
        collect.add_argument("--entity", required=True)
        collect.add_argument("--on", help="collect what is due by this day, YYYY-MM-DD (today)")
        collect.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = parse_date(options["on"], field="--on") if options["on"] else clock.today()
        except DomainError as exc:
            raise CommandError(f"--on: {exc.message}") from exc
        try:
            entity = entity_by_code(options["entity"])
            result = collect_instalments(entity=entity, on=on)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        summary = {"entity": entity.code, "on": on.isoformat(), **result.as_dict()}
        if options["json"]:
            self.stdout.write(json.dumps(summary))
            return
        self.stdout.write(
            f"{entity.code}: {result.collected} instalment(s) collected, {summary['amount']} "
            f"{entity.currency}; {len(result.short)} waiting for budget"
        )

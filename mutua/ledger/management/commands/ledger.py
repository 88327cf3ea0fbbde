"""`mutua ledger <subcommand>`: trial balance, verification, FEC export, set-up, period closing.

The command parses input and calls queries and actions; it holds no rule of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core.errors import DomainError
from mutua.entities.queries import entity_by_code
from mutua.ledger import actions, exports, queries
from mutua.ledger.fec import fec_filename, fec_lines
from mutua.ledger.models import Period


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "The ledger: trial-balance, verify, export-fec, set-up, close-period."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        trial = sub.add_parser("trial-balance", help="balances per account at a date")
        trial.add_argument("--entity", required=True)
        trial.add_argument("--on", type=_date)
        trial.add_argument("--json", action="store_true")
        verify = sub.add_parser("verify", help="recompute balances from the entries")
        verify.add_argument("--entity", help="one entity (default: all)")
        fec = sub.add_parser("export-fec", help="French FEC of a fiscal year")
        fec.add_argument("--entity", required=True)
        fec.add_argument("--year", type=int, required=True)
        fec.add_argument("-o", "--output", required=True, help="file to write ('-' for stdout)")
        setup = sub.add_parser("set-up", help="chart, journals and fiscal years from the template")
        setup.add_argument("--entity", required=True)
        setup.add_argument("--year", type=int, action="append", required=True)
        close = sub.add_parser("close-period", help="close a month for good")
        close.add_argument("--entity", required=True)
        close.add_argument("--period", required=True, help="YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, "_" + options["subcommand"].replace("-", "_"))
        try:
            handler(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _trial_balance(self, options: dict[str, Any]) -> None:
        entity = entity_by_code(options["entity"])
        rows = queries.trial_balance(entity, options["on"])
        if options["json"]:
            payload = exports.trial_balance_json(entity, options["on"], rows)
            self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(
                f"{row.code:<10} {row.name[:40]:<40} {row.currency} "
                f"{row.debit:>16} {row.credit:>16} {row.balance:>16}"
            )

    def _verify(self, options: dict[str, Any]) -> None:
        entities = [entity_by_code(options["entity"])] if options["entity"] else None
        problems = queries.verify_books(entities)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} difference(s) between balances and entries")
        self.stdout.write("The books agree: balances match the entries, numbering has no gap.")

    def _export_fec(self, options: dict[str, Any]) -> None:
        entity = entity_by_code(options["entity"])
        fiscal_year = queries.fiscal_year_of(entity, options["year"])
        lines = fec_lines(exports.fec_lines_of(entity, fiscal_year), entity.currency)
        if options["output"] == "-":
            for text in lines:
                self.stdout.write(text, ending="")
            return
        try:
            with Path(options["output"]).open("w", encoding="utf-8", newline="") as out:
                out.writelines(lines)
        except OSError as exc:
            raise CommandError(f"cannot write {options['output']}: {exc.strerror}") from exc
        self.stderr.write(
            f"Written {options['output']} (legal name: "
            f"{fec_filename(entity.company_number, fiscal_year.end)})"
        )

    def _set_up(self, options: dict[str, Any]) -> None:
        entity = entity_by_code(options["entity"])
        actions.set_up_ledger(entity=entity, years=options["year"])
        self.stdout.write(
            f"Ledger of {entity.code} ready for {', '.join(map(str, options['year']))}."
        )

    def _close_period(self, options: dict[str, Any]) -> None:
        entity = entity_by_code(options["entity"])
        start = _date(options["period"] + "-01")
        period = Period.objects.filter(entity=entity, start=start).first()
        if period is None:
            raise CommandError(f"{entity.code} has no period {options['period']}")
        actions.close_period(period=period, acting_user=None)
        self.stdout.write(f"Period {period} of {entity.code} is closed.")

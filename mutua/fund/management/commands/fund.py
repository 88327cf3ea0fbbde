"""`mutua fund feed --entity CODE [--through YYYY-MM] [--json]`: book the fund's share of the
fees of every completed month (idempotent: run it monthly, or as often as wanted);
`mutua fund status --entity CODE [--json]`: balance, exposure, ageing, losses, coverage.

The command parses arguments and calls the actions and queries; it holds no rule of its own.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.entities.queries import entity_by_code
from mutua.fund.actions import feed_fund
from mutua.fund.queries import fund_figures
from mutua.payroll.actions import parse_period


class Command(BaseCommand):
    help = "Guarantee fund: feed it from the fees, show its figures."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        feed = sub.add_parser("feed", help="book the fund's share of completed months' fees")
        feed.add_argument("--entity", required=True)
        feed.add_argument("--through", help="last month to feed, YYYY-MM (last completed)")
        feed.add_argument("--json", action="store_true")
        status = sub.add_parser("status", help="the fund's figures")
        status.add_argument("--entity", required=True)
        status.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            entity = entity_by_code(options["entity"])
            if options["subcommand"] == "status":
                data = fund_figures(entity, clock.today()).as_json()
                self._print(data, options["json"], self._status_text(data))
                return
            through = parse_period(options["through"]) if options["through"] else None
            fed = feed_fund(entity=entity, through=through)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        data = {
            "entity": entity.code,
            "months": [
                {"month": f"{f.month:%Y-%m}", "fees": str(f.fees), "amount": str(f.amount)}
                for f in fed
            ],
        }
        total = sum((f.amount for f in fed), start=0)
        self._print(data, options["json"], f"{len(fed)} month(s) fed, {total} {entity.currency}")

    def _print(self, data: dict[str, Any], as_json: bool, text: str) -> None:
        self.stdout.write(json.dumps(data, indent=2) if as_json else text)

    @staticmethod
    def _status_text(data: dict[str, Any]) -> str:
        ratio = data["coverage_ratio"] or "-"
        return (
            f"balance {data['balance']}, exposure {data['exposure']}, coverage {ratio}, "
            f"losses {data['losses']} {data['currency']}"
        )

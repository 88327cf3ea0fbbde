"""`mutua simulate`: the salary simulator on the command line (DESIGN.md §5)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core.errors import DomainError
from mutua.payroll.forms_input import build_request
from mutua.payroll.simulator import Simulation, simulate


class Command(BaseCommand):
    help = (
        "Salary simulator: from gross, from the amount invoiced (+ expenses) or from a wanted net, "
        "with the rules in force on a date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--country", required=True, help="BE, FR or SE")
        parser.add_argument("--on", required=True, help="date of the rules, YYYY-MM-DD")
        amount = parser.add_mutually_exclusive_group(required=True)
        amount.add_argument("--gross", help="monthly gross pay")
        amount.add_argument("--invoiced", help="amount invoiced excl. VAT")
        amount.add_argument("--net", help="wanted net pay: prints the amount to invoice")
        parser.add_argument("--expenses", help="expenses refunded (with --invoiced)")
        parser.add_argument("--worker", choices=["employee", "manual", "artist"])
        parser.add_argument("--category", choices=["non-cadre", "cadre"])
        parser.add_argument("--headcount", help="the entity's headcount (France)")
        parser.add_argument("--marital", choices=["single", "married", "cohabiting"])
        parser.add_argument("--partner-income", choices=["yes", "no"])
        parser.add_argument("--children", help="dependent children")
        parser.add_argument("--single-parent", action="store_true")
        parser.add_argument("--tax-table", help="Sweden: the member's tax table (e.g. 32)")
        parser.add_argument(
            "--quick-estimate",
            action="store_true",
            help="Sweden: Smart Sweden's published formula (flat 30 %%) instead of the tables",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        mode = next(m for m in ("gross", "invoiced", "net") if options[m] is not None)
        if options["expenses"] is not None and mode != "invoiced":
            raise CommandError("--expenses goes with --invoiced")
        try:
            request = build_request(
                country=options["country"],
                on=options["on"],
                mode=mode,
                amount=options[mode],
                expenses=options["expenses"],
                worker=options["worker"],
                category=options["category"],
                headcount=options["headcount"],
                marital=options["marital"],
                partner_income=options["partner_income"],
                children=options["children"],
                single_parent=options["single_parent"],
                tax_table=options["tax_table"],
                quick_estimate=options["quick_estimate"],
            )
            result = simulate(request)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        else:
            self._print_table(result)

    def _print_table(self, result: Simulation) -> None:
        self.stdout.write(f"{result.country} {result.on} ({result.currency})")
        for ln in result.lines:
            rate = (
                f"{(ln.rate * 100).normalize():f}%"
                if ln.rate is not None and ln.code != "work_budget"
                else ""
            )
            self.stdout.write(f"  {ln.label:45} {rate:>10} {ln.amount:>14.2f}")

"""`mutua report <subcommand>`: indicators of an entity, the federation view, rates import,
exports. The command parses input and calls queries and actions; it holds no rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core.errors import DomainError
from mutua.core.inputs import parse_year
from mutua.entities.models import Entity
from mutua.entities.queries import entity_by_code
from mutua.reporting import delays, exports, rates
from mutua.reporting.federation import federation_view
from mutua.reporting.indicators import entity_indicators


class Command(BaseCommand):
    help = "Reports: indicators, federation, import-rates, rebuild-delays, export."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        ind = sub.add_parser("indicators", help="the cooperative's indicators of an entity")
        ind.add_argument("--entity", required=True)
        ind.add_argument("--year", required=True, help="2000 to next year")
        ind.add_argument("--json", action="store_true")
        fed = sub.add_parser("federation", help="all entities in one reporting currency")
        fed.add_argument("--year", required=True, help="2000 to next year")
        fed.add_argument("--currency", default=settings.MUTUA_REPORTING_CURRENCY)
        fed.add_argument("--json", action="store_true")
        imp = sub.add_parser("import-rates", help="euro reference rates (ECB CSV)")
        imp.add_argument("file")
        imp.add_argument("--currency", action="append", help="only these currencies")
        rebuild = sub.add_parser("rebuild-delays", help="recompute the payment-delay aggregate")
        rebuild.add_argument("--entity", help="one entity (default: all)")
        exp = sub.add_parser("export", help="indicators as CSV or XLSX")
        exp.add_argument("--entity", required=True)
        exp.add_argument("--year", required=True, help="2000 to next year")
        exp.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        exp.add_argument("-o", "--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, "_" + options["subcommand"].replace("-", "_"))
        try:
            if options.get("year") is not None:
                options["year"] = parse_year(str(options["year"]), field="--year")
            handler(options)
        except DomainError as exc:
            where = f"{exc.field}: " if exc.field and exc.field.startswith("--") else ""
            raise CommandError(f"{where}{exc.message}") from exc

    def _indicators(self, options: dict[str, Any]) -> None:
        figures = entity_indicators(entity_by_code(options["entity"]), options["year"])
        if options["json"]:
            self.stdout.write(json.dumps(figures.as_json(), indent=2))
            return
        for label, value in exports.indicator_rows(figures):
            self.stdout.write(f"{label:<40} {value}")

    def _federation(self, options: dict[str, Any]) -> None:
        view = federation_view(Entity.objects.all(), options["year"], options["currency"])
        data = {
            "year": view.year,
            "currency": view.currency,
            "entities": [
                {
                    "entity": row.indicators.entity,
                    "currency": row.indicators.currency,
                    "average_rate": _text(row.conversion.average),
                    "closing_rate": _text(row.conversion.closing),
                    "converted": {k: str(v) for k, v in row.converted.items()},
                }
                for row in view.rows
            ],
            "totals": {k: str(v) for k, v in view.totals.items()},
            "not_converted": view.not_converted,
        }
        self.stdout.write(json.dumps(data, indent=2))

    def _import_rates(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        only = {c.strip().upper() for c in options["currency"] or []} or None
        count = rates.import_rates(data=path.read_bytes(), source=path.name, only=only)
        self.stdout.write(f"{count} rates imported from {path.name}")

    def _rebuild_delays(self, options: dict[str, Any]) -> None:
        entities = (
            [entity_by_code(options["entity"])] if options["entity"] else Entity.objects.all()
        )
        for entity in entities:
            months = delays.rebuild(entity.pk)
            self.stdout.write(f"{entity.code}: {months} month(s) of payments")

    def _export(self, options: dict[str, Any]) -> None:
        figures = entity_indicators(entity_by_code(options["entity"]), options["year"])
        data = (
            exports.indicators_xlsx(figures)
            if options["format"] == "xlsx"
            else exports.indicators_csv(figures)
        )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"the folder {output.parent} does not exist")
        output.write_bytes(data)
        self.stdout.write(f"written {output}")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)

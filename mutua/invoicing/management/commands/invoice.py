"""`mutua invoice list|pdf|ubl` (DESIGN.md §5)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core.errors import DomainError, InvalidInput
from mutua.core.inputs import parse_date
from mutua.entities.queries import entity_by_code
from mutua.invoicing.documents.en16931 import ubl_xml
from mutua.invoicing.dunning import run_dunning
from mutua.invoicing.queries import entity_invoices, invoice_summary, issued_by_number
from mutua.invoicing.rendering import client_pdf, document_of


def _date(text: str) -> dt.date:
    try:
        return parse_date(text, field="--on")
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from exc


class Command(BaseCommand):
    help = "List invoices, write their documents (PDF, Peppol UBL), send due reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        listing = sub.add_parser("list", help="invoices of an entity")
        listing.add_argument("--entity", required=True)
        listing.add_argument("--status")
        listing.add_argument("--json", action="store_true")
        remind = sub.add_parser("remind", help="send the reminders that are due (safe to re-run)")
        remind.add_argument("--entity", required=True)
        remind.add_argument("--on", type=_date, help="YYYY-MM-DD, default today")
        remind.add_argument("--json", action="store_true")
        for verb in ("pdf", "ubl"):
            doc = sub.add_parser(verb, help=f"write the {verb.upper()} of an issued invoice")
            doc.add_argument("number")
            doc.add_argument("-o", "--output", required=True)
            doc.add_argument("--entity", help="needed when two entities share the number")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['verb']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _list(self, options: dict[str, Any]) -> None:
        invoices = entity_invoices(entity_by_code(options["entity"]), options.get("status"))
        rows = [invoice_summary(invoice) for invoice in invoices.iterator(chunk_size=2000)]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            number, client = row["number"] or "(draft)", row["client"]["name"][:30]
            self.stdout.write(
                f"{number:14} {row['status']:12} {client:30}"
                f" {row['total_incl_vat']:>12} {row['currency']}"
            )

    def _remind(self, options: dict[str, Any]) -> None:
        run = run_dunning(entity=entity_by_code(options["entity"]), on=options.get("on"))
        summary = {"reminders": {str(k): v for k, v in run.reminders.items()}, "total": run.total}
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(f"{run.total} reminders sent {summary['reminders']}")

    def _pdf(self, options: dict[str, Any]) -> None:
        invoice = issued_by_number(options["number"], options.get("entity"))
        document = document_of(invoice)
        # French buyers get Factur-X (PDF/A-3 with the CII XML inside); others a plain PDF.
        pdf = client_pdf(document)
        _write(options["output"], pdf)
        self.stdout.write(f"wrote {options['output']} ({len(pdf)} bytes)")

    def _ubl(self, options: dict[str, Any]) -> None:
        invoice = issued_by_number(options["number"], options.get("entity"))
        xml = ubl_xml(document_of(invoice))
        _write(options["output"], xml)
        self.stdout.write(f"wrote {options['output']} ({len(xml)} bytes)")


def _write(path: str, content: bytes) -> None:
    try:
        Path(path).write_bytes(content)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror}") from exc

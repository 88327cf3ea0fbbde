"""`mutua payroll run --entity CODE --period YYYY-MM [--json]` (DESIGN.md §5): computes, stores
and posts the month's payslips; resumable and idempotent. `mutua payroll close` closes the run.
`mutua payroll annual --entity CODE --year Y [--kind K] [--person ID] [--json] [-o FILE]` prints
the annual documents (281.10, 281.45, fr-annual, certificate) or writes one member's PDF;
`mutua payroll copyright --entity CODE --gross X [--earlier Y] [--year Y] --json` gives the
figures of a copyright payment. `mutua payroll approve-provisional --entity CODE --period
YYYY-MM` agrees to pay a month on provisional values; `mutua payroll regularise --entity CODE
--from YYYY-MM [--dry-run] [--json]` recomputes the provisional payslips from that month with the
values in force now and stores the differences, settled on each member's next payslip (totals
shown first with --dry-run; safe to run again: a second run adds nothing)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.core.inputs import parse_money
from mutua.countries.registry import rules_for
from mutua.entities.models import Entity
from mutua.entities.queries import entity_by_code
from mutua.members.models import Person
from mutua.payroll.actions import (
    DEFAULT_CHUNK,
    close_run,
    parse_period,
    run_payroll,
    run_report,
)
from mutua.payroll.annual import annual_document, annual_documents, documents_of
from mutua.payroll.annual_documents import annual_pdf, language_for
from mutua.payroll.copyright import set_copyright_share
from mutua.payroll.copyright_calc import copyright_figures
from mutua.payroll.models import PayrollRun, RunChunk
from mutua.payroll.regularisation_actions import (
    approve_provisional_month,
    preview_regularisation,
    regularise_payroll,
)


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


class Command(BaseCommand):
    help = "Payroll runs: run (or resume) a month's payroll, close it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        run = sub.add_parser("run", help="compute, store and post the month's payslips")
        close = sub.add_parser("close", help="close the month's open run")
        for p in (run, close):
            p.add_argument("--entity", required=True, help="entity code, e.g. BE")
            p.add_argument("--period", required=True, help="month, YYYY-MM")
            p.add_argument("--json", action="store_true", help="print the result as JSON")
        run.add_argument("--chunk-size", type=positive_int, default=DEFAULT_CHUNK)
        yearly = sub.add_parser("annual", help="annual documents (281.10, 281.45, certificate)")
        yearly.add_argument("--entity", required=True, help="entity code, e.g. BE")
        yearly.add_argument("--year", required=True, type=positive_int)
        yearly.add_argument("--kind", help="281.10, 281.45, fr-annual or certificate")
        yearly.add_argument("--person", type=positive_int, help="one member (person id)")
        yearly.add_argument("--json", action="store_true", help="print the documents as JSON")
        yearly.add_argument("-o", "--output", help="write the member's PDF here (with --person)")
        rights = sub.add_parser("copyright", help="copyright payment figures (withholding)")
        rights.add_argument("--entity", required=True, help="entity code, e.g. BE")
        rights.add_argument("--gross", required=True, help="gross copyright fees, e.g. 1500.00")
        rights.add_argument("--earlier", default="0", help="received earlier in the same year")
        rights.add_argument("--year", type=positive_int, help="income year (default: this year)")
        rights.add_argument("--json", action="store_true", help="print the figures as JSON")
        agree = sub.add_parser("approve-provisional", help="pay a month on provisional values")
        agree.add_argument("--entity", required=True, help="entity code, e.g. BE")
        agree.add_argument("--period", required=True, help="month, YYYY-MM")
        regularise = sub.add_parser("regularise", help="regularise provisional payslips")
        regularise.add_argument("--entity", required=True, help="entity code, e.g. BE")
        regularise.add_argument("--from", dest="first_month", required=True, help="YYYY-MM")
        regularise.add_argument("--dry-run", action="store_true", help="totals only, store nothing")
        regularise.add_argument("--json", action="store_true", help="print the result as JSON")
        share = sub.add_parser("copyright-share", help="set the entity's copyright share")
        share.add_argument("--entity", required=True, help="entity code, e.g. BE")
        share.add_argument("--from", dest="valid_from", required=True, help="YYYY-MM-DD")
        share.add_argument("--share", required=True, help="0.5 for 50 % of the invoiced amount")
        share.add_argument("--source", default="", help="the decision (board, date)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            entity = entity_by_code(options["entity"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["verb"] == "annual":
            self._annual(entity, options)
            return
        if options["verb"] == "copyright":
            self._copyright(entity, options)
            return
        if options["verb"] == "copyright-share":
            self._copyright_share(entity, options)
            return
        if options["verb"] in ("approve-provisional", "regularise"):
            self._provisional(entity, options)
            return
        try:
            period = parse_period(options["period"])
            run = (
                self._run(entity, period, options)
                if options["verb"] == "run"
                else self._close(entity, period)
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        report = run_report(run).as_json()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        totals = report["totals"]
        self.stdout.write(
            f"{report['entity']} {report['period']} run {report['run']} ({report['status']}): "
            f"{report['payslips']} payslips, {report['refused']} refused; gross {totals['gross']}"
            f", net {totals['net']} {report['currency']}"
        )

    def _run(self, entity: Entity, period: Any, options: dict[str, Any]) -> PayrollRun:
        quiet = options["json"] or not sys.stderr.isatty()

        def progress(chunk: RunChunk) -> None:
            if not quiet:
                self.stderr.write(f"\r  chunk {chunk.index + 1} done", ending="")

        return run_payroll(
            entity=entity, period=period, chunk_size=options["chunk_size"], after_chunk=progress
        )

    def _close(self, entity: Entity, period: Any) -> PayrollRun:
        run = PayrollRun.objects.filter(entity=entity, period=period, status="open").first()
        if run is None:
            raise CommandError(f"{entity.code} has no open run for {period:%Y-%m}")
        return close_run(run=run)

    def _annual(self, entity: Entity, options: dict[str, Any]) -> None:
        kind = options["kind"] or documents_of(entity.country)[0]
        person = options["person"]
        try:
            if person is not None:
                documents = [annual_document(entity, options["year"], kind, person)]
            else:
                documents = annual_documents(entity, options["year"], kind)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["output"]:
            if person is None:
                raise CommandError("--output writes one member's PDF: add --person")
            member = Person.objects.get(pk=person)
            pdf = annual_pdf(documents[0], language_for(member), entity.country)
            try:
                with open(options["output"], "wb") as out:
                    out.write(pdf)
            except OSError as exc:
                raise CommandError(f"cannot write {options['output']}: {exc.strerror}") from exc
        if options["json"]:
            self.stdout.write(json.dumps([d.as_json() for d in documents], indent=2))
            return
        for d in documents:
            figures = ", ".join(f"{k} {v:.2f}" for k, v in d.figures.items())
            self.stdout.write(f"{d.kind} {d.year} {d.beneficiary.name}: {figures}")

    def _copyright(self, entity: Entity, options: dict[str, Any]) -> None:
        """The figures of one payment, as the member page previews them (no write)."""
        year = options["year"] or clock.today().year
        try:
            gross = parse_money(options["gross"], field="--gross")
            earlier = parse_money(options["earlier"], field="--earlier")
            regime = rules_for(entity.country).copyright(year)
            figures = copyright_figures(regime, gross, earlier)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        data = {
            "entity": entity.code,
            "year": year,
            "currency": entity.currency,
            **{k: f"{v:.2f}" for k, v in asdict(figures).items()},
            "ceiling": f"{regime.ceiling:.2f}",
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(", ".join(f"{k} {v}" for k, v in data.items()))

    def _provisional(self, entity: Entity, options: dict[str, Any]) -> None:
        try:
            if options["verb"] == "approve-provisional":
                period = parse_period(options["period"])
                approval = approve_provisional_month(entity=entity, period=period, acting_user=None)
                self.stdout.write(f"{entity.code} {period:%Y-%m}: paid on {approval.notes}")
                return
            first = parse_period(options["first_month"])
            if options["dry_run"]:
                report = preview_regularisation(entity=entity, first_month=first)
            else:
                report = regularise_payroll(entity=entity, first_month=first)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        data = report.as_json()
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        verb = "stored" if report.stored else "would store"
        totals = ", ".join(f"{k} {v}" for k, v in data["totals"].items())
        self.stdout.write(
            f"{entity.code} from {data['from']}: {verb} {data['payslips']} regularisations; "
            f"{totals} {entity.currency}"
        )

    def _copyright_share(self, entity: Entity, options: dict[str, Any]) -> None:
        try:
            valid_from = dt.date.fromisoformat(options["valid_from"])
            share = Decimal(options["share"])
        except (ValueError, InvalidOperation) as exc:
            raise CommandError("give --from as YYYY-MM-DD and --share as a decimal") from exc
        try:
            row = set_copyright_share(
                acting_user=None,
                entity=entity,
                valid_from=valid_from,
                share=share,
                source=options["source"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{entity.code}: copyright share {row.share} from {row.valid_from}")

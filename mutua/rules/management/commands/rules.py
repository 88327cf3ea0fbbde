"""Legal parameter sets from the command line:

    mutua rules load FILE --country BE [--dry-run] [--by EMAIL] [--json]
    mutua rules approve ID --by EMAIL
    mutua rules list [--country CC] [--json]
    mutua rules show ID [--json]

`load --dry-run` checks the file and prints its differences to the set in force, storing
nothing; without it the file is proposed in the name of the staff member given by --by, and
another administrator approves it (`approve`, or the back office). A refused file exits
non-zero with each problem and its line. The command holds no rule of its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core.errors import DomainError
from mutua.countries.parameters import ParameterFileError
from mutua.rules.actions import approve_parameter_set, check_file, propose_parameter_set
from mutua.rules.forms import MAX_FILE_BYTES
from mutua.rules.models import ParameterSetUpload


def _problems(error: DomainError) -> str:
    if isinstance(error, ParameterFileError):
        return "\n".join(f"line {n}: {m}" if n else m for n, m in error.problems)
    return error.message


def _changes_text(changes: list[dict[str, str]]) -> list[str]:
    return [
        f"  {c['table']}.{c['key']} from {c['valid_from']}: "
        f"{c['before'] or '-'} -> {c['after'] or '-'} [{c['status']}] {c['source']}"
        for c in changes
    ]


class Command(BaseCommand):
    help = "Legal payroll parameter sets: load (check, propose), approve, list, show."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="check a YAML file and propose it")
        load.add_argument("file")
        load.add_argument("--country", required=True)
        load.add_argument("--dry-run", action="store_true", help="check and compare, store nothing")
        load.add_argument("--by", help="e-mail of the proposing staff member")
        load.add_argument("--json", action="store_true")
        approve = sub.add_parser("approve", help="approve a proposed set (another person)")
        approve.add_argument("id", type=int)
        approve.add_argument("--by", required=True, help="e-mail of the approving administrator")
        listing = sub.add_parser("list", help="the loaded sets")
        listing.add_argument("--country", default="")
        listing.add_argument("--json", action="store_true")
        show = sub.add_parser("show", help="one loaded set and its differences")
        show.add_argument("id", type=int)
        show.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"_{options['subcommand']}")
        try:
            handler(options)
        except DomainError as exc:
            raise CommandError(_problems(exc)) from exc

    # --- subcommands ----------------------------------------------------------------------------
    def _load(self, options: dict[str, Any]) -> None:
        text = self._read(options["file"])
        if options["dry_run"]:
            parameter_set, summary = check_file(country=options["country"], text=text)
            data = {
                "country": parameter_set.country,
                "year": parameter_set.year,
                "status": parameter_set.status,
                "stored": False,
                "differences": summary,
            }
            self._print(data, options["json"], self._summary_text(data, "checked, not stored"))
            return
        if not options["by"]:
            raise CommandError("--by EMAIL: the staff member who proposes the set")
        upload = propose_parameter_set(
            acting_user=self._user(options["by"]), country=options["country"], text=text
        )
        data = self._as_json(upload) | {"stored": True}
        text_out = self._summary_text(data, f"proposed as #{upload.pk}, waiting for approval")
        self._print(data, options["json"], text_out)

    def _approve(self, options: dict[str, Any]) -> None:
        upload = approve_parameter_set(
            acting_user=self._user(options["by"]), upload=self._upload(options["id"])
        )
        self.stdout.write(f"#{upload.pk} {upload.country} {upload.year} approved")

    def _list(self, options: dict[str, Any]) -> None:
        uploads = ParameterSetUpload.objects.all().select_related("proposed_by", "decided_by")
        if options["country"]:
            uploads = uploads.filter(country=options["country"].upper())
        rows = [self._as_json(u, changes=False) for u in uploads]
        lines = [
            f"#{r['id']} {r['country']} {r['year']} {r['status']} {r['state']} "
            f"proposed by {r['proposed_by']}"
            for r in rows
        ]
        self._print(rows, options["json"], "\n".join(lines) or "no set loaded")

    def _show(self, options: dict[str, Any]) -> None:
        data = self._as_json(self._upload(options["id"]))
        self._print(data, options["json"], self._summary_text(data, data["state"]))

    # --- helpers --------------------------------------------------------------------------------
    @staticmethod
    def _read(name: str) -> str:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"{name}: no such file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{name}: larger than 1 MB")
        try:
            return path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{name}: not UTF-8 text") from exc

    @staticmethod
    def _user(email: str) -> Any:
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {email}")
        return user

    @staticmethod
    def _upload(upload_id: int) -> ParameterSetUpload:
        upload = ParameterSetUpload.objects.filter(pk=upload_id).first()
        if upload is None:
            raise CommandError(f"no loaded set #{upload_id}")
        return upload

    @staticmethod
    def _as_json(upload: ParameterSetUpload, *, changes: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": upload.pk,
            "country": upload.country,
            "year": upload.year,
            "status": upload.status,
            "state": upload.state,
            "sha256": upload.sha256,
            "proposed_by": upload.proposed_by.email,
            "proposed_at": upload.proposed_at.isoformat(),
            "decided_by": upload.decided_by.email if upload.decided_by else None,
            "decided_at": upload.decided_at.isoformat() if upload.decided_at else None,
            "refusal_reason": upload.refusal_reason,
        }
        if changes:
            data["differences"] = upload.differences
        return data

    @staticmethod
    def _summary_text(data: dict[str, Any], outcome: str) -> str:
        summary = data["differences"]
        against = summary["against"] or "no set in force for this year"
        head = (
            f"{data['country']} {data['year']} ({data['status']}): {outcome}; "
            f"{len(summary['changes'])} difference(s) with {against}"
        )
        return "\n".join([head, *_changes_text(summary["changes"])])

    def _print(self, data: Any, as_json: bool, text: str) -> None:
        self.stdout.write(json.dumps(data, indent=2) if as_json else text)

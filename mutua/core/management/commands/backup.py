"""`mutua backup -o FILE`: the database and the uploaded files in one archive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core.backup import create_backup
from mutua.core.errors import DomainError


class Command(BaseCommand):
    help = "Back up the database and the private files into one archive (restore: mutua restore)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="the archive to write (.tar)")
        parser.add_argument("--json", action="store_true", help="print the manifest as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = create_backup(Path(options["output"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(manifest.__dict__, indent=2, sort_keys=True))
        else:
            self.stdout.write(
                f"backup written to {options['output']}: {manifest.vendor} database and "
                f"{len(manifest.members) - 1} file(s)"
            )

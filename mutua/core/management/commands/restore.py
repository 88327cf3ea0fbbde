"""`mutua restore FILE [--force]`: put back a backup made by `mutua backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core.backup import restore_backup
from mutua.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Restore the database and the private files from a backup archive. The archive is "
        "checked in full first; an existing database is replaced only with --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the archive written by mutua backup")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(Path(options["archive"]), force=options["force"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"restored the backup made at {manifest.created_at}; "
            "run `mutua migrate` if this version is newer than the backup's"
        )

"""`mutua payouts export --entity CODE -o FILE`: a SEPA pain.001 of every payout due;
`mutua payouts confirm --entity CODE`: mark paid the batches whose debit was imported;
`mutua payouts file --entity CODE --batch MSGID -o FILE`: write a batch's file again.

The command parses arguments and calls the actions; it holds no rule of its own. The file is
written (to a temporary name, then renamed) after the batch is committed; the batch keeps the
document, so a file lost then can be written again from it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.banking.models import PayoutBatch
from mutua.banking.payouts import (
    confirm_batches_from_statement,
    export_payouts,
    unconfirmed_debits,
)
from mutua.core.errors import DomainError
from mutua.entities.queries import entity_by_code


class Command(BaseCommand):
    def _write_again(self, entity: Any, options: dict[str, Any]) -> None:
        """A file lost after its batch was committed is written again from the stored XML."""
        batch = PayoutBatch.objects.filter(entity=entity, message_id=options["batch"]).first()
        if batch is None:
            raise CommandError(f"{entity.code} has no batch {options['batch']}")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"the folder {output.parent} does not exist")
        output.write_bytes(batch.document.encode("utf-8"))
        self.stdout.write(f"{output}: batch {batch.message_id} written again")

    help = "Payouts: export a SEPA credit transfer (pain.001.001.09), confirm paid batches."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export", help="batch every payout due into a pain.001 file")
        export.add_argument("--entity", required=True)
        export.add_argument("-o", "--output", required=True)
        export.add_argument("--date", help="requested execution date, YYYY-MM-DD (today)")
        confirm = sub.add_parser("confirm", help="confirm batches from imported debits")
        confirm.add_argument("--entity", required=True)
        again = sub.add_parser("file", help="write a recorded batch's pain.001 file again")
        again.add_argument("--entity", required=True)
        again.add_argument("--batch", required=True, help="the batch's message id")
        again.add_argument("-o", "--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            entity = entity_by_code(options["entity"])
            if options["subcommand"] == "confirm":
                batches = confirm_batches_from_statement(lines=unconfirmed_debits(entity))
                for batch in batches:
                    self.stdout.write(f"{batch.message_id}: paid on {batch.paid_on}")
                self.stdout.write(f"{len(batches)} batch(es) confirmed")
                return
            if options["subcommand"] == "file":
                self._write_again(entity, options)
                return
            on = dt.date.fromisoformat(options["date"]) if options["date"] else None
            result = export_payouts(entity=entity, execution_date=on)
        except ValueError as exc:
            raise CommandError(f"invalid date: {exc}") from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for skipped in result.skipped:
            self.stdout.write(f"skipped {skipped}")
        if result.batch is None:
            self.stdout.write("nothing due")
            return
        path = Path(options["output"])
        partial = path.with_name(path.name + ".part")
        try:
            partial.write_bytes(result.document)
            os.replace(partial, path)
        except OSError as exc:
            raise CommandError(
                f"batch {result.batch.message_id} is recorded but {path} could not be written: "
                f"{exc.strerror}"
            ) from exc
        batch = result.batch
        self.stdout.write(
            f"{path}: batch {batch.message_id}, {batch.item_count} payment(s), "
            f"{batch.total} {batch.currency}, execution {batch.execution_date}"
        )

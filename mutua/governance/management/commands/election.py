"""`mutua election count BALLOTS.csv --seats N --method stv|plurality --json` (DESIGN.md §5).

Counts a ballot file with the code the product counts with (mutua.governance.counting), so anyone
can recount a published ballot board.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mutua.core.errors import DomainError
from mutua.governance.counting import METHODS, CountResult, count_file


class Command(BaseCommand):
    help = "Count an election's ballot file (one ballot per line, candidates separated by '>')."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        counting = sub.add_parser("count", help="count a ballot file")
        counting.add_argument("ballots", help="the ballot file (e.g. downloaded from a board)")
        counting.add_argument("--seats", type=int, required=True)
        counting.add_argument("--method", choices=METHODS, required=True)
        counting.add_argument("--json", action="store_true", help="print the count as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        text = _read(options["ballots"])
        try:
            result = count_file(text, seats=options["seats"], method=options["method"])
        except DomainError as exc:
            raise CommandError(f"{options['ballots']}: {exc.message}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_summary(result))


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CommandError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not a UTF-8 text file") from exc
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror})") from exc


def _summary(result: CountResult) -> str:
    lines = [
        f"{result.method}: {result.ballots} ballots ({result.blank} blank), {result.seats} seats"
    ]
    if result.quota is not None:
        lines.append(f"quota (Droop): {result.quota}")
    for round_ in result.rounds:
        change = (
            f"elected {', '.join(round_.elected)}"
            if round_.elected
            else f"excluded {', '.join(round_.excluded)}"
            if round_.excluded
            else f"surplus of {round_.transferred_from} at {round_.transfer_value}"
        )
        lines.append(f"round {round_.number}: {change}")
    for name, votes in result.tallies.items():
        lines.append(f"{votes:>8} {name}")
    lines.append(f"elected: {', '.join(result.elected)}")
    return "\n".join(lines) + "\n"

"""Receipts are kept for the legal period (7 years in Belgium), then their files are purged by
an idempotent command with a dry run."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management import call_command

from mutua.expenses import actions
from mutua.expenses.models import Receipt
from mutua.expenses.receipts import absolute
from tests.expenses.conftest import submitted


def purge(*args: str) -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("expenses", "purge-receipts", "--entity", "BE", "--json", *args, stdout=out)
    result: list[dict[str, Any]] = json.loads(out.getvalue())
    return result


def test_receipts_are_purged_after_seven_full_years_once(world: dict[str, Any]) -> None:
    claim = actions.approve_claim(
        actor=world["adviser"], claim=submitted(world["alice"], world["activity"])
    )
    receipt = claim.receipts.get()
    assert purge("--on", "2033-12-31")[0]["receipts"] == 0  # decided 2026: kept through 2033
    dry = purge("--on", "2034-01-01", "--dry-run")[0]
    assert (dry["receipts"], dry["files_deleted"], dry["dry_run"]) == (1, 0, True)
    assert absolute(receipt.path).exists()
    done = purge("--on", "2034-01-01")[0]
    assert (done["receipts"], done["files_deleted"], done["retention_years"]) == (1, 1, 7)
    assert not absolute(receipt.path).exists()
    assert Receipt.objects.get(pk=receipt.pk).purged_at is not None
    assert purge("--on", "2034-01-01")[0]["receipts"] == 0

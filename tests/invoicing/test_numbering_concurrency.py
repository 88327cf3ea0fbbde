"""Invoice numbers stay gapless and unique when many members issue at the same moment.

PostgreSQL only: SQLite serialises every writer, so it cannot show a race.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from mutua.invoicing.actions import LineInput, create_draft_invoice, issue_invoice
from mutua.invoicing.models import Invoice
from mutua.ledger.queries import verify_books
from tests.conftest import make_member
from tests.ledger.conftest import books, make_activity, make_client

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)
WORKERS, PER_WORKER = 4, 5


def test_concurrent_issues_get_consecutive_unique_numbers(transactional_db: Any) -> None:
    entity = books("BE", years=(2026,))
    drafts = []
    for _ in range(WORKERS):
        member = make_member(entity)
        activity = make_activity(entity, holder=member.person)
        client = make_client(entity)
        drafts.append(
            [
                create_draft_invoice(
                    actor=member.person.user,
                    activity=activity,
                    client=client,
                    lines=[LineInput("Work", Decimal("1"), Decimal("100.00"))],
                )
                for _ in range(PER_WORKER)
            ]
        )
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def issue_all(mine: list[Invoice]) -> None:
        try:
            start.wait()
            for invoice in mine:
                issue_invoice(
                    actor=invoice.activity.participants.get().person.user,
                    invoice=invoice,
                    on=dt.date(2026, 5, 4),
                )
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue_all, args=(mine,)) for mine in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"2026-{n:06d}" for n in range(1, WORKERS * PER_WORKER + 1)]
    assert verify_books() == []

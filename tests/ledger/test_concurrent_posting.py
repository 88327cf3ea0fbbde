"""Several connections post to the same accounts at once (PostgreSQL only: SQLite lets one
writer in at a time, so there is no race to lose there)."""

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from mutua.entities.models import Entity
from mutua.ledger import queries
from mutua.ledger.actions import post_entries_bulk, post_entry
from mutua.ledger.models import Entry
from tests.ledger.conftest import books, make_activity, sale

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)
WORKERS = 4
PER_WORKER = 15


def run_in_threads(work: Any) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def worker(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def check_books(entity: Entity, entries: int) -> None:
    numbers = sorted(Entry.objects.filter(entity=entity).values_list("number", flat=True))
    assert numbers == list(range(1, entries + 1))
    assert queries.verify_books([entity]) == []


def test_concurrent_postings_lose_no_update_and_leave_no_gap(transactional_db: Any) -> None:
    entity = books("BE")
    studio = make_activity(entity)

    def post_many(n: int) -> None:
        for i in range(PER_WORKER):
            post_entry(
                sale(entity, "1.25", activity=studio),
                acting_user=None,
                idempotency_key=f"w{n}.{i}",
            )

    assert run_in_threads(post_many) == []
    total = Decimal("1.25") * WORKERS * PER_WORKER
    assert queries.activity_balance(studio) == total
    balances = {row.code: row.balance for row in queries.trial_balance(entity)}
    assert balances == {"400000": total, "700000": -total}
    check_books(entity, WORKERS * PER_WORKER)


def test_concurrent_bulk_postings_and_replays_stay_consistent(transactional_db: Any) -> None:
    entity = books("BE")
    studio = make_activity(entity)
    drafts = [
        sale(entity, "2.00", on=dt.date(2025, 1 + n % 12, 3), activity=studio) for n in range(40)
    ]

    def post_batch(n: int) -> None:
        # Half the workers replay the same keys: the second to come must change nothing.
        keys = [f"batch{n % 2}.{i}" for i in range(len(drafts))]
        post_entries_bulk(drafts, acting_user=None, idempotency_keys=keys)

    assert run_in_threads(post_batch) == []
    posted = Entry.objects.filter(entity=entity).count()
    assert posted == 80  # each key set posted once, whoever won
    assert queries.activity_balance(studio) == Decimal("2.00") * posted
    check_books(entity, posted)

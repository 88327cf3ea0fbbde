"""Two members book the same slot at the same instant: exactly one wins (PostgreSQL only:
SQLite lets one writer in at a time, so there is no race to lose there)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from mutua.core.errors import StateConflict
from mutua.services import workspace
from mutua.services.models import Booking
from mutua.services.workspace import book_resource
from tests.services.conftest import books_balance, budget, coop, later, make_resource

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]


def test_two_simultaneous_bookings_of_one_slot_exactly_one_wins(monkeypatch: Any) -> None:
    # Without the friendly look-up before the insert, only the database can say no.
    monkeypatch.setattr(workspace, "_overlapping", lambda *args: Booking.objects.none())
    c = coop("BE")
    studio = make_resource(c)
    start = later()
    players = [(c.alice.person.user, c.alice_activity), (c.bob.person.user, c.bob_activity)]
    barrier = threading.Barrier(len(players))
    outcomes: list[Any] = []

    def attempt(user: Any, activity: Any) -> None:
        try:
            barrier.wait()
            outcomes.append(
                book_resource(
                    actor=user,
                    resource=studio,
                    activity=activity,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=2),
                )
            )
        except BaseException as exc:  # reported below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=p) for p in players]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [o for o in outcomes if isinstance(o, Booking)]
    lost = [o for o in outcomes if not isinstance(o, Booking)]
    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], StateConflict) and "just been booked" in lost[0].message
    assert Booking.objects.filter(status="confirmed").count() == 1
    spent = budget(c.alice_activity) + budget(c.bob_activity)
    assert spent == Decimal("2000.00") - won[0].price  # the loser paid nothing
    books_balance(c.entity)

"""Races on PostgreSQL (SQLite lets one writer in at a time, so there is no race to lose there):
two members book the same slot at the same instant, four members take the last seat."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from mutua.core.errors import StateConflict
from mutua.services.actions import workspace
from mutua.services.actions.training import enrol, schedule_session
from mutua.services.actions.workspace import book_resource
from mutua.services.models import Booking, Enrolment
from tests.conftest import make_member
from tests.ledger.conftest import make_activity
from tests.services.conftest import books_balance, budget, coop, fund, later, make_resource

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
    outcomes = run_together(
        lambda pair: book_resource(
            actor=pair[0],
            resource=studio,
            activity=pair[1],
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
        ),
        players,
    )
    won = [o for o in outcomes if isinstance(o, Booking)]
    lost = [o for o in outcomes if not isinstance(o, Booking)]
    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], StateConflict) and "just been booked" in lost[0].message
    assert Booking.objects.filter(status="confirmed").count() == 1
    spent = budget(c.alice_activity) + budget(c.bob_activity)
    assert spent == Decimal("2000.00") - won[0].price  # the loser paid nothing
    books_balance(c.entity)


def run_together(work: Any, args: list[Any]) -> list[Any]:
    barrier = threading.Barrier(len(args))
    outcomes: list[Any] = []

    def attempt(arg: Any) -> None:
        try:
            barrier.wait()
            outcomes.append(work(arg))
        except BaseException as exc:  # reported to the test
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(a,)) for a in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_four_members_taking_the_last_seat_leave_one_enrolled_and_three_waiting() -> None:
    c = coop("BE")
    members = [c.alice, c.bob, make_member(c.entity), make_member(c.entity)]
    activities = [c.alice_activity, c.bob_activity]
    for m in members[2:]:
        activities.append(make_activity(c.entity, holder=m.person))
        fund(activities[-1], "1000.00")
    session = schedule_session(
        actor=c.staff,
        entity=c.entity,
        topic="Pricing your work",
        trainer="Ann",
        starts_at=later(days=3),
        ends_at=later(days=3) + dt.timedelta(hours=2),
        capacity=1,
        price=Decimal("40.00"),
        online_url="https://meet.example/pricing",
    )
    outcomes = run_together(
        lambda pair: enrol(actor=pair[0].person.user, session=session, activity=pair[1]),
        list(zip(members, activities, strict=True)),
    )
    assert all(isinstance(o, Enrolment) for o in outcomes), outcomes
    statuses = sorted(Enrolment.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == ["enrolled", "waiting", "waiting", "waiting"]
    assert sum(budget(a) for a in activities) == Decimal("3960.00")  # one seat charged
    books_balance(c.entity)

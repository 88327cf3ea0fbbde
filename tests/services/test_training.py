"""Training: seats charged to the activity, a waiting list promoted in order, attendance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.services.actions.training import (
    cancel_enrolment,
    cancel_session,
    enrol,
    record_attendance,
    schedule_session,
)
from mutua.services.models import Enrolment, TrainingSession
from tests.conftest import make_member
from tests.ledger.conftest import make_activity
from tests.services.conftest import Coop, books_balance, budget, fund, later, make_resource
from tests.services.test_workspace import book


def session(c: Coop, *, seats: int = 1, price: str = "50.00") -> TrainingSession:
    return schedule_session(
        actor=c.staff,
        entity=c.entity,
        topic="Invoicing your work",
        trainer="Claire Dubois",
        starts_at=later(days=7),
        ends_at=later(days=7) + dt.timedelta(hours=3),
        capacity=seats,
        price=Decimal(price),
        online_url="https://meet.example/invoicing",
    )


def seat(c: Coop, s: TrainingSession, member: Any, activity: Any, **kw: Any) -> Enrolment:
    return enrol(actor=member.person.user, session=s, activity=activity, **kw)


def test_a_seat_is_charged_and_the_full_session_puts_the_next_on_the_waiting_list(be: Coop) -> None:
    s = session(be)
    first = seat(be, s, be.alice, be.alice_activity)
    second = seat(be, s, be.bob, be.bob_activity)
    assert (first.status, second.status) == ("enrolled", "waiting")
    assert budget(be.alice_activity) == Decimal("950.00")
    assert budget(be.bob_activity) == Decimal("1000.00")  # nothing charged while waiting


def test_a_freed_seat_goes_to_the_first_waiting_who_is_then_charged(be: Coop) -> None:
    s = session(be)
    first = seat(be, s, be.alice, be.alice_activity)
    second = seat(be, s, be.bob, be.bob_activity)
    cancel_enrolment(actor=be.alice.person.user, enrolment=first)
    assert Enrolment.objects.get(pk=second.pk).status == "enrolled"
    assert budget(be.alice_activity) == Decimal("1000.00")  # refunded: well before the start
    assert budget(be.bob_activity) == Decimal("950.00")
    books_balance(be.entity)


def test_a_waiting_member_whose_budget_is_short_is_passed_over(be: Coop) -> None:
    s = session(be, price="900.00")
    carol = make_member(be.entity)
    poor = make_activity(be.entity, holder=carol.person)
    fund(poor, "1000.00")
    first = seat(be, s, be.alice, be.alice_activity)
    waiting_bob = seat(be, s, be.bob, be.bob_activity)
    seat(be, s, carol, poor)
    book(
        be,
        make_resource(be, hourly="200.00", daily="0"),
        start=later(),
        hours=1,
        who=be.bob.person.user,
        activity=be.bob_activity,
    )  # Bob now has 800 left
    cancel_enrolment(actor=be.alice.person.user, enrolment=first)
    statuses = dict(Enrolment.objects.filter(session=s).values_list("person_id", "status"))
    assert statuses[waiting_bob.person_id] == "waiting"
    assert statuses[carol.person_id] == "enrolled"


def test_a_member_cannot_enrol_twice_nor_charge_someone_elses_activity(be: Coop) -> None:
    s = session(be, seats=3)
    seat(be, s, be.alice, be.alice_activity)
    with pytest.raises(StateConflict):
        seat(be, s, be.alice, be.alice_activity)
    with pytest.raises(AccessDenied):
        seat(be, s, be.bob, be.alice_activity)
    with pytest.raises(InvalidInput):
        seat(be, s, be.bob, None)
    assert budget(be.alice_activity) == Decimal("950.00")


def test_a_free_session_needs_no_activity(be: Coop) -> None:
    s = session(be, price="0")
    assert seat(be, s, be.alice, None).status == "enrolled"


def test_late_cancellation_keeps_the_charge(be: Coop) -> None:
    s = session(be, seats=2)
    mine = seat(be, s, be.alice, be.alice_activity)
    cancel_enrolment(
        actor=be.alice.person.user, enrolment=mine, now=s.starts_at - dt.timedelta(hours=5)
    )
    assert budget(be.alice_activity) == Decimal("950.00")


def test_bob_cannot_cancel_alices_seat(be: Coop) -> None:
    s = session(be, seats=2)
    mine = seat(be, s, be.alice, be.alice_activity)
    with pytest.raises(AccessDenied):
        cancel_enrolment(actor=be.bob.person.user, enrolment=mine)
    assert Enrolment.objects.get(pk=mine.pk).status == "enrolled"


def test_attendance_is_recorded_by_staff_after_the_start(be: Coop) -> None:
    s = session(be, seats=2)
    came = seat(be, s, be.alice, be.alice_activity)
    absent = seat(be, s, be.bob, be.bob_activity)
    with pytest.raises(StateConflict):
        record_attendance(actor=be.staff, session=s, present={came.pk})
    after = s.starts_at + dt.timedelta(hours=1)
    with pytest.raises(AccessDenied):
        record_attendance(actor=be.alice.person.user, session=s, present={came.pk}, now=after)
    record_attendance(actor=be.staff, session=s, present={came.pk}, now=after)
    assert Enrolment.objects.get(pk=came.pk).attended is True
    assert Enrolment.objects.get(pk=absent.pk).attended is False


def test_a_cancelled_session_refunds_every_seat(be: Coop) -> None:
    s = session(be, seats=1)
    seat(be, s, be.alice, be.alice_activity)
    seat(be, s, be.bob, be.bob_activity)
    assert cancel_session(actor=be.staff, session=s) == 2
    assert budget(be.alice_activity) == Decimal("1000.00")
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"cancelled"}
    books_balance(be.entity)


def test_a_free_seat_cannot_name_someone_elses_activity(be: Coop) -> None:
    s = session(be, price="0")
    with pytest.raises(AccessDenied):
        seat(be, s, be.bob, be.alice_activity)
    assert not Enrolment.objects.exists()

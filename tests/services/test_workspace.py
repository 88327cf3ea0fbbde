"""Booking a workspace resource: priced, charged to the activity, no overlaps, cancellation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation, StateConflict
from mutua.ledger.models import Entry
from mutua.services.actions.workspace import book_resource, cancel_booking
from mutua.services.models import Booking
from tests.services.conftest import Coop, books_balance, budget, later, make_resource


def book(c: Coop, resource, *, start: dt.datetime, hours: int = 2, who=None, activity=None):
    return book_resource(
        actor=who or c.alice.person.user,
        resource=resource,
        activity=activity or c.alice_activity,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
    )


def test_it_charges_the_booking_to_the_activity(be: Coop) -> None:
    studio = make_resource(be)
    booking = book(be, studio, start=later(), hours=3)
    assert booking.price == Decimal("30.00")
    assert budget(be.alice_activity) == Decimal("970.00")
    entry = Entry.objects.get(pk=booking.charge_entry_id)
    assert entry.idempotency_key == f"services:booking:{booking.pk}"
    books_balance(be.entity)


def test_a_long_booking_costs_the_day_price_per_started_day(be: Coop) -> None:
    studio = make_resource(be)
    booking = book(be, studio, start=later(), hours=30)  # one day capped at 60 + 6 hours
    assert booking.price == Decimal("120.00")


def test_an_overlapping_slot_is_refused_and_nothing_is_charged(be: Coop) -> None:
    studio = make_resource(be)
    book(be, studio, start=later(hour=10), hours=2)
    with pytest.raises(StateConflict):
        book(be, studio, start=later(hour=11), who=be.bob.person.user, activity=be.bob_activity)
    assert budget(be.bob_activity) == Decimal("1000.00")
    book(be, studio, start=later(hour=12), who=be.bob.person.user, activity=be.bob_activity)


def test_the_database_refuses_an_overlap_the_action_did_not_see(be: Coop) -> None:
    studio = make_resource(be)
    first = book(be, studio, start=later(hour=10), hours=2)
    twin = Booking(
        entity=be.entity,
        resource=studio,
        activity=be.bob_activity,
        booked_by=be.bob.person.user,
        starts_at=first.starts_at + dt.timedelta(minutes=30),
        ends_at=first.ends_at,
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_a_cancelled_slot_can_be_booked_again(be: Coop) -> None:
    studio = make_resource(be)
    first = book(be, studio, start=later(days=5))
    cancel_booking(actor=be.alice.person.user, booking=first)
    book(be, studio, start=later(days=5), who=be.bob.person.user, activity=be.bob_activity)


def test_a_charge_above_the_budget_is_refused_clearly(be: Coop) -> None:
    studio = make_resource(be, hourly="600.00", daily="0")
    with pytest.raises(RuleViolation, match="too small"):
        book(be, studio, start=later(), hours=2)
    assert not Booking.objects.exists()
    assert budget(be.alice_activity) == Decimal("1000.00")


def test_early_cancellation_is_free_and_late_cancellation_is_charged(be: Coop) -> None:
    studio = make_resource(be)
    early = book(be, studio, start=later(days=5))
    cancel_booking(actor=be.alice.person.user, booking=early)
    assert budget(be.alice_activity) == Decimal("1000.00")
    late = book(be, studio, start=later(days=5))
    cancel_booking(
        actor=be.alice.person.user, booking=late, now=late.starts_at - dt.timedelta(hours=2)
    )
    assert budget(be.alice_activity) == Decimal("980.00")
    books_balance(be.entity)
    with pytest.raises(StateConflict):
        cancel_booking(actor=be.alice.person.user, booking=late)


def test_bob_can_neither_charge_nor_cancel_alices_activity(be: Coop) -> None:
    studio = make_resource(be)
    with pytest.raises(AccessDenied):
        book(be, studio, start=later(), who=be.bob.person.user)
    booking = book(be, studio, start=later())
    with pytest.raises(AccessDenied):
        cancel_booking(actor=be.bob.person.user, booking=booking)
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


def test_bad_slots_are_refused(be: Coop) -> None:
    studio = make_resource(be)
    with pytest.raises(InvalidInput):
        book(be, studio, start=later(days=-1))
    with pytest.raises(InvalidInput):
        book(be, studio, start=later(), hours=0)

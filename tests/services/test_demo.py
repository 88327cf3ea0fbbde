"""The services demo builds through the actions on a funded entity, and only once."""

from __future__ import annotations

import random

from mutua.services.demo import build_services_demo
from mutua.services.models import Booking, Enrolment, Loan
from tests.conftest import make_entity
from tests.services.conftest import Coop, books_balance


def test_the_demo_builds_every_service_once(be: Coop) -> None:
    counts = build_services_demo(be.entity, random.Random(7))
    assert counts["resources"] == 4 and counts["sessions"] == 3
    assert counts["bookings"] == 2 and Booking.objects.count() == 2
    assert Enrolment.objects.filter(status="waiting").count() == 0  # two members, two seats
    assert set(Loan.objects.values_list("status", flat=True)) == {"requested", "disbursed"}
    assert counts["advice_requests"] == 2
    books_balance(be.entity)
    assert build_services_demo(be.entity, random.Random(7)) == {"places": 0}


def test_an_entity_without_an_adviser_gets_no_services(db: None) -> None:
    assert build_services_demo(make_entity("BE"), random.Random(1)) == {"places": 0}

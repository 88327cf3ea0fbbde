"""Services API: the same rules as the pages; others' ids are 404 and change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.test import Client as Browser

from mutua.core.permissions import Role
from mutua.members import actions as member_actions
from mutua.services.actions.insurance import set_employer_cover
from mutua.services.models import Booking
from tests.conftest import make_staff
from tests.services.conftest import Coop, budget, later, make_resource

JSON = "application/json"


def api(user: Any) -> Browser:
    _token, plaintext = member_actions.create_access_token(user=user, name="api")
    return Browser(headers={"Authorization": f"Bearer {plaintext}"})


def test_a_member_books_and_cancels_through_the_api(be: Coop) -> None:
    studio = make_resource(be)
    alice = api(be.alice.person.user)
    assert [r["id"] for r in alice.get("/api/v1/services/resources").json()] == [studio.pk]
    start = later(days=4)
    body = {
        "resource_id": studio.pk,
        "activity_id": be.alice_activity.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
    }
    created = alice.post("/api/v1/services/bookings", body, content_type=JSON)
    assert created.status_code == 201 and created.json()["price"] == "10.00"
    clash = api(be.bob.person.user).post(
        "/api/v1/services/bookings", body | {"activity_id": be.bob_activity.pk}, content_type=JSON
    )
    assert clash.status_code == 409 and clash.json()["code"] == "state_conflict"
    booking_id = created.json()["id"]
    bob_cancel = api(be.bob.person.user).post(f"/api/v1/services/bookings/{booking_id}/cancel")
    assert bob_cancel.status_code == 404
    assert Booking.objects.get(pk=booking_id).status == "confirmed"
    cancelled = alice.post(f"/api/v1/services/bookings/{booking_id}/cancel")
    assert cancelled.json()["refunded"] is True
    assert budget(be.alice_activity) == Decimal("1000.00")


def test_a_member_cannot_charge_another_members_activity(be: Coop) -> None:
    studio = make_resource(be)
    start = later()
    response = api(be.bob.person.user).post(
        "/api/v1/services/bookings",
        {
            "resource_id": studio.pk,
            "activity_id": be.alice_activity.pk,
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
        },
        content_type=JSON,
    )
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_loans_and_advice_are_private(be: Coop) -> None:
    alice, bob = api(be.alice.person.user), api(be.bob.person.user)
    loan = alice.post(
        "/api/v1/services/loans",
        {
            "activity_id": be.alice_activity.pk,
            "kind": "bridge",
            "principal": "600.00",
            "months": 6,
            "method": "linear",
            "purpose": "Waiting for a grant",
        },
        content_type=JSON,
    )
    assert loan.status_code == 201 and len(loan.json()["schedule"]) == 6
    assert bob.get(f"/api/v1/services/loans/{loan.json()['id']}").status_code == 404
    assert bob.get("/api/v1/services/loans").json() == []
    asked = alice.post(
        "/api/v1/services/advice",
        {"entity": "BE", "topic": "social", "subject": "Parental leave", "body": "How?"},
        content_type=JSON,
    )
    assert asked.status_code == 201
    advice_id = asked.json()["id"]
    assert bob.get(f"/api/v1/services/advice/{advice_id}").status_code == 404
    reply = bob.post(
        f"/api/v1/services/advice/{advice_id}/messages", {"body": "hi"}, content_type=JSON
    )
    assert reply.status_code == 404
    answered = api(be.staff).post(
        f"/api/v1/services/advice/{advice_id}/messages", {"body": "Like so"}, content_type=JSON
    )
    assert answered.json()["status"] == "answered"


def test_insurance_rates_are_for_the_entitys_staff(be: Coop) -> None:
    set_employer_cover(
        actor=be.staff,
        entity=be.entity,
        kind="work_accident",
        rate=Decimal("0.012"),
        valid_from=dt.date(2024, 1, 1),
        insurer="Insurer",
        mandatory=True,
    )
    url = f"/api/v1/services/insurance-rates?entity={be.entity.code}&on=2025-06-30"
    officer = api(make_staff(be.entity, Role.PAYROLL_OFFICER)).get(url)
    assert officer.status_code == 200 and officer.json()["total"] == "0.01200"
    assert api(be.alice.person.user).get(url).status_code == 404

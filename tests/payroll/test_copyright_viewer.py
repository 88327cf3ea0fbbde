"""A viewer of an activity looks at it and asks it for no money: copyright payments follow the
rule of every other money request (holders and co-managers of the open activity)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client

from mutua.activities.actions import share_activity
from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.members import actions as member_actions
from mutua.payroll.copyright import request_copyright_payment
from mutua.payroll.models import CopyrightPayment
from tests.conftest import make_member, make_staff
from tests.ledger.conftest import books, make_activity
from tests.payroll.conftest import fund

DAY = dt.date(2026, 5, 12)


@pytest.fixture
def studio(db: Any) -> dict[str, Any]:
    entity = books("BE", years=(2026,))
    make_staff(entity, Role.ADVISER)
    alice, vera, carl = (make_member(entity).person for _ in range(3))
    activity = make_activity(entity, holder=alice)
    fund(activity, "5000.00")
    share_activity(actor=alice.user, activity=activity, person=vera, role="viewer")
    share_activity(actor=alice.user, activity=activity, person=carl, role="co_manager")
    return {"activity": activity, "alice": alice, "vera": vera, "carl": carl}


def ask(studio: dict[str, Any], who: str) -> CopyrightPayment:
    return request_copyright_payment(
        acting_user=studio[who].user,
        activity=studio["activity"],
        gross=D("100.00"),
        work="Fresco",
        on=DAY,
    )


def test_a_viewer_cannot_ask_the_activity_for_a_copyright_payment(studio: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        ask(studio, "vera")
    assert not CopyrightPayment.objects.exists()


def test_holders_and_co_managers_still_can(studio: dict[str, Any]) -> None:
    assert ask(studio, "alice").person == studio["alice"]
    assert ask(studio, "carl").person == studio["carl"]


def test_the_api_refuses_the_viewer_too(studio: dict[str, Any]) -> None:
    _token, plaintext = member_actions.create_access_token(user=studio["vera"].user, name="api")
    api = Client(headers={"Authorization": f"Bearer {plaintext}"})
    body = {"activity_id": studio["activity"].pk, "gross": "100.00", "work": "Fresco"}
    response = api.post("/api/v1/copyright-payments", body, content_type="application/json")
    assert response.status_code == 404
    assert not CopyrightPayment.objects.exists()

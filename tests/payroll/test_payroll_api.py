"""Payroll API (router mounted under /api/v1/): copyright payments and annual documents, with
the same access rules as the pages. Exercised through django-ninja's test client on the router."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from ninja.testing import TestClient

from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.payroll.api import router
from tests.conftest import make_staff
from tests.payroll.test_copyright import studio  # noqa: F401  (fixture)

client = TestClient(router)


def test_a_member_previews_and_requests_and_staff_approve(studio: dict[str, Any]) -> None:  # noqa: F811
    alice, activity = studio["alice"].user, studio["activity"].pk
    body = {"activity_id": activity, "gross": "1000.00", "work": "Mural"}
    preview = client.post("/copyright-payments/preview", json=body, user=alice).json()
    assert preview["figures"]["withholding"] == "75.00" and preview["most"] == "2500.00"
    made = client.post("/copyright-payments", json=body, user=alice)
    assert made.status_code == 201 and made.json()["status"] == "requested"
    payment_id = made.json()["id"]
    approved = client.post(f"/copyright-payments/{payment_id}/approve", user=studio["adviser"])
    assert approved.json()["status"] == "approved" and approved.json()["net"] == "925.00"
    listed = client.get("/copyright-payments", user=alice).json()
    assert [p["id"] for p in listed] == [payment_id]
    assert client.get("/copyright-payments", user=studio["bob"].user).json() == []
    with pytest.raises(NotFound):
        client.get(f"/copyright-payments/{payment_id}", user=studio["bob"].user)
    with pytest.raises(NotFound):
        client.post("/copyright-payments", json=body, user=studio["bob"].user)
    year = timezone.localdate().year
    path = f"/annual-documents/{studio['entity'].pk}/{year}/281.45/{studio['alice'].pk}"
    form = client.get(path, user=alice).json()
    assert form["figures"] == {
        "gross": "1000.00",
        "flat_costs": "500.00",
        "taxable": "500.00",
        "withholding": "75.00",
        "net": "925.00",
    }
    officer = make_staff(studio["entity"], Role.PAYROLL_OFFICER)
    assert client.get(path, user=officer).json()["kind"] == "281.45"
    with pytest.raises(NotFound):
        client.get(path, user=studio["bob"].user)

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as Browser
from django.utils import timezone

from mutua.members import actions as member_actions
from tests.conftest import make_member
from tests.ledger.conftest import books


def api_client(user: Any) -> Browser:
    _token, plaintext = member_actions.create_access_token(user=user, name="api")
    return Browser(headers={"Authorization": f"Bearer {plaintext}"})


@pytest.fixture
def two(db: Any) -> Any:
    entity = books("BE", years=(timezone.localdate().year,))
    return make_member(entity), make_member(entity)


def test_a_member_runs_the_loop_through_the_api(two: Any) -> None:
    alice, bob = two
    api = api_client(alice.person.user)
    activity = api.post(
        "/api/v1/activities", {"entity": "BE", "name": "Band"}, content_type="application/json"
    )
    assert activity.status_code == 201
    client = api.post(
        "/api/v1/clients",
        {"entity": "BE", "name": "Ancienne Belgique", "country": "BE", "vat_number": "0403170701"},
        content_type="application/json",
    )
    assert client.status_code == 201 and client.json()["peppol_id"] == ""
    draft = api.post(
        "/api/v1/invoices",
        {
            "activity_id": activity.json()["id"],
            "client_id": client.json()["id"],
            "lines": [{"description": "Gig", "quantity": "1", "unit_price": "1500.00"}],
        },
        content_type="application/json",
    )
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    invoice_id = draft.json()["id"]
    issued = api.post(f"/api/v1/invoices/{invoice_id}/issue")
    assert issued.json()["total_incl_vat"] == "1815.00"
    assert issued.json()["payment_reference"].startswith("+++")
    again = api.post(f"/api/v1/invoices/{invoice_id}/issue")
    assert again.status_code == 409
    assert api.get(f"/api/v1/invoices/{invoice_id}/ubl").status_code == 200
    balance = api.get(f"/api/v1/activities/{activity.json()['id']}").json()["balance"]
    assert balance == "1402.50"  # 1500 - 6.5 %

    other = api_client(bob.person.user)
    for url in (
        f"/api/v1/activities/{activity.json()['id']}",
        f"/api/v1/clients/{client.json()['id']}",
        f"/api/v1/invoices/{invoice_id}",
        f"/api/v1/invoices/{invoice_id}/pdf",
    ):
        assert other.get(url).status_code == 404, url
    assert other.get("/api/v1/invoices").json() == []
    forged = other.post(
        "/api/v1/invoices",
        {
            "activity_id": activity.json()["id"],
            "client_id": client.json()["id"],
            "lines": [{"description": "x", "quantity": "1", "unit_price": "1.00"}],
        },
        content_type="application/json",
    )
    assert forged.status_code == 404


def test_bad_input_is_a_4xx_with_the_field(two: Any) -> None:
    alice, _ = two
    api = api_client(alice.person.user)
    bad_vat = api.post(
        "/api/v1/clients",
        {"entity": "BE", "name": "X", "country": "BE", "vat_number": "BE0403170702"},
        content_type="application/json",
    )
    assert bad_vat.status_code == 400 and bad_vat.json()["field"] == "vat_number"
    assert api.get("/api/v1/invoices?status=lost").status_code == 400


def test_order_forms_through_the_api_and_the_client_link(two: Any) -> None:
    alice, bob = two
    api = api_client(alice.person.user)
    activity = api.post(
        "/api/v1/activities", {"entity": "BE", "name": "Band"}, content_type="application/json"
    ).json()
    client = api.post(
        "/api/v1/clients",
        {"entity": "BE", "name": "Club", "country": "BE", "email": "club@example.test"},
        content_type="application/json",
    ).json()
    year = timezone.localdate().year
    form = api.post(
        "/api/v1/order-forms",
        {
            "activity_id": activity["id"],
            "client_id": client["id"],
            "description": "Two concerts",
            "start_date": f"{year}-12-01",
            "end_date": f"{year}-12-02",
            "working_days": "2",
            "amount_excl_vat": "1200.00",
        },
        content_type="application/json",
    )
    assert form.status_code == 201 and form.json()["status"] == "draft"
    sent = api.post(f"/api/v1/order-forms/{form.json()['id']}/send").json()
    assert sent["order_form"]["status"] == "sent" and "/order-forms/confirm/" in sent["client_link"]
    other = api_client(bob.person.user)
    assert other.get(f"/api/v1/order-forms/{form.json()['id']}").status_code == 404
    assert other.post(f"/api/v1/order-forms/{form.json()['id']}/send").status_code == 404
    assert other.get("/api/v1/order-forms").json() == []


def test_huge_amounts_are_a_400_not_a_crash(two: Any) -> None:
    alice, _ = two
    api = api_client(alice.person.user)
    activity = api.post(
        "/api/v1/activities", {"entity": "BE", "name": "Band"}, content_type="application/json"
    ).json()
    client = api.post(
        "/api/v1/clients",
        {"entity": "BE", "name": "Club", "country": "BE", "email": "club@example.test"},
        content_type="application/json",
    ).json()
    invoice = api.post(
        "/api/v1/invoices",
        {
            "activity_id": activity["id"],
            "client_id": client["id"],
            "lines": [{"description": "x", "quantity": "1", "unit_price": "1e30"}],
        },
        content_type="application/json",
    )
    # Refused by the schema (mutua.core.inputs: at most 10,000,000.00), at the field.
    assert invoice.status_code == 422
    assert invoice.json()["detail"][0]["loc"][-1] == "unit_price"
    year = timezone.localdate().year
    form = api.post(
        "/api/v1/order-forms",
        {
            "activity_id": activity["id"],
            "client_id": client["id"],
            "description": "x",
            "start_date": f"{year}-12-01",
            "end_date": f"{year}-12-02",
            "working_days": "1e30",
            "amount_excl_vat": "1e30",
        },
        content_type="application/json",
    )
    assert form.status_code == 422

"""The public simulator page: no login, a form, the breakdown and its waterfall."""

from __future__ import annotations

from django.test import Client


def test_it_shows_the_form_without_login(client: Client) -> None:
    response = client.get("/pay/simulator/")
    assert response.status_code == 200
    assert b'name="amount"' in response.content


def test_it_shows_the_breakdown_and_the_chart(client: Client) -> None:
    response = client.get(
        "/pay/simulator/",
        {
            "country": "BE",
            "on": "2025-03-01",
            "mode": "gross",
            "amount": "3750",
            "marital": "married",
            "partner_income": "yes",
            "children": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "2537.06" in body  # ACLVB 2025 published case
    assert "<svg" in body and "<title" in body  # chart with its text alternative
    assert "<table" in body


def test_bad_input_is_shown_as_an_error(client: Client) -> None:
    response = client.get("/pay/simulator/", {"country": "BE", "on": "2019-01-01", "amount": "100"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()

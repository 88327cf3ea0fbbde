from collections.abc import Callable
from typing import Any

from django.test import Client

from mutua.members import actions
from mutua.members.models import Membership


def test_me_requires_authentication(db: object) -> None:
    assert Client().get("/api/v1/me").status_code == 401


def test_me_with_a_session(alice: Membership, client_for: Callable[[Any], Client]) -> None:
    body = client_for(alice.person.user).get("/api/v1/me").json()
    assert body["email"] == alice.person.user.email
    assert body["memberships"][0]["number"] == alice.number
    assert body["person"]["first_name"] == alice.person.first_name


def test_me_with_a_personal_access_token(alice: Membership) -> None:
    _token, plaintext = actions.create_access_token(user=alice.person.user, name="cli")
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 200
    assert response.json()["memberships"][0]["entity"]["code"] == alice.entity.code
    bad = Client().get("/api/v1/me", headers={"Authorization": "Bearer mutua_forged"})
    assert bad.status_code == 401


def test_a_forged_id_returns_404_not_the_other_members_data(
    alice: Membership, bob: Membership
) -> None:
    _token, plaintext = actions.create_access_token(user=alice.person.user, name="cli")
    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    assert client.get(f"/api/v1/people/{alice.person_id}").status_code == 200
    for url in (f"/api/v1/people/{bob.person_id}", f"/api/v1/memberships/{bob.pk}"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert bob.person.last_name not in response.content.decode()


def test_the_openapi_schema_is_published(db: object) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]

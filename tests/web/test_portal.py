from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from mutua.entities.models import Entity
from mutua.members.models import Membership, Person
from tests.conftest import identity_for, make_user


def test_anonymous_visitors_are_sent_to_the_login_page(db: object) -> None:
    response = Client().get(reverse("portal:home"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_new_user_is_told_what_to_do_first(
    entity_be: Entity, client_for: Callable[[Any], Client]
) -> None:
    response = client_for(make_user()).get(reverse("portal:home"))
    assert response.status_code == 200
    assert reverse("portal:apply") in response.content.decode()
    assert "Apply to join" in response.content.decode()


def test_a_user_applies_to_join_through_the_form(
    entity_be: Entity, client_for: Callable[[Any], Client]
) -> None:
    user = make_user()
    identity = identity_for("BE")
    data = {
        "entity": entity_be.pk,
        "first_name": "Zoé",
        "last_name": "Lambert",
        "country": "BE",
        "national_number": identity.national_number,
        "iban": identity.iban,
        "preferred_language": "fr",
    }
    response = client_for(user).post(reverse("portal:apply"), data)
    assert response.status_code == 302
    membership = Membership.objects.get(person__user=user)
    assert membership.status == "applicant" and membership.person.first_name == "Zoé"


def test_an_invalid_iban_is_shown_next_to_its_field_and_nothing_is_saved(
    entity_be: Entity, client_for: Callable[[Any], Client]
) -> None:
    data = {
        "entity": entity_be.pk,
        "first_name": "Zoé",
        "last_name": "Lambert",
        "country": "BE",
        "iban": "BE00 1234 5678 9012",
        "preferred_language": "en",
    }
    response = client_for(make_user()).post(reverse("portal:apply"), data)
    assert response.status_code == 200
    assert "IBAN" in response.context["form"].errors["iban"][0]
    assert not Person.objects.exists()


def test_the_home_page_shows_the_membership(
    alice: Membership, client_for: Callable[[Any], Client]
) -> None:
    page = client_for(alice.person.user).get(reverse("portal:home")).content.decode()
    assert alice.number in page and alice.entity.name in page


def test_a_member_cannot_open_another_members_file_by_changing_the_id(
    alice: Membership, bob: Membership, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(alice.person.user)
    assert client.get(reverse("portal:person", args=[alice.person_id])).status_code == 200
    response = client.get(reverse("portal:person", args=[bob.person_id]))
    assert response.status_code == 404
    assert bob.person.last_name not in response.content.decode()


def test_household_form_saves_and_reports_errors(
    alice: Membership, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(alice.person.user)
    url = reverse("portal:edit_household")
    bad = {"marital_status": "married", "dependent_children": 1, "disabled_dependent_children": 3}
    response = client.post(url, bad)
    assert response.status_code == 400
    assert response.context["household_form"].errors["disabled_dependent_children"]
    good = {"marital_status": "married", "dependent_children": 3, "disabled_dependent_children": 1}
    assert client.post(url, good).status_code == 302
    alice.person.refresh_from_db()
    assert alice.person.dependent_children == 3 and not alice.person.partner_has_income


def test_tokens_are_created_shown_once_and_revoked_from_the_profile(
    alice: Membership, bob: Membership, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(alice.person.user)
    response = client.post(reverse("portal:create_token"), {"name": "script"})
    plaintext = response.context["new_token"]
    assert plaintext in response.content.decode()
    token = alice.person.user.access_tokens.get()
    other = client_for(bob.person.user)
    assert other.post(reverse("portal:revoke_token", args=[token.pk])).status_code == 404
    assert client.post(reverse("portal:revoke_token", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_pages_speak_french_and_dutch(
    alice: Membership, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(alice.person.user)
    client.post(reverse("set_language"), {"language": "fr", "next": "/portal/"})
    assert "Mes adhésions" in client.get(reverse("portal:home")).content.decode()
    client.post(reverse("set_language"), {"language": "nl", "next": "/portal/"})
    assert "Mijn lidmaatschappen" in client.get(reverse("portal:home")).content.decode()

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.members.models import Membership
from tests.conftest import make_member, make_staff


def test_members_get_403_and_anonymous_users_a_login_redirect(
    alice: Membership, client_for: Callable[[Any], Client]
) -> None:
    assert client_for(alice.person.user).get(reverse("backoffice:home")).status_code == 403
    assert Client().get(reverse("backoffice:home")).status_code == 302


def test_staff_without_a_second_factor_must_set_one_up(
    entity_be: Entity, client_for: Callable[[Any], Client]
) -> None:
    adviser = make_staff(entity_be, Role.ADVISER, mfa=False)
    response = client_for(adviser).get(reverse("backoffice:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_adviser_lands_on_the_counted_queue_and_approves(
    entity_be: Entity, adviser_be: Any, client_for: Callable[[Any], Client]
) -> None:
    applicant = make_member(entity_be, approve=False)
    client = client_for(adviser_be)
    home = client.get(reverse("backoffice:home"))
    assert home.context["queues"][0]["count"] == 1
    queue = client.get(reverse("backoffice:applications")).content.decode()
    assert applicant.person.full_name in queue
    response = client.post(
        reverse("backoffice:approve", args=[applicant.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "BE-00001" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.status == "active"


def test_double_submission_of_an_approval_changes_nothing_more(
    entity_be: Entity, adviser_be: Any, client_for: Callable[[Any], Client]
) -> None:
    applicant = make_member(entity_be, approve=False)
    client = client_for(adviser_be)
    url = reverse("backoffice:approve", args=[applicant.pk])
    client.post(url)
    response = client.post(url, headers={"HX-Request": "true"})
    # htmx 2 swaps only 2xx answers: the refusal comes back as the row carrying the message.
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "cannot approve" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.number == "BE-00001"


def test_an_adviser_cannot_decide_on_another_entitys_applicant_by_id(
    entity_be: Entity, adviser_be: Any, client_for: Callable[[Any], Client]
) -> None:
    from tests.conftest import make_entity

    french = make_member(make_entity("FR"), approve=False)
    client = client_for(adviser_be)
    assert client.post(reverse("backoffice:approve", args=[french.pk])).status_code == 404
    assert client.get(reverse("backoffice:membership", args=[french.pk])).status_code == 404
    french.refresh_from_db()
    assert french.status == "applicant"


def test_the_member_file_shows_its_audited_history(
    entity_be: Entity, adviser_be: Any, alice: Membership, client_for: Callable[[Any], Client]
) -> None:
    page = client_for(adviser_be).get(reverse("backoffice:membership", args=[alice.pk]))
    text = page.content.decode()
    assert "membership.apply" in text and "membership.approve" in text


def test_the_held_payouts_page_is_linked_for_those_who_release_them(
    entity_be: Entity, adviser_be: Any, client_for: Callable[[Any], Client]
) -> None:
    link = reverse("portal:held_payouts")
    accountant = make_staff(entity_be, Role.ACCOUNTANT)
    assert link in client_for(accountant).get(reverse("backoffice:home")).content.decode()
    assert link not in client_for(adviser_be).get(reverse("backoffice:home")).content.decode()

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.ledger.models import Account
from mutua.members.models import Membership
from tests.conftest import make_staff
from tests.ledger.conftest import books, make_activity, post, sale


def test_the_accountant_browses_trial_balance_entries_and_accounts(
    books_be: Entity, accountant_be: Any, client_for: Callable[[Any], Client]
) -> None:
    entry = post(sale(books_be, "321.00"))
    client = client_for(accountant_be)
    page = client.get(reverse("ledger:trial_balance", args=[books_be.pk]))
    assert page.status_code == 200 and "321.00" in page.content.decode()
    payload = client.get(reverse("ledger:trial_balance", args=[books_be.pk]) + "?format=json")
    assert payload.json()["totals"] == {"EUR": {"debit": "321.00", "credit": "321.00"}}
    csv = client.get(reverse("ledger:trial_balance", args=[books_be.pk]) + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and b"400000" in csv.content
    assert (
        entry.reference
        in client.get(reverse("ledger:entries", args=[books_be.pk])).content.decode()
    )
    assert client.get(reverse("ledger:entry", args=[entry.pk])).status_code == 200
    receivable = Account.objects.get(entity=books_be, code="400000")
    statement = client.get(
        reverse("ledger:account", args=[receivable.pk])
        + "?start=2025-01-01&end=2025-12-31&format=json"
    ).json()
    assert statement["closing"] == "321.00"
    ledger = client.get(
        reverse("ledger:general_ledger", args=[books_be.pk]) + "?start=2025-01-01&end=2025-12-31"
    )
    assert ledger.status_code == 200


def test_an_adviser_or_another_entitys_accountant_cannot_open_the_books(
    books_be: Entity, client_for: Callable[[Any], Client]
) -> None:
    entry = post(sale(books_be))
    adviser = client_for(make_staff(books_be, Role.ADVISER))
    assert adviser.get(reverse("ledger:trial_balance", args=[books_be.pk])).status_code == 404
    other = client_for(make_staff(books("FR"), Role.ACCOUNTANT))
    assert other.get(reverse("ledger:entry", args=[entry.pk])).status_code == 404
    assert other.get(reverse("ledger:trial_balance", args=[books_be.pk])).status_code == 404


def test_members_are_kept_out_of_the_staff_pages(
    alice: Membership, client_for: Callable[[Any], Client]
) -> None:
    url = reverse("ledger:trial_balance", args=[alice.entity.pk])
    assert client_for(alice.person.user).get(url).status_code == 403


def test_a_member_sees_their_activity_statement_and_not_another_members(
    alice: Membership, bob: Membership, client_for: Callable[[Any], Client]
) -> None:
    from mutua.ledger.actions import set_up_ledger

    entity = alice.entity
    set_up_ledger(entity=entity, years=[2025])
    studio = make_activity(entity, holder=alice.person)
    band = make_activity(entity, holder=bob.person)
    post(sale(entity, "900.00", activity=studio))
    post(sale(entity, "50.00", activity=band))
    url = (
        reverse("ledger:activity_statement", args=[studio.pk]) + "?start=2025-01-01&end=2025-12-31"
    )
    mine = client_for(alice.person.user).get(url + "&format=json").json()
    assert (mine["came_in"], mine["went_out"], mine["balance"]) == ("900.00", "0.00", "900.00")
    assert client_for(alice.person.user).get(url).status_code == 200
    assert client_for(bob.person.user).get(url).status_code == 404
    theirs = reverse("ledger:activity_statement", args=[band.pk])
    assert client_for(alice.person.user).get(theirs).status_code == 404
    assert Client().get(url).status_code == 302


def test_staff_of_the_entity_may_open_an_activity_statement(
    books_be: Entity, accountant_be: Any, client_for: Callable[[Any], Client]
) -> None:
    studio = make_activity(books_be)
    post(sale(books_be, "10.00", on=dt.date(2025, 2, 1), activity=studio))
    url = (
        reverse("ledger:activity_statement", args=[studio.pk])
        + "?start=2025-01-01&end=2025-12-31&format=csv"
    )
    response = client_for(accountant_be).get(url)
    assert response.status_code == 200
    assert json.dumps("10.00").strip('"') in response.content.decode()

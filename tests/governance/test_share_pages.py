"""Share pages: a member sees and acts on their own shares only; the register is staff's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from mutua.core.permissions import Role
from mutua.governance.models import ShareClass, Subscription
from mutua.governance.queries import shares_held
from mutua.governance.share_actions import confirm_share_payment, register_shareholder
from mutua.members.models import Membership
from tests.conftest import make_entity, make_staff
from tests.governance.conftest import DAY, shareholder, subscribe

pytestmark = pytest.mark.django_db
Login = Callable[[Any], Client]


def test_a_member_subscribes_and_downloads_their_certificate(
    alice: Membership, class_a: ShareClass, board_be: Any, client_for: Login
) -> None:
    browser = client_for(alice.person.user)
    answer = browser.post(
        "/governance/shares/",
        {"share_class": class_a.pk, "quantity": 3, "method": "transfer"},
        follow=True,
    )
    subscription = Subscription.objects.get(holder__person=alice.person)
    assert subscription.payment_reference in answer.content.decode()
    # One subscription of a class awaits payment at a time: this one is paid, then issued.
    confirm_share_payment(subscription=subscription, paid_on=DAY, acting_user=board_be)
    pdf = browser.get(f"/governance/shares/{subscription.holder_id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_member_cannot_reach_another_members_shares(
    alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any, client_for: Login
) -> None:
    holder = shareholder(alice, class_a, 2, board_be)
    browser = client_for(bob.person.user)
    assert browser.get(f"/governance/shares/{holder.pk}/certificate.pdf").status_code == 404
    assert browser.post(f"/governance/shares/{holder.pk}/withdraw/").status_code == 404
    assert browser.get("/governance/shares/999999/certificate.pdf").status_code == 404
    assert alice.person.full_name not in browser.get("/governance/shares/").content.decode()
    assert shares_held(holder) == 2
    assert browser.get(f"/governance/register/{alice.entity_id}/").status_code == 403


def test_staff_confirm_a_payment_and_export_a_safe_register(
    alice: Membership, class_a: ShareClass, board_be: Any, client_for: Login
) -> None:
    subscription = subscribe(alice, class_a, 2)
    staff = client_for(board_be)
    page = staff.get(f"/governance/register/{alice.entity_id}/")
    assert subscription.payment_reference in page.content.decode()
    staff.post(f"/governance/register/subscriptions/{subscription.pk}/confirm/")
    assert shares_held(subscription.holder) == 2
    csv = staff.get(f"/governance/register/{alice.entity_id}/?format=csv").content.decode()
    assert f",{alice.person.full_name}," in csv and ",60.00" in csv
    assert staff.get(f"/governance/register/{alice.entity_id}/?format=pdf").content[:4] == b"%PDF"


def test_csv_cells_starting_like_a_formula_are_quoted(
    entity_be: Any, board_be: Any, client_for: Login
) -> None:
    import datetime as dt

    register_shareholder(
        entity=entity_be,
        on=dt.date(2026, 1, 5),
        acting_user=board_be,
        name="=1+2",
        company_number="0123.456.789",
        address="Rue 1, Bruxelles",
    )
    csv = client_for(board_be).get(f"/governance/register/{entity_be.pk}/?format=csv")
    assert ",'=1+2," in csv.content.decode()


def test_staff_of_another_entity_get_404(
    alice: Membership, class_a: ShareClass, client_for: Login
) -> None:
    subscription = subscribe(alice, class_a, 1)
    other = make_staff(make_entity("BE2", country="BE"), Role.BOARD)
    browser = client_for(other)
    assert browser.get(f"/governance/register/{alice.entity_id}/").status_code == 404
    answer = browser.post(f"/governance/register/subscriptions/{subscription.pk}/confirm/")
    assert answer.status_code == 404
    assert shares_held(subscription.holder) == 0


def test_the_api_returns_only_the_callers_shares(
    alice: Membership, bob: Membership, class_a: ShareClass, board_be: Any, client_for: Login
) -> None:
    shareholder(alice, class_a, 2, board_be)
    shareholder(bob, class_a, 5, board_be)
    mine = client_for(alice.person.user).get("/api/v1/governance/shares").json()
    assert [(h["quantity"], h["paid_up"]) for h in mine[0]["holdings"]] == [(2, "60.00")]
    assert len(mine) == 1


def test_staff_register_a_sister_entity_and_subscribe_for_it(
    entity_be: Any, class_a: ShareClass, board_be: Any, client_for: Login
) -> None:
    from mutua.governance.models import Shareholder

    sister = make_entity("FR", country="FR")
    staff = client_for(board_be)
    staff.post(f"/governance/register/{entity_be.pk}/holders/", {"sister_entity": sister.pk})
    holder = Shareholder.objects.get(sister_entity=sister)
    staff.post(
        f"/governance/register/{entity_be.pk}/subscriptions/",
        {
            "holder_number": holder.number,
            "share_class": class_a.pk,
            "quantity": 100,
            "method": "transfer",
        },
    )
    subscription = Subscription.objects.get(holder=holder)
    assert subscription.amount == 3000 and subscription.payment_reference
    page = staff.get(f"/governance/register/{entity_be.pk}/").content.decode()
    assert sister.legal_name in page

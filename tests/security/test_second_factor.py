"""Staff reach nothing with a password alone: not through Django's admin login, not through the
API, not with a session that skipped the second factor (issue "Security, second round")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.expenses.models import Claim, ClaimStatus
from mutua.members.models import StaffRole
from tests.conftest import MODEL_BACKEND, PASSWORD, make_member, make_staff
from tests.expenses.conftest import meal, submitted
from tests.ledger.conftest import books, make_activity, post, sale
from tests.members.mfa import frozen_process, login_with_second_factor, sign_in, totp_code


@pytest.fixture
def frozen(clock: Any) -> Iterator[Any]:
    with frozen_process(clock) as frozen_time:
        yield frozen_time


@pytest.fixture
def superuser(entity_be: Entity) -> Any:
    """An administrator who may use Django's admin (is_staff), TOTP set up."""
    user = make_staff(None, Role.ADMINISTRATOR)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def forced(user: Any) -> Client:
    """A session opened without allauth: no second factor passed."""
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


# --- finding 1: the admin login ------------------------------------------------------------------
def test_a_password_at_the_admin_login_opens_no_session(superuser: Any) -> None:
    browser = Client()
    response = browser.post(
        "/admin/login/?next=/admin/", {"username": superuser.username, "password": PASSWORD}
    )
    # The admin has no login form of its own any more: allauth's sign-in, then back.
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    assert "_auth_user_id" not in browser.session
    assert browser.get("/admin/").status_code == 302
    assert browser.get(reverse("backoffice:home")).status_code == 302
    assert browser.get("/api/v1/me").status_code == 401


def test_the_admin_opens_after_allauth_and_the_second_factor(superuser: Any, frozen: Any) -> None:
    browser = sign_in(Client(), superuser, code=totp_code())
    assert browser.get("/admin/").status_code == 200
    # Signed in already: the admin's login page just goes back where it was asked to.
    assert browser.get("/admin/login/?next=/admin/members/person/")["Location"] == (
        "/admin/members/person/"
    )


def test_the_admin_refuses_a_session_that_skipped_the_second_factor(superuser: Any) -> None:
    browser = forced(superuser)
    response = browser.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    # And the admin site itself says no, should the middleware ever be left out.
    request = RequestFactory().get("/admin/")
    request.user, request.session = superuser, browser.session
    assert admin.site.has_permission(request) is False
    request.session = login_with_second_factor(Client(), superuser).session
    assert admin.site.has_permission(request) is True


# --- finding 2: staff without TOTP, and sessions that did not pass it ----------------------------
@pytest.fixture
def claim(db: Any) -> Claim:
    entity = books("BE", years=(2026,))
    make_staff(entity, Role.ADVISER)
    alice = make_member(entity)
    activity = make_activity(entity, holder=alice.person)
    post(sale(entity, "1000.00", on=dt.date(2026, 5, 4), activity=activity))
    return submitted(alice, activity, meal(on=dt.date(2026, 6, 1)))


def test_staff_without_totp_cannot_act_through_the_api(claim: Claim) -> None:
    adviser = make_staff(claim.entity, Role.ADVISER, mfa=False)
    browser = forced(adviser)
    response = browser.post(f"/api/v1/expense-claims/{claim.pk}/approve")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "second_factor_required" and "TOTP" in body["message"]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert browser.get("/api/v1/me").status_code == 403
    # Pages send them to the TOTP set-up, which stays open to them.
    page = browser.get(reverse("backoffice:home"))
    assert (page.status_code, page["Location"]) == (302, reverse("mfa_activate_totp"))
    activate = browser.get(reverse("mfa_activate_totp"))  # after the password, asked again
    assert activate.status_code == 302
    assert activate["Location"].startswith(reverse("account_reauthenticate"))
    assert browser.get(activate["Location"]).status_code == 200


def test_a_session_that_skipped_the_second_factor_reaches_no_staff_page_nor_api(
    claim: Claim, frozen: Any
) -> None:
    adviser = StaffRole.objects.get(entity=claim.entity, role=Role.ADVISER).user
    browser = forced(adviser)  # TOTP set up, but never asked in this session
    page = browser.get(reverse("backoffice:home"))
    assert page.status_code == 302
    assert page["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fbackoffice%2F"
    api = browser.post(f"/api/v1/expense-claims/{claim.pk}/approve")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    # Entering the code in this session lets it through, back where it was going.
    code = browser.post(f"{reverse('mfa_reauthenticate')}?next=/backoffice/", {"code": totp_code()})
    assert (code.status_code, code["Location"]) == (302, "/backoffice/")
    assert browser.get(reverse("backoffice:home")).status_code == 200
    approved = browser.post(f"/api/v1/expense-claims/{claim.pk}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_a_wrong_code_lets_nothing_through(claim: Claim, frozen: Any) -> None:
    adviser = StaffRole.objects.get(entity=claim.entity, role=Role.ADVISER).user
    browser = forced(adviser)
    wrong = "000000" if totp_code() != "000000" else "111111"
    assert browser.post(reverse("mfa_reauthenticate"), {"code": wrong}).status_code == 200
    assert browser.get(reverse("backoffice:home")).status_code == 302


def test_members_are_not_asked_for_a_second_factor(claim: Claim) -> None:
    member = forced(claim.person.user)
    assert member.get(reverse("portal:home")).status_code == 200
    assert member.get("/api/v1/me").status_code == 200


def test_one_rule_answers_for_pages_api_and_tokens(claim: Claim) -> None:
    """What each kind of user meets, from the one function the middleware, the API and the
    admin ask."""
    from mutua.members.second_factor import second_factor_barrier

    request = RequestFactory().get("/backoffice/")
    request.session = Client().session
    without = make_staff(claim.entity, Role.ACCOUNTANT, mfa=False)
    with_totp = StaffRole.objects.get(entity=claim.entity, role=Role.ADVISER).user
    assert second_factor_barrier(request, claim.person.user) is None
    assert second_factor_barrier(request, without).kind == "enrol"  # type: ignore[union-attr]
    assert second_factor_barrier(request, without, by_token=True).kind == "enrol"  # type: ignore[union-attr]
    assert second_factor_barrier(request, with_totp).kind == "verify"  # type: ignore[union-attr]
    assert second_factor_barrier(request, with_totp, by_token=True) is None
    request.session = login_with_second_factor(Client(), with_totp).session
    assert second_factor_barrier(request, with_totp) is None

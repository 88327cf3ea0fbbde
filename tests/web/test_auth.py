from typing import Any

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from mutua.members.models import Membership
from tests.conftest import PASSWORD, make_user


def test_sign_up_requires_e_mail_verification(
    db: object, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    # The verification mail is queued once the sign-up commits (mutua.core.mail), then sent.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "new@example.test", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "new@example.test" in mail.outbox[0].to
    assert client.get(reverse("portal:home")).status_code == 302  # not signed in yet


def test_login_with_e_mail_and_password(db: object) -> None:
    make_user("login@example.test")
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "login@example.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_repeated_failures_lock_the_account(db: object) -> None:
    make_user("target@example.test")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": "target@example.test", "password": "no"})
    response = client.post(
        reverse("account_login"), {"login": "target@example.test", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert client.get(reverse("portal:home")).status_code == 302


def test_sessions_end_after_inactivity() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 30 * 60


def test_staff_with_mfa_are_asked_for_their_code_at_login(alice: Membership, adviser_be) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": adviser_be.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("backoffice:home")).status_code == 302

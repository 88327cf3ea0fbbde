"""Second-factor helpers for tests: the current TOTP code of the test secret, a real sign-in
through allauth (password, then code), and a forced login that also passed the second factor.

TOTP codes are computed from `time.time()`: tests using codes freeze the whole process (the
`frozen_process` below, as tests/expenses does), never read the wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from tests.conftest import MODEL_BACKEND, PASSWORD, SUITE_NOW, TOTP_SECRET


@contextmanager
def frozen_process(clock: Any) -> Iterator[Any]:
    """For a fixture: TOTP reads time.time(), so freeze the whole process at the suite's now.
    allauth remembers used codes in the cache: forget those of earlier tests (same user ids,
    same frozen instant, same code)."""
    cache.clear()
    clock.stand_down()
    with freeze_time(SUITE_NOW) as frozen_time:
        yield frozen_time


def totp_code(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client: Client, user: Any, *, code: str | None = None) -> Client:
    """E-mail and password at allauth's login, then the authenticator code."""
    first = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert first.status_code == 302 and first["Location"] == reverse("mfa_authenticate")
    second = client.post(reverse("mfa_authenticate"), {"code": code or totp_code()})
    assert second.status_code == 302, second.content
    return client


def login_with_second_factor(client: Client, user: Any) -> Client:
    """A forced login whose session holds allauth's record of a TOTP code entered: what a real
    sign-in leaves (for tests that are not about signing in)."""
    client.force_login(user, backend=MODEL_BACKEND)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return client

"""Signing in through the real login pages, staff with their second factor."""

from __future__ import annotations

import re
from typing import Any

from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import expect

from tests.conftest import PASSWORD, TOTP_SECRET


def totp_code() -> str:
    """The code an authenticator app shows now for the staff accounts' known secret."""
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(TOTP_SECRET, counter))


def sign_in(page: Any, email: str, *, staff: bool = False, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("e-?mail", re.I)).first.fill(email)
    page.get_by_label(re.compile("password", re.I)).first.fill(password)
    page.get_by_role("button", name="Sign In").click()
    if staff:
        expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
        page.locator("input[name=code]").fill(totp_code())
        page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile("/accounts/"))

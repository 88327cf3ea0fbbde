"""Signing in through the real login pages, staff with their second factor."""

from __future__ import annotations

import re
import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from tests.conftest import PASSWORD, TOTP_SECRET


def totp_code() -> str:
    """The code an authenticator app shows now for the staff accounts' known secret. Close to the
    end of its period, wait for the next code, as a person would: it must still hold when the
    server checks it."""
    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // period))


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

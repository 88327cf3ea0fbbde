"""Production settings (DEBUG off, a secret key, a host name) pass `mutua check --deploy` without
a single warning, and a page served with them carries CSP, HSTS and secure cookies.

Both run in a fresh process: the settings read the environment once, at import.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HOST = "mutua.example.org"
# A page fetched over HTTPS and over plain HTTP with the production settings; prints what a
# browser would keep.
PROBE = f"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
# Static files are collected at deployment; the headers do not depend on their manifest.
plain_storage = {{**settings.STORAGES, "staticfiles": {{
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}}}
override_settings(STORAGES=plain_storage).enable()
secure = Client(HTTP_HOST="{HOST}").get("/accounts/login/", secure=True)
plain = Client(HTTP_HOST="{HOST}").get("/accounts/login/")
csrf = secure.cookies["csrftoken"]
print(json.dumps({{
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "plain": [plain.status_code, plain.get("Location", "")],
    "csrf_cookie": {{"secure": bool(csrf["secure"]), "samesite": csrf["samesite"]}},
    "session_cookie": [
        settings.SESSION_COOKIE_SECURE,
        settings.SESSION_COOKIE_HTTPONLY,
        settings.SESSION_COOKIE_SAMESITE,
    ],
}}))
"""


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECURE_SSL_REDIRECT")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        MUTUA_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="mutua.settings",
    )
    # Production refuses to start without a shared cache; nothing here connects to it.
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    return env


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=production_env(tmp_path), capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_has_no_warning(tmp_path: Path) -> None:
    done = run(
        [sys.executable, "-m", "mutua.cli", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout, done.stdout + done.stderr


def test_production_responses_carry_csp_hsts_and_secure_cookies(tmp_path: Path) -> None:
    done = run([sys.executable, "-c", PROBE], tmp_path)
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    headers = seen["headers"]
    assert seen["status"] == 200
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    hsts = headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    # Plain HTTP is sent to HTTPS; cookies never travel in clear.
    assert seen["plain"][0] == 301 and seen["plain"][1].startswith(f"https://{HOST}/")
    assert seen["csrf_cookie"] == {"secure": True, "samesite": "Lax"}
    assert seen["session_cookie"] == [True, True, "Lax"]


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(alice: Any) -> None:
    """The test client skips CSRF checks by default; a browser without the token is refused."""
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import login

    browser = login(Client(enforce_csrf_checks=True), alice.person.user)
    response = browser.post(reverse("portal:create_token"), {"name": "stolen"})
    assert response.status_code == 403
    assert not alice.person.user.access_tokens.exists()

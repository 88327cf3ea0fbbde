"""Browsers ask every site for an icon: without one, each first page logs a 404 in the console
(the e2e console check ignores that one error until the site has an icon)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.mark.xfail(
    strict=True,
    reason="no site icon: base.html should link one from static/ (e.g. <link rel=icon "
    "href=img/mutua.svg>), or /favicon.ico should be served",
)
def test_pages_name_an_icon_the_browser_can_load(db: Any, client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page or client.get("/favicon.ico").status_code == 200

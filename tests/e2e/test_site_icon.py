"""Browsers ask every site for an icon: without one, each first page logs a 404 in the console
(base.html links an SVG icon from static/)."""

from __future__ import annotations

from typing import Any

from django.test import Client


def test_pages_name_an_icon_the_browser_can_load(db: Any, client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" type="image/svg+xml" href="/static/img/mutua.svg">' in page
    assert client.get("/static/img/mutua.svg").status_code == 200

import re

from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse


def test_every_asset_a_page_links_is_served_by_the_project(db: object) -> None:
    page = Client().get(reverse("account_login")).content.decode()
    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', page)
    assert {"css/mutua.css", "vendor/htmx-2.0.11.min.js"} <= set(assets)
    for asset in assets:
        assert finders.find(asset), f"{asset} is linked but not shipped"
    assert "//cdn" not in page and "https://" not in page.split("<body")[0]

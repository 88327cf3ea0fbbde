"""The pages: member isolation, writing and sending, the client's page, the adviser's queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import reverse

from mutua.core.errors import NotFound
from mutua.engagements.models import OrderForm
from mutua.engagements.queries import access_order_form
from mutua.invoicing.models import Invoice
from tests.conftest import make_member
from tests.engagements.conftest import draft, sent
from tests.ledger.conftest import make_activity, make_client


@pytest.fixture
def bob(shop: dict[str, Any]) -> dict[str, Any]:
    """Another member of the same entity, with his own activity and client."""
    member = make_member(shop["entity"])
    activity = make_activity(shop["entity"], holder=member.person)
    client = make_client(shop["entity"], "Bob's client")
    order_form = OrderForm.objects.create(
        entity=shop["entity"],
        activity=activity,
        client=client,
        created_by=member.person.user,
        description="Bob's work",
        start_date=dt.date(2026, 4, 1),
        end_date=dt.date(2026, 4, 1),
        working_days=Decimal("1"),
        amount_excl_vat=Decimal("300.00"),
    )
    return {"user": member.person.user, "order_form": order_form}


def test_members_only_reach_order_forms_of_their_activities(
    shop: dict[str, Any], bob: dict[str, Any], client_for: Callable[[Any], Browser]
) -> None:
    mine = draft(shop)
    assert access_order_form(shop["user"], mine.pk) == mine
    for user, other in ((shop["user"], bob["order_form"]), (bob["user"], mine)):
        with pytest.raises(NotFound):
            access_order_form(user, other.pk)
        browser = client_for(user)
        for name in ("detail", "edit"):
            assert browser.get(reverse(f"engagements:{name}", args=[other.pk])).status_code == 404
        for name in ("send", "cancel"):
            assert browser.post(reverse(f"engagements:{name}", args=[other.pk])).status_code == 404
    assert access_order_form(shop["adviser"], mine.pk) == mine  # staff of the entity see it
    with pytest.raises(NotFound):
        access_order_form(shop["user"], 999999)
    listing = client_for(shop["user"]).get(reverse("engagements:list")).content.decode()
    assert mine.reference in listing and bob["order_form"].reference not in listing


def test_the_member_writes_and_sends_an_order_form_from_the_pages(
    shop: dict[str, Any],
    client_for: Callable[[Any], Browser],
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    from mutua.clients.models import ClientUser

    ClientUser.objects.create(client=shop["client"], person=shop["person"])
    browser = client_for(shop["user"])
    assert browser.get(reverse("engagements:create")).status_code == 200
    fields = {
        "activity": shop["activity"].pk,
        "client": shop["client"].pk,
        "description": "Rigging",
        "start_date": "2026-04-01",
        "end_date": "2026-04-02",
        "working_days": "2",
        "amount_excl_vat": "800",
        "reinvoiced_expenses": "0",
        "vat_rate_name": "standard",
    }
    wrong = browser.post(reverse("engagements:create"), {**fields, "end_date": "2026-03-30"})
    assert wrong.status_code == 400 and "before the first day" in wrong.content.decode()
    assert not OrderForm.objects.exists()
    response = browser.post(reverse("engagements:create"), fields)
    order_form = OrderForm.objects.get()
    assert response.url == reverse("engagements:detail", args=[order_form.pk])
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("engagements:send", args=[order_form.pk]))
    order_form.refresh_from_db()
    assert order_form.status == "sent" and len(mailoutbox) == 1
    assert "http://testserver/order-forms/confirm/" in mailoutbox[0].body


def test_the_client_reads_and_confirms_without_an_account(
    shop: dict[str, Any], client_for: Callable[[Any], Browser]
) -> None:
    order_form, token = sent(shop)
    url = reverse("engagements:confirm", args=[token])
    browser = Browser()
    page = browser.get(url)
    assert page.status_code == 200 and "Light design" in page.content.decode()
    response = browser.post(
        url, {"decision": "confirm"}, REMOTE_ADDR="192.0.2.9", HTTP_USER_AGENT="Phone browser"
    )
    assert response.status_code == 302
    order_form.refresh_from_db()
    assert (order_form.status, order_form.response_ip, order_form.response_user_agent) == (
        "invoiced",
        "192.0.2.9",
        "Phone browser",
    )
    again = browser.post(url, {"decision": "confirm"})
    assert again.status_code == 409 and "You confirmed this order on" in again.content.decode()
    assert Invoice.objects.count() == 1
    detail = client_for(shop["user"]).get(reverse("engagements:detail", args=[order_form.pk]))
    text = detail.content.decode()
    assert "2026-000001" in text and "Work contracts requested" in text and "192.0.2.9" in text


def test_the_client_page_speaks_the_clients_language(shop: dict[str, Any]) -> None:
    shop["client"].language = "nl"
    shop["client"].save()
    _, token = sent(shop)
    page = Browser().get(reverse("engagements:confirm", args=[token])).content.decode()
    assert "Ik bevestig deze bestelling" in page
    french = Browser().get(reverse("engagements:confirm", args=[token]) + "?lang=fr")
    assert "Je confirme cette commande" in french.content.decode()


def test_refusing_without_a_reason_shows_the_error_and_writes_nothing(
    shop: dict[str, Any],
) -> None:
    order_form, token = sent(shop)
    url = reverse("engagements:confirm", args=[token])
    response = Browser().post(url, {"decision": "refuse", "reason": ""})
    assert response.status_code == 400 and "give a reason" in response.content.decode()
    order_form.refresh_from_db()
    assert order_form.status == "sent" and order_form.responded_at is None
    Browser().post(url, {"decision": "refuse", "reason": "No budget"})
    order_form.refresh_from_db()
    assert (order_form.status, order_form.refusal_reason) == ("refused", "No budget")


def test_bad_links_get_a_clear_page_and_nothing_is_written(
    shop: dict[str, Any], _frozen: Any
) -> None:
    order_form, token = sent(shop)
    forged = Browser().post(
        reverse("engagements:confirm", args=[token[:-3] + "abc"]), {"decision": "confirm"}
    )
    assert forged.status_code == 404 and "not valid" in forged.content.decode()
    _frozen.tick(dt.timedelta(days=31))
    expired = Browser().post(reverse("engagements:confirm", args=[token]), {"decision": "confirm"})
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    order_form.refresh_from_db()
    assert order_form.status == "sent" and not Invoice.objects.exists()


def test_the_adviser_queue_lists_and_validates(
    shop: dict[str, Any], client_for: Callable[[Any], Browser]
) -> None:
    shop["entity"].order_forms_need_validation = True
    shop["entity"].save()
    order_form, token = sent(shop)
    Browser().post(reverse("engagements:confirm", args=[token]), {"decision": "confirm"})
    adviser = client_for(shop["adviser"])
    queue = adviser.get(reverse("engagements:queue"))
    assert queue.status_code == 200 and order_form.reference in queue.content.decode()
    assert client_for(shop["user"]).get(reverse("engagements:queue")).status_code == 403
    member_try = client_for(shop["user"]).post(
        reverse("engagements:validate", args=[order_form.pk])
    )
    assert member_try.status_code == 403
    adviser.post(reverse("engagements:validate", args=[order_form.pk]))
    order_form.refresh_from_db()
    assert order_form.status == "invoiced" and order_form.validated_by == shop["adviser"]


def test_the_member_edits_what_the_client_sent_back_and_sends_it_again(
    shop: dict[str, Any], client_for: Callable[[Any], Browser]
) -> None:
    from mutua.clients.models import ClientUser
    from mutua.engagements.actions import request_changes_by_client

    ClientUser.objects.create(client=shop["client"], person=shop["person"])
    order_form, token = sent(shop)
    browser = client_for(shop["user"])
    assert browser.get(reverse("engagements:edit", args=[order_form.pk])).status_code == 302
    request_changes_by_client(token=token, message="Add the Saturday", ip=None, user_agent="")
    page = browser.get(reverse("engagements:edit", args=[order_form.pk]))
    assert "Add the Saturday" in page.content.decode()
    browser.post(
        reverse("engagements:edit", args=[order_form.pk]),
        {
            "client": shop["client"].pk,
            "description": "Light design, with the Saturday",
            "start_date": "2026-04-01",
            "end_date": "2026-04-04",
            "working_days": "4",
            "amount_excl_vat": "2000",
            "reinvoiced_expenses": "0",
            "vat_rate_name": "standard",
        },
    )
    order_form.refresh_from_db()
    assert (order_form.status, order_form.working_days) == ("changes_requested", Decimal("4"))
    browser.post(reverse("engagements:send", args=[order_form.pk]))
    order_form.refresh_from_db()
    assert (order_form.status, order_form.link_version) == ("sent", 2)
    old = Browser().get(reverse("engagements:confirm", args=[token]))
    assert old.status_code == 400 and "has changed" in old.content.decode()

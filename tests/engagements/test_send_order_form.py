"""Sending an order form: a signed link by e-mail, after the commit, a new version each time."""

from __future__ import annotations

from typing import Any

import pytest

from mutua.core.errors import InvalidInput, StateConflict
from mutua.engagements.actions import cancel_order_form, send_order_form
from mutua.engagements.links import read_token
from tests.engagements.conftest import SITE, draft, sent


def test_sending_mails_the_client_a_link_after_the_commit(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    order_form = draft(shop)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        link = send_order_form(actor=shop["user"], order_form=order_form, site_url=SITE)
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    order_form.refresh_from_db()
    assert order_form.status == "sent" and order_form.link_version == 1
    assert link.startswith(f"{SITE}/order-forms/confirm/")
    (mail,) = mailoutbox
    assert mail.to == ["booking@theatre-namur.test"]
    assert link in mail.body and order_form.reference in mail.subject
    token = link.removeprefix(f"{SITE}/order-forms/confirm/").rstrip("/")
    assert read_token(token) == (order_form.pk, 1)


def test_the_mail_is_in_the_clients_language(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    shop["client"].language = "fr"
    shop["client"].save()
    with django_capture_on_commit_callbacks(execute=True):
        sent(shop)
    assert "Bon de commande" in mailoutbox[0].subject


def test_a_client_without_an_email_cannot_be_sent_anything(
    shop: dict[str, Any], mailoutbox: list[Any]
) -> None:
    shop["client"].email = ""
    shop["client"].save()
    order_form = draft(shop)
    with pytest.raises(InvalidInput) as refused:
        send_order_form(actor=shop["user"], order_form=order_form, site_url=SITE)
    assert refused.value.field == "client"
    order_form.refresh_from_db()
    assert (order_form.status, order_form.link_version) == ("draft", 0)


def test_a_form_already_with_the_client_is_not_sent_twice(shop: dict[str, Any]) -> None:
    order_form, _ = sent(shop)
    with pytest.raises(StateConflict):
        send_order_form(actor=shop["user"], order_form=order_form, site_url=SITE)
    order_form.refresh_from_db()
    assert order_form.link_version == 1


def test_a_cancelled_form_cannot_be_sent(shop: dict[str, Any]) -> None:
    order_form = draft(shop)
    cancel_order_form(actor=shop["user"], order_form=order_form)
    with pytest.raises(StateConflict):
        send_order_form(actor=shop["user"], order_form=order_form, site_url=SITE)

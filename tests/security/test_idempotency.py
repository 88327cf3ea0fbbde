"""Security, second round: a member's repeated request does the thing once. "Send invoice" posted
twice (or ten times at once) queues one delivery per invoice and channel; a share subscription
asked twice (or ten times at once) awaits one payment. The database keeps it (partial unique
constraints); the actions answer the waiting one. The parallel tests need PostgreSQL (SQLite
lets one writer in at a time): DATABASE_URL=postgres://... pytest -m postgres."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client as Browser
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mutua.core.permissions import Role
from mutua.governance.models import ShareClass, Shareholder, Subscription
from mutua.governance.share_actions import cancel_subscription, define_share_class
from mutua.invoicing.models import Invoice, InvoiceDelivery
from mutua.invoicing.sending import deliver
from mutua.members.models import Membership
from tests.banking.conftest import Shop, shop_for
from tests.conftest import login, make_member, make_staff
from tests.ledger.conftest import books

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PARALLEL = 10
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)


def issued_with_email() -> tuple[Shop, Invoice]:
    shop = shop_for("BE")
    shop.client.email = "compta@theatre-namur.test"
    shop.client.save()
    return shop, shop.invoice("1000.00")


def board_and_class(membership: Membership) -> ShareClass:
    board = make_staff(membership.entity, Role.BOARD)
    return define_share_class(
        entity=membership.entity,
        code="A",
        name="Members",
        nominal_value=Decimal("30.00"),
        acting_user=board,
    )


def posts_at_once(post: Callable[[Browser], Any], browsers: list[Browser]) -> list[Any]:
    """Each browser posts from its own thread and connection, all released together."""
    barrier = threading.Barrier(len(browsers))
    outcomes: list[Any] = [None] * len(browsers)

    def attempt(n: int) -> None:
        try:
            barrier.wait()
            outcomes[n] = post(browsers[n]).status_code
        except BaseException as exc:  # reported by the test
            outcomes[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# --- sequential: any database -------------------------------------------------------------------
def test_sending_an_invoice_twice_queues_one_delivery(db: Any) -> None:
    shop, invoice = issued_with_email()
    browser = login(Browser(), shop.user)
    url = reverse("invoicing:send", args=[invoice.pk])
    first, second = browser.post(url), browser.post(url)
    assert first.status_code == second.status_code == 302
    waiting = InvoiceDelivery.objects.get(invoice=invoice)
    assert waiting.status == "queued"
    deliver(waiting.pk)  # it leaves: sending again is a new sending
    assert browser.post(url).status_code == 302
    assert InvoiceDelivery.objects.filter(invoice=invoice).count() == 2
    assert InvoiceDelivery.objects.filter(invoice=invoice, status="queued").count() == 1


def test_the_database_refuses_a_second_waiting_delivery(db: Any) -> None:
    _shop, invoice = issued_with_email()
    InvoiceDelivery.objects.create(invoice=invoice, channel="email", destination="a@b.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceDelivery.objects.create(invoice=invoice, channel="email", destination="a@b.test")


def test_subscribing_twice_awaits_one_payment(db: Any) -> None:
    alice = make_member(books("BE", years=(2026,)))
    share_class = board_and_class(alice)
    browser = login(Browser(), alice.person.user)
    url = reverse("governance:my_shares")
    form = {"share_class": share_class.pk, "quantity": "2", "method": "transfer"}
    assert browser.post(url, form).status_code == browser.post(url, form).status_code == 302
    pending = Subscription.objects.get()
    assert (pending.quantity, pending.status) == (2, "requested")
    other = browser.post(url, {**form, "quantity": "3"})
    assert other.status_code == 400 and "await payment" in str(other.context["form"].errors)
    cancel_subscription(subscription=pending, acting_user=alice.person.user)
    assert browser.post(url, {**form, "quantity": "3"}).status_code == 302
    assert Subscription.objects.filter(status="requested").get().quantity == 3
    assert Shareholder.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(
            entity=pending.entity,
            holder=pending.holder,
            share_class=share_class,
            quantity=1,
            amount=pending.amount,
            currency="EUR",
            method="transfer",
            requested_on=pending.requested_on,
        )


# --- parallel: PostgreSQL -------------------------------------------------------------------------
@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_send_posts_queue_one_delivery(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS  # the deliveries wait for the worker, as in production
    shop, invoice = issued_with_email()
    browsers = [login(Browser(), shop.user) for _ in range(PARALLEL)]
    url = reverse("invoicing:send", args=[invoice.pk])
    outcomes = posts_at_once(lambda browser: browser.post(url), browsers)
    assert outcomes == [302] * PARALLEL
    assert InvoiceDelivery.objects.filter(invoice=invoice).count() == 1
    waiting = DBTaskResult.objects.filter(task_path__endswith=".deliver_task")
    assert waiting.count() == 1  # one delivery task waits for the worker
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    assert InvoiceDelivery.objects.get(invoice=invoice).status == "sent"


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_subscriptions_await_one_payment() -> None:
    alice = make_member(books("BE", years=(2026,)))
    share_class = board_and_class(alice)
    browsers = [login(Browser(), alice.person.user) for _ in range(PARALLEL)]
    url = reverse("governance:my_shares")
    form = {"share_class": share_class.pk, "quantity": "1", "method": "transfer"}
    outcomes = posts_at_once(lambda browser: browser.post(url, form), browsers)
    assert outcomes == [302] * PARALLEL
    assert Subscription.objects.count() == 1 and Shareholder.objects.count() == 1

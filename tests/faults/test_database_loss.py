"""The database lost during a request: the member gets a 503 page in their language saying that
nothing was saved, and the action's transaction is rolled back whole (issue 10, item 3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mutua.api import api as api_module
from mutua.clients import views as client_views
from mutua.clients.models import Client as Customer
from mutua.clients.models import ClientUser
from mutua.core import audit
from mutua.core.models import AuditEvent
from mutua.members.models import Membership
from tests.conftest import login
from tests.faults.conftest import database_url, postgres_only

NOTHING_SAVED = (  # the 503 page's message, as in mutua/templates/503.html
    "We could not reach our database. Nothing was saved: what you just did has not been recorded."
)


def browser(user: Any, language: str = "fr") -> Client:
    """A member's browser that sees the error page instead of the test's exception."""
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return login(client, user)


def in_french(text: str) -> str:
    with translation.override("fr"):
        return translation.gettext(text)


def test_a_database_error_gives_a_503_page_in_the_members_language(
    alice: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(user: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(client_views, "visible_clients", unreachable)
    response = browser(alice.person.user).get(reverse("clients:list"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert '<html lang="fr">' in page and in_french(NOTHING_SAVED) in page


def test_the_api_answers_a_database_error_with_a_json_503(
    alice: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(user: Any) -> Any:
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(api_module, "memberships_of", unreachable)
    response = browser(alice.person.user, "en").get("/api/v1/me")
    assert response.status_code == 503
    assert "nothing was saved" in response.json()["detail"]


def test_any_other_error_gives_the_500_page(
    alice: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(user: Any) -> Any:
        raise ValueError("a bug")

    monkeypatch.setattr(client_views, "visible_clients", broken)
    response = browser(alice.person.user, "en").get(reverse("clients:list"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def terminate_own_backend_first(record: Callable[..., Any]) -> Callable[..., Any]:
    """Before the action's audit event, the server ends this request's session (as a restart
    or a failover would): the client and its link are written, the event and commit are not."""

    def cut_then_record(*args: Any, **kwargs: Any) -> Any:
        pid = connection.connection.info.backend_pid
        with psycopg.connect(database_url().replace("postgres://", "postgresql://")) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        return record(*args, **kwargs)

    return cut_then_record


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_connection_lost_mid_action_writes_nothing(
    alice: Membership, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = AuditEvent.objects.count()
    member = browser(alice.person.user)
    monkeypatch.setattr(audit, "record", terminate_own_backend_first(audit.record))
    form = {
        "entity": alice.entity_id,
        "kind": "person",
        "name": "Jeanne Dupont",
        "country": "BE",
        "language": "fr",
    }
    response = member.post(reverse("clients:add"), form)
    monkeypatch.undo()
    connection.close()  # the test's own session was the one terminated
    assert response.status_code == 503
    assert in_french(NOTHING_SAVED) in response.content.decode()
    assert not Customer.objects.exists() and not ClientUser.objects.exists()
    assert AuditEvent.objects.count() == events
    # The same form sent again once the database is back is saved.
    assert browser(alice.person.user).post(reverse("clients:add"), form).status_code == 302
    assert Customer.objects.get().name == "Jeanne Dupont"

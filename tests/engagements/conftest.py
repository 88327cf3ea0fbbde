"""An entity with its books, an adviser, a member with an activity and a client with an e-mail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from freezegun import freeze_time

from mutua.engagements.actions import OrderFormInput, create_order_form, send_order_form
from mutua.engagements.links import make_token
from mutua.engagements.models import OrderForm
from tests.conftest import make_member, make_staff
from tests.ledger.conftest import books, make_activity, make_client

NOW = "2026-03-16 10:00:00"
SITE = "https://mutua.test"


@pytest.fixture(autouse=True)
def _frozen(clock: Any) -> Any:
    clock.stand_down()  # links are signed with time.time(): freeze the whole process
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def shop(db: Any) -> dict[str, Any]:
    entity = books("BE", years=(2026,))
    adviser = make_staff(entity)
    member = make_member(entity)
    activity = make_activity(entity, holder=member.person)
    client = make_client(entity, "Théâtre de Namur")
    client.email = "booking@theatre-namur.test"
    client.save()
    return {
        "entity": entity,
        "adviser": adviser,
        "user": member.person.user,
        "person": member.person,
        "activity": activity,
        "client": client,
    }


def work(shop: dict[str, Any], **overrides: Any) -> OrderFormInput:
    values: dict[str, Any] = {
        "client": shop["client"],
        "description": "Light design for 'Le Cid'",
        "place": "Namur",
        "start_date": dt.date(2026, 4, 1),
        "end_date": dt.date(2026, 4, 3),
        "working_days": Decimal("3"),
        "amount_excl_vat": Decimal("1500.00"),
        "reinvoiced_expenses": Decimal("0"),
    }
    values.update(overrides)
    return OrderFormInput(**values)


def draft(shop: dict[str, Any], **overrides: Any) -> OrderForm:
    return create_order_form(
        actor=shop["user"], activity=shop["activity"], data=work(shop, **overrides)
    )


def sent(shop: dict[str, Any], **overrides: Any) -> tuple[OrderForm, str]:
    """A form sent to the client, and the token of its link."""
    order_form = draft(shop, **overrides)
    send_order_form(actor=shop["user"], order_form=order_form, site_url=SITE)
    order_form.refresh_from_db()
    return order_form, make_token(order_form)


def answer_from() -> dict[str, str]:
    return {"ip": "203.0.113.7", "user_agent": "Mozilla/5.0 (Test)"}

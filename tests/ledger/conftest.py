"""Ledger fixtures: entities whose books are set up from their country template."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from mutua.activities.models import Activity, ActivityParticipant
from mutua.clients.models import Client
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.ledger.actions import post_entry, set_up_ledger
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.models import Entry
from mutua.members.models import Person
from tests.conftest import make_entity, make_staff

_keys = itertools.count(1)
DAY = dt.date(2025, 3, 14)


def books(code: str = "BE", years: tuple[int, ...] = (2025,)) -> Entity:
    entity = make_entity(code)
    set_up_ledger(entity=entity, years=years)
    return entity


def make_activity(entity: Entity, *, holder: Person | None = None, number: str = "") -> Activity:
    activity = Activity.objects.create(
        entity=entity, number=number or f"A{next(_keys):05d}", name="Studio", activity_type="arts"
    )
    if holder is not None:
        ActivityParticipant.objects.create(activity=activity, person=holder, role="holder")
    return activity


def make_client(entity: Entity, name: str = "Théâtre National") -> Client:
    return Client.objects.create(entity=entity, name=name, country=entity.country)


def sale(
    entity: Entity,
    amount: str = "1000.00",
    *,
    on: dt.date = DAY,
    activity: Activity | None = None,
    client: Client | None = None,
    codes: tuple[str, str] = ("400000", "700000"),
) -> EntryDraft:
    """An invoice without VAT: the client owes what the activity earned."""
    value = Decimal(amount)
    return EntryDraft(
        entity_id=entity.pk,
        journal={"BE": "VEN", "SE": "FS"}.get(entity.country, "VT"),
        date=on,
        label="Invoice",
        lines=(
            LineDraft(codes[0], debit=value, client_id=client.pk if client else None),
            LineDraft(codes[1], credit=value, activity_id=activity.pk if activity else None),
        ),
    )


def post(draft: EntryDraft, *, user: Any = None, key: str | None = None) -> Entry:
    return post_entry(draft, acting_user=user, idempotency_key=key or f"k{next(_keys)}")


@pytest.fixture
def books_be(db: Any) -> Entity:
    return books("BE")


@pytest.fixture
def accountant_be(books_be: Entity) -> Any:
    return make_staff(books_be, Role.ACCOUNTANT)

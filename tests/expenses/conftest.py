"""Expense fixtures: a Belgian entity with books for 2025 and 2026, an activity Alice runs with
1,000 EUR of income, Bob beside her, an adviser, and small receipt files made on the spot."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal
from typing import Any

import pytest
from freezegun import freeze_time
from PIL import Image

from mutua.activities.models import Activity
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.expenses import actions
from mutua.expenses.actions import LineInput
from mutua.expenses.models import Claim
from mutua.members.models import Membership
from tests.conftest import make_member, make_staff
from tests.ledger.conftest import books, make_activity, post, sale

TODAY = dt.date(2026, 1, 12)  # before Belgium's 15 January deadline for last year's claims
_files = itertools.count(1)


@pytest.fixture(autouse=True)
def _frozen(clock: Any) -> Any:
    clock.stand_down()  # links are signed with time.time(): freeze the whole process
    with freeze_time("2026-01-12 10:00:00") as frozen:
        yield frozen


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "private"


def pdf(text: str = "") -> bytes:
    body = text or f"receipt {next(_files)}"
    return f"%PDF-1.4\n1 0 obj<<>>endobj\n% {body}\ntrailer<<>>\n%%EOF\n".encode()


def image(fmt: str = "PNG") -> bytes:
    n = next(_files)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (n % 256, n // 256 % 256, 7)).save(buffer, format=fmt)
    return buffer.getvalue()


def meal(amount: str = "24.20", on: dt.date = dt.date(2025, 12, 10), **kw: Any) -> LineInput:
    return LineInput(
        date=on,
        category="meals",
        description="Lunch with the stage manager",
        amount=Decimal(amount),
        vat_rate=Decimal("21"),
        supplier="Café du Parc",
        **kw,
    )


def mileage(km: str = "100", on: dt.date = dt.date(2025, 12, 11)) -> LineInput:
    return LineInput(date=on, category="mileage", description="Liège - Namur", quantity=Decimal(km))


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    entity = books("BE", years=(2025, 2026))
    adviser = make_staff(entity, Role.ADVISER)
    alice = make_member(entity)
    bob = make_member(entity)
    activity = make_activity(entity, holder=alice.person)
    bob_activity = make_activity(entity, holder=bob.person)
    post(sale(entity, "1000.00", on=dt.date(2025, 11, 3), activity=activity))
    post(sale(entity, "1000.00", on=dt.date(2025, 11, 3), activity=bob_activity))
    return {
        "entity": entity,
        "adviser": adviser,
        "alice": alice,
        "bob": bob,
        "activity": activity,
        "bob_activity": bob_activity,
    }


def draft(
    member: Membership, activity: Activity, *lines: LineInput, receipt: bool = True, **kw: Any
) -> Claim:
    claim = actions.create_claim(
        actor=member.person.user,
        activity=activity,
        title=kw.pop("title", "Tour in December"),
        lines=list(lines) or [meal()],
        **kw,
    )
    if receipt:
        actions.add_receipt(
            actor=member.person.user, claim=claim, content=pdf(), file_name="ticket.pdf"
        )
    return claim


def submitted(member: Membership, activity: Activity, *lines: LineInput, **kw: Any) -> Claim:
    claim = draft(member, activity, *lines, **kw)
    return actions.submit_claim(actor=member.person.user, claim=claim)


def other_entity() -> tuple[Entity, Any]:
    entity = books("BE2", years=(2025, 2026))
    return entity, make_staff(entity, Role.ADVISER)

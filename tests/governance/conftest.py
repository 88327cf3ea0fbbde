"""Governance fixtures: a Belgian cooperative with books, its board, share classes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.governance.models import ShareClass, Shareholder, Subscription
from mutua.governance.share_actions import (
    confirm_share_payment,
    define_share_class,
    request_subscription,
)
from mutua.members.models import Membership
from tests.conftest import make_staff
from tests.ledger.conftest import books

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def entity_be(db: Any) -> Entity:
    """The Belgian entity of the shared personas, with its books open (2025-2026)."""
    return books("BE", years=(2025, 2026))


@pytest.fixture
def board_be(entity_be: Entity) -> Any:
    return make_staff(entity_be, Role.BOARD)


@pytest.fixture
def class_a(entity_be: Entity, board_be: Any) -> ShareClass:
    return define_share_class(
        entity=entity_be,
        code="A",
        name="Members",
        nominal_value=Decimal("30.00"),
        acting_user=board_be,
        voting_rights="one vote per member",
    )


def subscribe(
    member: Membership, share_class: ShareClass, quantity: int = 1, method: str = "transfer"
) -> Subscription:
    return request_subscription(
        entity=member.entity,
        share_class=share_class,
        quantity=quantity,
        method=method,
        on=DAY,
        acting_user=member.person.user,
    )


def shareholder(
    member: Membership, share_class: ShareClass, quantity: int, board: Any
) -> Shareholder:
    """A member holding `quantity` paid-up shares."""
    subscription = subscribe(member, share_class, quantity)
    confirm_share_payment(subscription=subscription, paid_on=DAY, acting_user=board)
    return subscription.holder


def assembly_with(
    entity: Entity,
    board: Any,
    holders: list[tuple[Membership, int]],
    share_class: ShareClass,
    **item: Any,
) -> Any:
    """A convened assembly (in 20 days) with one item, whose roll holds these shareholders."""
    from django.utils import timezone

    from mutua.governance.assembly_actions import (
        add_agenda_item,
        convene_assembly,
        create_assembly,
    )

    for member, quantity in holders:
        shareholder(member, share_class, quantity, board)
    assembly = create_assembly(
        entity=entity,
        kind="ordinary",
        title="AG 2026",
        acting_user=board,
        starts_at=timezone.now() + dt.timedelta(days=20),
        place="Brussels",
    )
    add_agenda_item(assembly=assembly, title="Approve the accounts", acting_user=board, **item)
    return convene_assembly(assembly=assembly, acting_user=board)

"""Helpers shared by governance actions: role checks, replays, amounts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mutua.core import audit
from mutua.core.errors import AccessDenied
from mutua.core.inputs import MAX_AMOUNT, parse_money
from mutua.entities.models import Entity
from mutua.members.queries import has_role


def require_role(actor: Any, roles: tuple[str, ...], entity: Entity, what: str) -> None:
    """Staff act through a role on the entity; the CLI (actor None) is an operator's tool."""
    if actor is not None and not has_role(actor, roles, entity):
        raise AccessDenied(what)


def replayed(actor: Any, name: str, subject: Any) -> Any:
    """A repeated request changes nothing; the audit log still says it came."""
    audit.record(
        actor=actor, action=f"{name}.replayed", subject=subject, entity_id=subject.entity_id
    )
    return subject


def parse_amount(value: Any, field: str, *, signed: bool = False) -> Decimal:
    """An amount typed by a person: the money parser of the whole product (mutua.core.inputs)."""
    low = -MAX_AMOUNT if signed else Decimal(0)
    return parse_money(value, field=field, signed=signed, min_value=low)

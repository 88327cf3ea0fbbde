"""Who may see which entity's reports: staff of the entity, any role (a federation-wide role or
a superuser sees all). Members see the transparency page of the entities they belong to."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.members.queries import staff_entities

REPORT_ROLES = tuple(Role.values)


def reporting_entities(user: Any) -> QuerySet[Entity]:
    return staff_entities(user, REPORT_ROLES).order_by("code")


def access_reporting_entity(user: Any, entity_id: int) -> Entity:
    entity = reporting_entities(user).filter(pk=entity_id).first()
    if entity is None:
        raise NotFound("no such entity")
    return entity

"""Who sees which client: members the clients they work with, staff those of their entities."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mutua.clients.models import Client
from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.members.queries import staff_entities

CLIENT_STAFF = (Role.ADVISER, Role.ACCOUNTANT, Role.ADMINISTRATOR)


def visible_clients(user: Any) -> QuerySet[Client]:
    if not getattr(user, "is_authenticated", False):
        return Client.objects.none()
    return Client.objects.filter(
        Q(users__person__user=user) | Q(entity__in=staff_entities(user, CLIENT_STAFF))
    ).distinct()


def access_client(user: Any, client_id: int) -> Client:
    client = visible_clients(user).select_related("entity").filter(pk=client_id).first()
    if client is None:
        raise NotFound("no such client")
    return client

"""Reads and the access function for activities.

Participants see their activities; staff see those of the entities where they hold any role.
Everyone else gets NotFound, so a guessed id reveals nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mutua.activities.models import Activity
from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.members.queries import staff_entities


def visible_activities(user: Any) -> QuerySet[Activity]:
    if not getattr(user, "is_authenticated", False):
        return Activity.objects.none()
    entities = staff_entities(user, Role.values)
    return (
        Activity.objects.filter(Q(participants__person__user=user) | Q(entity__in=entities))
        .select_related("entity")
        .distinct()
    )


def access_activity(user: Any, activity_id: int) -> Activity:
    activity = visible_activities(user).filter(pk=activity_id).first()
    if activity is None:
        raise NotFound("no such activity")
    return activity


def activities_of(user: Any) -> QuerySet[Activity]:
    """The activities the user takes part in (the member's own list, not the staff view)."""
    if not getattr(user, "is_authenticated", False):
        return Activity.objects.none()
    return Activity.objects.filter(participants__person__user=user).select_related("entity")

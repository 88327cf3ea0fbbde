"""Reads and access functions for people and memberships.

A view or endpoint gets a person or membership only through `access_*`: members see their own,
staff see those of the entities where they hold a role. Anything else is NotFound, so an id
guessed in a URL does not even reveal that the object exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from mutua.core import clock
from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.members.models import (
    AccessToken,
    Membership,
    MembershipStatus,
    Person,
    StaffRole,
    TokenGrant,
)

MEMBER_FILE_ROLES = (Role.ADVISER, Role.ADMINISTRATOR)
# A membership that has not ended (an applicant, an active or a suspended member).
LIVE_MEMBERSHIP = (MembershipStatus.APPLICANT, MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)


def is_staff_user(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_mutua_is_staff", None)
    if cached is None:
        cached = user.is_superuser or StaffRole.objects.filter(user=user).exists()
        user._mutua_is_staff = cached
    return bool(cached)


def roles_of(user: Any) -> list[StaffRole]:
    return list(StaffRole.objects.filter(user=user).select_related("entity"))


def staff_entities(user: Any, roles: Iterable[str]) -> QuerySet[Entity]:
    """Entities where the user holds one of `roles` (a federation-wide role covers them all)."""
    if not getattr(user, "is_authenticated", False):
        return Entity.objects.none()
    held = StaffRole.objects.filter(user=user, role__in=list(roles))
    if user.is_superuser or held.filter(entity__isnull=True).exists():
        return Entity.objects.all()
    return Entity.objects.filter(staff_roles__in=held).distinct()


def has_role(user: Any, roles: Iterable[str], entity: Entity | None = None) -> bool:
    entities = staff_entities(user, roles)
    return entities.exists() if entity is None else entities.filter(pk=entity.pk).exists()


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def access_person(user: Any, person_id: int) -> Person:
    """The person with this id, if the user may see their file."""
    visible = Person.objects.filter(pk=person_id)
    if not getattr(user, "is_authenticated", False):
        raise NotFound("no such person")
    entities = staff_entities(user, MEMBER_FILE_ROLES)
    person = visible.filter(Q(user=user) | Q(memberships__entity__in=entities)).first()
    if person is None:
        raise NotFound("no such person")
    return person


def access_membership(user: Any, membership_id: int) -> Membership:
    if not getattr(user, "is_authenticated", False):
        raise NotFound("no such membership")
    entities = staff_entities(user, MEMBER_FILE_ROLES)
    membership = (
        Membership.objects.select_related("person", "entity")
        .filter(pk=membership_id)
        .filter(Q(person__user=user) | Q(entity__in=entities))
        .first()
    )
    if membership is None:
        raise NotFound("no such membership")
    return membership


def memberships_of(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(person__user=user).select_related("entity")


def member_entities(user: Any) -> QuerySet[Entity]:
    """Entities where the user is an active member (where they may open activities, add clients)."""
    if not getattr(user, "is_authenticated", False):
        return Entity.objects.none()
    return Entity.objects.filter(
        memberships__person__user=user, memberships__status=MembershipStatus.ACTIVE
    )


def pending_applications(user: Any) -> QuerySet[Membership]:
    """Applications the user may decide on, oldest first (the back-office queue)."""
    return (
        Membership.objects.filter(
            status=MembershipStatus.APPLICANT,
            entity__in=staff_entities(user, MEMBER_FILE_ROLES),
        )
        .select_related("person", "person__user", "entity")
        .order_by("applied_at", "id")
    )


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def grant_is_alive(token: AccessToken) -> bool:
    """A token lives as long as the staff role or the membership it was created under."""
    if token.grant == TokenGrant.STAFF_ROLE:
        return token.granted_by_role_id is not None
    membership = token.granted_by_membership
    return membership is not None and membership.status in LIVE_MEMBERSHIP


def live_token(plaintext: str, *, now: dt.datetime | None = None) -> AccessToken | None:
    """The personal access token with this text, if it still authenticates its user: not
    revoked, not expired, its user active, what granted it still there. Marks it used."""
    now = now or clock.now()
    token = (
        AccessToken.objects.select_related("user", "granted_by_membership")
        .filter(digest=token_digest(plaintext), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.user.is_active or not grant_is_alive(token):
        return None
    # One cheap UPDATE; recorded so users can spot a token they did not use.
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_for_token(plaintext: str, *, now: dt.datetime | None = None) -> Any | None:
    """The active user a personal access token belongs to, or None."""
    token = live_token(plaintext, now=now)
    return token.user if token is not None else None


def token_grants(user: Any) -> list[StaffRole | Membership]:
    """What may grant this user a token: their staff roles, then their memberships that have
    not ended."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles: list[StaffRole | Membership] = list(
        StaffRole.objects.filter(user=user).select_related("entity").order_by("pk")
    )
    memberships = (
        Membership.objects.filter(person__user=user, status__in=LIVE_MEMBERSHIP)
        .select_related("entity")
        .order_by("pk")
    )
    return roles + list(memberships)

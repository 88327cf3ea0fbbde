"""Reads of the loaded parameter sets, and who may see them.

Legal parameters belong to a country, not to one entity: a payroll officer or administrator of
any entity of a country sees that country's uploads (a federation-wide role sees them all).
Anything else is NotFound, so an id guessed in a URL reveals nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.countries.cliff import Cliff, ending_soon
from mutua.members.queries import staff_entities
from mutua.rules.models import ParameterSetUpload, UploadState

RULES_ROLES = (Role.PAYROLL_OFFICER, Role.ADMINISTRATOR)  # see, propose
APPROVER_ROLES = (Role.ADMINISTRATOR,)  # approve or refuse (never one's own proposal)


def countries_of(user: Any, roles: tuple[str, ...] = RULES_ROLES) -> list[str]:
    """The countries of the entities where the user holds one of `roles`."""
    codes = staff_entities(user, roles).values_list("country", flat=True)
    return sorted(set(codes))


def uploads_for(user: Any, country: str = "") -> QuerySet[ParameterSetUpload]:
    visible = ParameterSetUpload.objects.filter(country__in=countries_of(user))
    if country:
        visible = visible.filter(country=country.upper())
    return visible.select_related("proposed_by", "decided_by")


def access_upload(user: Any, upload_id: int) -> ParameterSetUpload:
    upload = uploads_for(user).filter(pk=upload_id).first()
    if upload is None:
        raise NotFound("no such parameter set")
    return upload


def may_decide(user: Any, upload: ParameterSetUpload) -> bool:
    """An administrator of the country, other than the proposer, while the upload waits."""
    return (
        upload.state == UploadState.PROPOSED
        and upload.proposed_by_id != getattr(user, "pk", None)
        and upload.country in countries_of(user, APPROVER_ROLES)
    )


def cliffs_for(user: Any, today: dt.date) -> list[Cliff]:
    """For the entities the staff member sees: each country whose official tables end soon."""
    codes = countries_of(user, tuple(Role.values))
    return [cliff for code in codes if (cliff := ending_soon(code, today)) is not None]

"""REST API under /api/v1/ (django-ninja); OpenAPI at /api/v1/openapi.json.

Endpoints parse input, call access functions and actions, and never return another member's data.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema

from mutua.api import money_loop, order_forms
from mutua.api.auth import AUTH
from mutua.core.errors import DomainError
from mutua.expenses import api as expenses_api
from mutua.fund import api as fund_api
from mutua.governance import api as governance_api
from mutua.members.queries import access_membership, access_person, memberships_of, roles_of
from mutua.payroll import api as payroll_api
from mutua.services import api as services_api

api = NinjaAPI(
    title="Mutua API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


class EntityOut(Schema):
    code: str
    name: str
    country: str
    currency: str


class MembershipOut(Schema):
    id: int
    entity: EntityOut
    number: str | None
    status: str
    applied_at: dt.datetime


class RoleOut(Schema):
    role: str
    entity: str | None


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    country: str
    preferred_language: str
    marital_status: str
    partner_has_income: bool
    dependent_children: int
    disabled_dependent_children: int
    single_parent: bool
    artist_certificate_until: dt.date | None


class MeOut(Schema):
    email: str
    person: PersonOut | None
    memberships: list[MembershipOut]
    roles: list[RoleOut]


@api.get("/me", response=MeOut, tags=["people"])
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    person = getattr(user, "person", None)
    return {
        "email": user.email,  # type: ignore[union-attr]
        "person": person,
        "memberships": list(memberships_of(user)),
        "roles": [
            {"role": r.role, "entity": r.entity.code if r.entity else None} for r in roles_of(user)
        ],
    }


@api.get("/people/{person_id}", response=PersonOut, tags=["people"])
def person_detail(request: HttpRequest, person_id: int) -> object:
    return access_person(request.user, person_id)


@api.get("/memberships/{membership_id}", response=MembershipOut, tags=["people"])
def membership_detail(request: HttpRequest, membership_id: int) -> object:
    return access_membership(request.user, membership_id)


api.add_router("/", money_loop.router)
api.add_router("/", order_forms.router)
api.add_router("/", payroll_api.router)
api.add_router("/", fund_api.router)
api.add_router("/", expenses_api.router)
api.add_router("/", services_api.router)
api.add_router("/", governance_api.router)

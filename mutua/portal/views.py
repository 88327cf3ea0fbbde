"""Member portal pages: parse input, check access, call actions (DESIGN.md §4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.banking import payouts
from mutua.core import clock
from mutua.core.charts import bar_chart_svg, line_chart_svg
from mutua.core.errors import AccessDenied, DomainError, NotFound
from mutua.core.forms import add_domain_error
from mutua.entities.models import Entity
from mutua.members import actions
from mutua.members.models import AccessToken, Person, StaffRole
from mutua.members.queries import (
    access_person,
    grant_is_alive,
    memberships_of,
    person_of,
    token_grants,
)
from mutua.members.second_factor import has_totp
from mutua.portal.cards import activity_cards
from mutua.portal.forms import (
    ApplicationForm,
    HouseholdForm,
    ProfileIdentityForm,
    TokenForm,
)
from mutua.reporting.member import budget_by_month, income_by_month, pay_this_year


def _user(request: HttpRequest) -> Any:
    """The signed-in user (views below are all behind login_required)."""
    return request.user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_of(request.user))
    person = person_of(request.user)
    cards = activity_cards(_user(request), person)
    context = {
        "activity_cards": cards,
        "person": person,
        "money": my_money(person, [card.activity for card in cards]),
        "memberships": memberships,
        "active": [m for m in memberships if m.status == "active"],
        "can_apply": _joinable_entities(request).exists(),
    }
    return render(request, "portal/home.html", context)


def my_money(person: Person | None, activities: list[Any]) -> dict[str, Any] | None:
    """Pay received this year and the last 24 months of income and budget, as charts."""
    if person is None or not activities:
        return None
    today = clock.today()
    income = income_by_month(activities, today)
    budget = budget_by_month(activities, today)
    currency = activities[0].entity.currency
    return {
        "pay": pay_this_year(person, today.year),
        "income": income,
        "budget": budget,
        "income_chart": mark_safe(  # noqa: S308 - core.charts escapes every label
            bar_chart_svg(
                income,
                title=_("Invoiced per month"),
                unit=currency,
                chart_id="income",
                show_every=3,
            )
        ),
        "budget_chart": mark_safe(  # noqa: S308 - core.charts escapes every label
            line_chart_svg(
                budget, title=_("Budget at the end of each month"), unit=currency, chart_id="budget"
            )
        ),
    }


def _joinable_entities(request: HttpRequest) -> QuerySet[Entity]:
    return Entity.objects.exclude(memberships__person__user=_user(request))


def _identity_initial(person: Person | None, request: HttpRequest) -> dict[str, object]:
    if person is None:
        return {"preferred_language": request.LANGUAGE_CODE}
    return {name: getattr(person, name) for name in actions.PERSON_FIELDS}


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    entities = _joinable_entities(request)
    person = person_of(request.user)
    form = ApplicationForm(
        request.POST or None, entities=entities, initial=_identity_initial(person, request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = actions.apply_for_membership(
                user=request.user, entity=form.cleaned_data["entity"], identity=form.identity()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Your application to %(entity)s is sent. An adviser will review it.")
                % {"entity": membership.entity.name},
            )
            return redirect("portal:home")
    return render(request, "portal/apply.html", {"form": form, "has_choices": entities.exists()})


def _own_person(request: HttpRequest) -> Person:
    person = person_of(request.user)
    if person is None:
        raise Http404(_("Complete your application first."))
    return person


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    return render(request, "portal/profile.html", _profile_context(request, person))


def _profile_context(request: HttpRequest, person: Person | None, **forms: object) -> dict:
    household_initial = {}
    if person is not None:
        household_initial = {name: getattr(person, name) for name in actions.HOUSEHOLD_FIELDS}
    return {
        "person": person,
        "identity_form": forms.get("identity_form")
        or ProfileIdentityForm(
            initial=_identity_initial(person, request), with_totp=has_totp(request.user)
        ),
        "household_form": forms.get("household_form") or HouseholdForm(initial=household_initial),
        "token_form": forms.get("token_form") or TokenForm(grants=_grant_choices(request)),
        "tokens": [
            (token, grant_is_alive(token))
            for token in AccessToken.objects.filter(
                user=_user(request), revoked_at__isnull=True
            ).select_related("granted_by_role__entity", "granted_by_membership__entity")
        ],
        "new_token": forms.get("new_token"),
    }


@login_required
@require_POST
def edit_identity(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    form = ProfileIdentityForm(request.POST, with_totp=has_totp(request.user))
    if form.is_valid():
        try:
            if form.cleaned_data["current_password"] and not ratelimit.consume(
                request, action="reauthenticate", user=request.user
            ):
                raise AccessDenied(_("Too many attempts: wait a minute and try again."))
            actions.update_identity(
                actor=request.user,
                person=person,
                identity=form.identity(),
                reauthentication=form.reauthentication(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your identity and bank details are saved."))
            return redirect("portal:profile")
    context = _profile_context(request, person, identity_form=form)
    return render(request, "portal/profile.html", context, status=400)


@login_required
@require_POST
def edit_household(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            actions.update_household(actor=request.user, person=person, household=form.household())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your household situation is saved."))
            return redirect("portal:profile")
    context = _profile_context(request, person, household_form=form)
    return render(request, "portal/profile.html", context, status=400)


def _grants(request: HttpRequest) -> dict[str, actions.TokenGrantor]:
    """The roles and memberships the user may create a token under, by form value."""
    return {
        f"{'role' if isinstance(grant, StaffRole) else 'membership'}:{grant.pk}": grant
        for grant in token_grants(request.user)
    }


def _grant_choices(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, actions.grant_label(grant)) for key, grant in _grants(request).items()]


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST, grants=_grant_choices(request))
    person = person_of(request.user)
    if form.is_valid():
        expires = form.cleaned_data["expires_at"]
        expires_at = (
            timezone.make_aware(dt.datetime.combine(expires, dt.time.max)) if expires else None
        )
        try:
            _token, plaintext = actions.create_access_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                grant=_grants(request).get(form.cleaned_data["grant"]),
                expires_at=expires_at,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return render(
                request,
                "portal/profile.html",
                _profile_context(request, person, new_token=plaintext),
            )
    context = _profile_context(request, person, token_form=form)
    return render(request, "portal/profile.html", context, status=400)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        actions.revoke_access_token(user=request.user, token_id=token_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    messages.success(request, _("The token is revoked."))
    return redirect("portal:profile")


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = access_person(request.user, person_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "portal/person.html", {"person": person})


# --- staff: payouts held while a member's new bank account is checked ---------------------------
@login_required
def held_payouts(request: HttpRequest) -> HttpResponse:
    entities = list(payouts.hold_release_entities(request.user))
    if not entities:
        raise PermissionDenied
    rows = [(entity, payouts.held_payees(entity)) for entity in entities]
    return render(request, "portal/held_payouts.html", {"rows": rows})


@login_required
@require_POST
def release_held_payouts(request: HttpRequest, entity_id: int, person_id: int) -> HttpResponse:
    entity = payouts.hold_release_entities(request.user).filter(pk=entity_id).first()
    held = {h.person.pk: h.person for h in payouts.held_payees(entity)} if entity else {}
    if entity is None or person_id not in held:
        raise Http404(_("No payout to this person is held here."))
    try:
        payouts.release_payout_hold(acting_user=request.user, entity=entity, person=held[person_id])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Payouts to %(name)s leave with the next export.")
            % {"name": held[person_id].full_name},
        )
    return redirect("portal:held_payouts")

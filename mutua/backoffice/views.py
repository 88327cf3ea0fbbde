"""Back-office pages: staff land on their work queues, oldest first (UX.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.banking.models import StatementLine
from mutua.banking.payouts import hold_release_entities
from mutua.banking.queries import QUEUE_STATUSES, banking_entities
from mutua.core import clock
from mutua.core.errors import DomainError, NotFound
from mutua.core.models import AuditEvent
from mutua.core.staff import staff_required
from mutua.engagements.queries import waiting_for_validation
from mutua.expenses.queries import approval_queue
from mutua.members import actions
from mutua.members.models import Membership
from mutua.members.queries import access_membership, pending_applications, roles_of
from mutua.rules.queries import cliffs_for, countries_of
from mutua.services.queries import advice_waiting


def overdue_count(user: Any) -> int:
    from mutua.invoicing.queries import overdue_for_staff

    return overdue_for_staff(user).count()


def _membership_or_404(request: HttpRequest, membership_id: int) -> Membership:
    try:
        return access_membership(request.user, membership_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    pending = pending_applications(request.user)
    queues = [
        {
            "label": _("Members to validate"),
            "count": pending.count(),
            "oldest": pending.first(),
            "url": "backoffice:applications",
        },
        {
            "label": _("Order forms to validate"),
            "count": waiting_for_validation(request.user).count(),
            "oldest": None,
            "url": "engagements:queue",
        },
        {
            "label": _("Bank lines to match"),
            "count": StatementLine.objects.filter(
                account__entity__in=banking_entities(request.user), status__in=QUEUE_STATUSES
            ).count(),
            "oldest": None,
            "url": "banking:home",
        },
        {
            "label": _("Expense claims to approve"),
            "count": approval_queue(request.user).count(),
            "oldest": None,
            "url": "expenses:queue",
        },
        {
            "label": _("Invoices overdue"),
            "count": overdue_count(request.user),
            "oldest": None,
            "url": "invoicing:overdue",
        },
        {
            "label": _("Advice requests waiting"),
            "count": advice_waiting(request.user).count(),
            "oldest": None,
            "url": "services:staff_home",
        },
    ]
    context = {
        "queues": queues,
        "roles": roles_of(request.user),
        # Countries whose official payroll tables end within 60 days, or ended.
        "cliffs": cliffs_for(request.user, clock.today()),
        "rules_countries": countries_of(request.user),
        "releases_payouts": hold_release_entities(request.user).exists(),
    }
    return render(request, "backoffice/home.html", context)


@staff_required
def applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/applications.html",
        {"applications": pending_applications(request.user)},
    )


@staff_required
def membership_detail(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = _membership_or_404(request, membership_id)
    history = AuditEvent.objects.filter(
        Q(subject_type="members.membership", subject_id=str(membership.pk))
        | Q(subject_type="members.person", subject_id=str(membership.person_id))
    ).select_related("actor")[:100]
    return render(
        request,
        "backoffice/membership.html",
        {"membership": membership, "person": membership.person, "history": history},
    )


def _decide(
    request: HttpRequest, membership_id: int, decide: Callable[[Membership], Membership], done: str
) -> HttpResponse:
    membership = _membership_or_404(request, membership_id)
    error = None
    try:
        membership = decide(membership)
    except DomainError as exc:
        error = exc.message
    if request.htmx:  # type: ignore[attr-defined]
        # htmx 2 swaps only 2xx answers: a refusal comes back as the row with its message.
        return render(
            request, "backoffice/_application_row.html", {"m": membership, "error": error}
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done % {"name": membership.person.full_name})
    return redirect("backoffice:applications")


@staff_required
@require_POST
def approve(request: HttpRequest, membership_id: int) -> HttpResponse:
    return _decide(
        request,
        membership_id,
        lambda m: actions.approve_membership(actor=request.user, membership=m),
        _("%(name)s is now a member."),
    )


@staff_required
@require_POST
def reject(request: HttpRequest, membership_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _decide(
        request,
        membership_id,
        lambda m: actions.reject_membership(actor=request.user, membership=m, reason=reason),
        _("The application of %(name)s is refused."),
    )

"""Member pages for activities: list, open, and the activity page with its budget."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.activities import actions
from mutua.activities.budget import budget_views, monthly_balance
from mutua.activities.forms import OpenActivityForm, ShareForm
from mutua.activities.models import Activity
from mutua.activities.queries import access_activity, activities_of
from mutua.core import clock
from mutua.core.charts import line_chart_svg
from mutua.core.errors import DomainError, InvalidInput, NotFound
from mutua.core.forms import add_domain_error, form_status
from mutua.invoicing.queries import OPEN_STATUSES, amount_due, with_received
from mutua.ledger.queries import activity_balance, activity_statement
from mutua.members.models import Person
from mutua.members.queries import member_entities


def _activity_or_404(request: HttpRequest, activity_id: int) -> Activity:
    try:
        return access_activity(request.user, activity_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _smoothing(activity: Activity, today: dt.date) -> object:
    """How long the budget pays the activity's active monthly contracts (income smoothing)."""
    from mutua.contracts.forecast import add_months, smoothing_forecast
    from mutua.contracts.smoothing import monthly_budgets

    next_month = add_months(today.replace(day=1), 1)
    # The amounts in force next month: members choose their monthly gross (dated amendments).
    budgets = list(monthly_budgets(activity, next_month).values())
    return smoothing_forecast(
        budget=activity_balance(activity), monthly_work_budgets=budgets, next_month=next_month
    )


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = activities_of(request.user).order_by("entity__code", "number")
    return render(request, "activities/list.html", {"activities": activities})


@login_required
def open_activity(request: HttpRequest) -> HttpResponse:
    entities = member_entities(request.user)
    form = OpenActivityForm(request.POST or None, entities=entities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = actions.open_activity(
                actor=request.user,
                entity=data["entity"],
                name=data["name"],
                sector=data["sector"],
                description=data["description"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Activity %(number)s is open.") % {"number": activity.number}
            )
            return redirect("activities:detail", activity.pk)
    context = {"form": form, "can_open": entities.exists()}
    return render(request, "activities/open.html", context, status=form_status(form))


@login_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity_or_404(request, activity_id)
    today = clock.today()
    series = monthly_balance(activity, last=today, months=24)
    statement = activity_statement(activity, dt.date(today.year, 1, 1), today)
    invoices = list(with_received(activity.invoices.select_related("client")).order_by("-id")[:50])
    pending = [i for i in invoices if i.kind == "invoice" and i.status in OPEN_STATUSES]
    context = {
        "activity": activity,
        "participants": activity.participants.select_related("person"),
        "share_form": ShareForm(),
        "is_holder": activity.participants.filter(
            person__user=request.user.pk or 0, role="holder"
        ).exists(),
        "budget": budget_views(activity, today),
        "awaiting": sum((amount_due(i) for i in pending), start=0),
        "statement": statement,
        "invoices": invoices,
        "series": series,
        "forecast": _smoothing(activity, today),
        # The SVG is built from our own numbers and escaped labels, not from user input.
        "chart": mark_safe(  # noqa: S308
            line_chart_svg(
                series, title=_("Budget at each month end"), unit=activity.entity.currency
            )
        ),
    }
    return render(request, "activities/detail.html", context)


@login_required
@require_POST
def share(request: HttpRequest, activity_id: int) -> HttpResponse:
    """A holder adds a member by e-mail. The person is looked up only among active members of
    the activity's entity, and the same message is given whether or not the e-mail exists."""
    activity = _activity_or_404(request, activity_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a member's e-mail and a role."))
        return redirect("activities:detail", activity.pk)
    person = Person.objects.filter(
        user__email__iexact=form.cleaned_data["email"],
        memberships__entity=activity.entity,
        memberships__status="active",
    ).first()
    try:
        if person is None:
            raise InvalidInput(_("No active member of this entity has that e-mail."))
        actions.share_activity(
            actor=request.user, activity=activity, person=person, role=form.cleaned_data["role"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s now takes part.") % {"name": person.full_name})
    return redirect("activities:detail", activity.pk)

"""Staff pages of the services, per entity: workspace, training, loans, insurance and the
advice queue. Each page checks the user's role for that entity (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.core.forms import add_domain_error
from mutua.core.staff import staff_required
from mutua.entities.models import Entity
from mutua.members.queries import staff_entities
from mutua.services import queries
from mutua.services.actions import advice as advice_actions
from mutua.services.actions import insurance, loans, training, workspace
from mutua.services.forms import (
    AdviceTargetForm,
    AssignForm,
    AttendanceForm,
    EmployerCoverForm,
    LoanTermsForm,
    PlaceForm,
    PolicyForm,
    RefuseLoanForm,
    ResourceForm,
    SessionForm,
)
from mutua.services.models import (
    AdviceRequest,
    Booking,
    EmployerCover,
    Enrolment,
    Loan,
    LoanStatus,
    LoanTerms,
    Place,
    Policy,
    PolicyCover,
    Resource,
    TrainingSession,
)
from mutua.services.views import found, loan_context


def _entity(
    request: HttpRequest, entity_id: int, roles: tuple[str, ...] = queries.SERVICE_STAFF
) -> Entity:
    return found(lambda: queries.access_staff_entity(request.user, entity_id, roles))


def _posted(request: HttpRequest, form: Any, run: Any, done: str) -> bool:
    """Run the action for a valid posted form; True when it succeeded (a message is queued)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        run(form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    messages.success(request, done)
    return True


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    entities = list(queries.service_staff_entities(user) | staff_entities(user, queries.LOAN_STAFF))
    rows = []
    for entity in sorted(set(entities), key=lambda e: e.code):
        queue = advice_actions.staff_queue(entity)
        rows.append(
            {
                "entity": entity,
                "advice": len(queue),
                "overdue": sum(1 for q in queue if q.overdue),
                "loans": Loan.objects.filter(entity=entity, status=LoanStatus.REQUESTED).count(),
            }
        )
    return render(request, "services/staff_home.html", {"rows": rows})


# --- workspace --------------------------------------------------------------------------------


@staff_required
def staff_workspace(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _entity(request, entity_id)
    places = Place.objects.filter(entity=entity)
    is_place = request.POST.get("form") == "place"
    place_form = PlaceForm(request.POST if is_place else None, prefix="place")
    resource_form = ResourceForm(
        request.POST if request.method == "POST" and not is_place else None,
        places=places,
        prefix="resource",
    )
    if _posted(
        request,
        place_form,
        lambda d: workspace.add_place(actor=request.user, entity=entity, **d),
        _("Place added."),
    ) or _posted(
        request,
        resource_form,
        lambda d: workspace.add_resource(actor=request.user, **d),
        _("Resource added."),
    ):
        return redirect("services:staff_workspace", entity.pk)
    context = {
        "entity": entity,
        "place_form": place_form,
        "resource_form": resource_form,
        "resources": Resource.objects.filter(place__entity=entity).select_related("place"),
        "bookings": Booking.objects.filter(entity=entity, ends_at__gte=clock.now())
        .select_related("resource", "activity")
        .order_by("starts_at")[:100],
    }
    return render(request, "services/staff_workspace.html", context)


@staff_required
@require_POST
def staff_toggle_resource(request: HttpRequest, resource_id: int) -> HttpResponse:
    item = found(lambda: queries.access_resource(request.user, resource_id))
    _entity(request, item.place.entity_id)
    workspace.set_resource_bookable(actor=request.user, resource=item, bookable=not item.active)
    return redirect("services:staff_workspace", item.place.entity_id)


# --- training ---------------------------------------------------------------------------------


@staff_required
def staff_training(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _entity(request, entity_id)
    form = SessionForm(request.POST or None, places=Place.objects.filter(entity=entity))
    if _posted(
        request,
        form,
        lambda d: training.schedule_session(actor=request.user, entity=entity, **d),
        _("Session scheduled."),
    ):
        return redirect("services:staff_training", entity.pk)
    found_sessions = TrainingSession.objects.filter(entity=entity).order_by("-starts_at")[:100]
    return render(
        request,
        "services/staff_training.html",
        {"entity": entity, "form": form, "sessions": found_sessions},
    )


@staff_required
def staff_session(request: HttpRequest, session_id: int) -> HttpResponse:
    item = found(lambda: _staff_session(request, session_id))
    enrolments = list(
        Enrolment.objects.filter(session=item)
        .select_related("person", "activity")
        .order_by("created_at", "id")
    )
    enrolled = [(e.pk, e.person.full_name) for e in enrolments if e.status == "enrolled"]
    form = AttendanceForm(
        request.POST or None,
        enrolled=enrolled,
        initial={"present": [e.pk for e in enrolments if e.attended]},
    )
    if _posted(
        request,
        form,
        lambda d: training.record_attendance(
            actor=request.user, session=item, present=set(d["present"])
        ),
        _("Attendance recorded."),
    ):
        return redirect("services:staff_session", item.pk)
    context = {"session": item, "enrolments": enrolments, "form": form}
    return render(request, "services/staff_session.html", context)


def _staff_session(request: HttpRequest, session_id: int) -> TrainingSession:
    item = queries.access_session(request.user, session_id)
    queries.access_staff_entity(request.user, item.entity_id)
    return item


@staff_required
@require_POST
def staff_cancel_session(request: HttpRequest, session_id: int) -> HttpResponse:
    item = found(lambda: _staff_session(request, session_id))
    try:
        count = training.cancel_session(actor=request.user, session=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Session cancelled; %(n)d enrolments refunded.") % {"n": count})
    return redirect("services:staff_session", item.pk)


# --- loans ------------------------------------------------------------------------------------


@staff_required
def staff_loans(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _entity(request, entity_id, queries.LOAN_STAFF)
    form = LoanTermsForm(request.POST or None)
    if _posted(
        request,
        form,
        lambda d: loans.set_loan_terms(actor=request.user, entity=entity, **d),
        _("Loan terms saved."),
    ):
        return redirect("services:staff_loans", entity.pk)
    all_loans = Loan.objects.filter(entity=entity).select_related("activity")
    context = {
        "entity": entity,
        "form": form,
        "requested": all_loans.filter(status=LoanStatus.REQUESTED).order_by("requested_at"),
        "loans": all_loans.exclude(status=LoanStatus.REQUESTED)[:200],
        "terms": LoanTerms.objects.filter(entity=entity),
    }
    return render(request, "services/staff_loans.html", context)


@staff_required
def staff_loan(request: HttpRequest, loan_id: int) -> HttpResponse:
    item = found(lambda: _staff_loan(request, loan_id))
    form = RefuseLoanForm(request.POST or None)
    if request.method == "POST":
        done = _decide(request, item, form)
        if done:
            return redirect("services:staff_loans", item.entity_id)
    return render(request, "services/staff_loan.html", {**loan_context(item), "form": form})


def _staff_loan(request: HttpRequest, loan_id: int) -> Loan:
    item = queries.access_loan(request.user, loan_id)
    queries.access_staff_entity(request.user, item.entity_id, queries.LOAN_STAFF)
    return item


def _decide(request: HttpRequest, item: Loan, form: RefuseLoanForm) -> bool:
    if request.POST.get("decision") == "disburse":
        try:
            loans.disburse_loan(actor=request.user, loan=item)
        except DomainError as exc:
            messages.error(request, exc.message)
            return False
        messages.success(request, _("Loan disbursed to the activity's budget."))
        return True
    return _posted(
        request,
        form,
        lambda d: loans.refuse_loan(actor=request.user, loan=item, reason=d["reason"]),
        _("Loan refused."),
    )


# --- insurance --------------------------------------------------------------------------------


@staff_required
def staff_insurance(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _entity(request, entity_id)
    is_cover = request.POST.get("form") == "cover"
    cover_form = EmployerCoverForm(request.POST if is_cover else None, prefix="cover")
    policy_form = PolicyForm(
        request.POST if request.method == "POST" and not is_cover else None, prefix="policy"
    )
    if _posted(
        request,
        cover_form,
        lambda d: insurance.set_employer_cover(actor=request.user, entity=entity, **d),
        _("Cover rate saved."),
    ) or _posted(
        request,
        policy_form,
        lambda d: insurance.add_policy(actor=request.user, entity=entity, **d),
        _("Policy added."),
    ):
        return redirect("services:staff_insurance", entity.pk)
    today = clock.today()
    context = {
        "entity": entity,
        "cover_form": cover_form,
        "policy_form": policy_form,
        "employer_covers": EmployerCover.objects.filter(entity=entity),
        "rate_today": insurance.insurance_rate(entity, today),
        "policies": Policy.objects.filter(entity=entity),
        "covers": PolicyCover.objects.filter(policy__entity=entity, ends_on__gte=today)
        .select_related("policy", "activity")
        .order_by("ends_on")[:200],
    }
    return render(request, "services/staff_insurance.html", context)


@staff_required
@require_POST
def staff_toggle_policy(request: HttpRequest, policy_id: int) -> HttpResponse:
    item = found(lambda: queries.access_policy(request.user, policy_id))
    _entity(request, item.entity_id)
    insurance.set_policy_open(actor=request.user, policy=item, open_to_members=not item.active)
    return redirect("services:staff_insurance", item.entity_id)


# --- advice -----------------------------------------------------------------------------------


@staff_required
def staff_advice(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _entity(request, entity_id)
    form = AdviceTargetForm(request.POST or None)
    if _posted(
        request,
        form,
        lambda d: advice_actions.set_advice_target(actor=request.user, entity=entity, **d),
        _("Target saved."),
    ):
        return redirect("services:staff_advice", entity.pk)
    closed = AdviceRequest.objects.filter(entity=entity, status="closed").order_by("-closed_at")[
        :50
    ]
    context = {
        "entity": entity,
        "queue": advice_actions.staff_queue(entity),
        "indicators": advice_actions.advice_indicators(entity),
        "closed": closed,
        "form": form,
        "targets": {
            t: advice_actions.target_hours(entity, t) for t in advice_actions.DEFAULT_TARGET_HOURS
        },
    }
    return render(request, "services/staff_advice.html", context)


@staff_required
@require_POST
def staff_assign(request: HttpRequest, request_id: int) -> HttpResponse:
    item = found(lambda: queries.access_advice(request.user, request_id))
    form = AssignForm(request.POST, entity=item.entity)
    if not form.is_valid():
        messages.error(request, _("Choose an adviser of this entity."))
    else:
        try:
            advice_actions.assign_advice(
                actor=request.user, request=item, adviser=form.cleaned_data["adviser"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Request assigned."))
    return redirect("services:advice", item.pk)

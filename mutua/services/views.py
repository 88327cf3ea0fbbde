"""Member pages of the services: workspace, training, loans, insurance and advice.

Every object comes through an access function (NotFound becomes 404, so a forged id reveals
nothing); every change goes through an action, whose refusal is shown next to the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.core import clock
from mutua.core.errors import DomainError, InvalidInput
from mutua.core.forms import add_domain_error, form_status
from mutua.core.views import found_or_404 as found
from mutua.members.queries import member_entities
from mutua.services import documents, queries
from mutua.services.actions import advice as advice_actions
from mutua.services.actions import insurance, loans, training, workspace
from mutua.services.forms import (
    AdviceForm,
    AssignForm,
    BookingForm,
    EnrolForm,
    JoinPolicyForm,
    LoanRequestForm,
    RatingForm,
    ReplyForm,
    SlotForm,
)
from mutua.services.models import BookingStatus, Enrolment, EnrolmentStatus, Instalment
from mutua.services.pricing import booking_price
from mutua.services.uploads import MAX_BYTES, CheckedFile, checked_file, open_stored


def _user(request: HttpRequest) -> Any:
    """The signed-in user (login_required guards every page that calls this)."""
    return request.user


def pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def checked_uploads(uploads: list[Any]) -> list[CheckedFile]:
    """Read the uploaded files, refusing an oversized one before reading it into memory."""
    files = []
    for upload in uploads:
        if upload.size > MAX_BYTES:
            raise InvalidInput(
                _("%(name)s is larger than 10 MB.") % {"name": upload.name}, field="attachments"
            )
        files.append(checked_file(upload.name, upload.read()))
    return files


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    now = clock.now()
    context = {
        "bookings": queries.visible_bookings(user)
        .filter(activity__in=queries.managed_activities(user), status="confirmed", ends_at__gte=now)
        .count(),
        "enrolments": Enrolment.objects.filter(person__user=user)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .filter(session__ends_at__gte=now)
        .count(),
        "advice": queries.visible_advice(user)
        .filter(person__user=user)
        .exclude(status="closed")
        .count(),
        "staff_entities": queries.service_staff_entities(user),
    }
    return render(request, "services/home.html", context)


# --- workspace --------------------------------------------------------------------------------


@login_required
def resources(request: HttpRequest) -> HttpResponse:
    found_resources = queries.visible_resources(request.user).filter(
        active=True, place__active=True
    )
    return render(request, "services/resources.html", {"resources": found_resources})


@login_required
def resource(request: HttpRequest, resource_id: int) -> HttpResponse:
    item = found(lambda: queries.access_resource(request.user, resource_id))
    activities = queries.managed_activities(request.user, item.place.entity)
    form = BookingForm(request.POST or None, activities=activities)
    if request.method == "POST" and form.is_valid():
        try:
            booking = workspace.book_resource(
                actor=request.user,
                resource=item,
                activity=form.cleaned_data["activity"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Booked. %(price)s was charged to the activity.") % {"price": booking.price},
            )
            return redirect("services:bookings")
    _live_price(form, reverse("services:price", args=[item.pk]))
    # Others' bookings show as taken slots only: no activity, no name.
    taken = item.bookings.filter(status=BookingStatus.CONFIRMED, ends_at__gte=clock.now())
    context = {"resource": item, "form": form, "taken": taken.order_by("starts_at")[:50]}
    return render(request, "services/resource.html", context, status=form_status(form))


def _live_price(form: BookingForm, url: str) -> None:
    """htmx: changing a time asks the server for the price (the rule lives in one place)."""
    for name in ("starts_at", "ends_at"):
        form.fields[name].widget.attrs.update(
            {
                "hx-get": url,
                "hx-trigger": "change",
                "hx-target": "#price",
                "hx-include": "closest form",
            }
        )


@login_required
def price(request: HttpRequest, resource_id: int) -> HttpResponse:
    """The price of the slot being chosen, as a fragment for the booking form."""
    item = found(lambda: queries.access_resource(request.user, resource_id))
    form = SlotForm(request.GET)
    amount = None
    if form.is_valid() and form.cleaned_data["ends_at"] > form.cleaned_data["starts_at"]:
        duration = form.cleaned_data["ends_at"] - form.cleaned_data["starts_at"]
        if duration <= workspace.LONGEST_BOOKING:
            amount = booking_price(item.hourly_price, item.daily_price, duration)
    context = {"amount": amount, "currency": item.place.entity.currency}
    return render(request, "services/_price.html", context)


@login_required
def bookings(request: HttpRequest) -> HttpResponse:
    mine = queries.visible_bookings(request.user).filter(
        activity__participants__person__user=_user(request)
    )
    return render(
        request, "services/bookings.html", {"bookings": mine.order_by("-starts_at")[:200]}
    )


@login_required
@require_POST
def cancel_booking(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = found(lambda: queries.access_booking(request.user, booking_id))
    try:
        booking = workspace.cancel_booking(actor=request.user, booking=booking)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if booking.refund_entry_id or booking.price == 0:
            messages.success(request, _("Booking cancelled free of charge."))
        else:
            messages.warning(
                request, _("Booking cancelled after the notice period: it stays charged.")
            )
    if request.POST.get("back") == "staff":
        return redirect("services:staff_workspace", booking.entity_id)
    return redirect("services:bookings")


# --- training ---------------------------------------------------------------------------------


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    upcoming = (
        queries.visible_sessions(request.user)
        .filter(ends_at__gte=clock.now(), cancelled_at__isnull=True)
        .order_by("starts_at")
    )
    mine = (
        Enrolment.objects.filter(person__user=_user(request))
        .select_related("session")
        .order_by("-session__starts_at")[:100]
    )
    return render(request, "services/sessions.html", {"sessions": upcoming, "mine": mine})


@login_required
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    item = found(lambda: queries.access_session(request.user, session_id))
    activities = queries.managed_activities(request.user, item.entity)
    form = EnrolForm(request.POST or None, activities=activities, paid=item.price > 0)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = training.enrol(
                actor=request.user, session=item, activity=form.cleaned_data.get("activity")
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if enrolment.status == EnrolmentStatus.WAITING:
                messages.info(request, _("The session is full: you are on the waiting list."))
            else:
                messages.success(request, _("You are enrolled."))
            return redirect("services:sessions")
    taken = item.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    mine = item.enrolments.filter(person__user=_user(request)).exclude(status="cancelled").first()
    context = {
        "session": item,
        "form": form,
        "seats_left": max(item.capacity - taken, 0),
        "mine": mine,
    }
    return render(request, "services/session.html", context)


@login_required
@require_POST
def cancel_enrolment(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = found(lambda: queries.access_enrolment(request.user, enrolment_id))
    try:
        training.cancel_enrolment(actor=request.user, enrolment=enrolment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Enrolment cancelled."))
    return redirect("services:sessions")


@login_required
def attendance_certificate(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = found(lambda: queries.access_enrolment(request.user, enrolment_id))
    try:
        content = documents.certificate_pdf(documents.attendance_context(enrolment))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("services:sessions")
    return pdf_response(content, f"attendance-{enrolment.pk}")


# --- loans ------------------------------------------------------------------------------------


@login_required
def loan_list(request: HttpRequest) -> HttpResponse:
    mine = queries.visible_loans(request.user).filter(
        activity__participants__person__user=_user(request)
    )
    return render(request, "services/loans.html", {"loans": mine})


@login_required
def loan_request(request: HttpRequest) -> HttpResponse:
    form = LoanRequestForm(
        request.POST or None, activities=queries.managed_activities(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = loans.request_loan(
                actor=request.user,
                activity=data["activity"],
                kind=data["kind"],
                principal=data["principal"],
                months=data["months"],
                method=data["method"],
                purpose=data["purpose"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your request is sent to the advisers."))
            return redirect("services:loan", loan.pk)
    return render(request, "services/loan_request.html", {"form": form}, status=form_status(form))


@login_required
def loan(request: HttpRequest, loan_id: int) -> HttpResponse:
    item = found(lambda: queries.access_loan(request.user, loan_id))
    return render(request, "services/loan.html", loan_context(item))


def loan_context(item: Any) -> dict[str, Any]:
    """The loan with its schedule: the fixed one once lent, else the one it would have today."""
    if item.status in ("disbursed", "repaid"):
        schedule: list[Any] = list(Instalment.objects.filter(loan=item))
    else:
        schedule = list(loans.schedule_of(item, clock.today()))
    total = sum((i.amount for i in schedule), start=item.principal * 0)
    rate_percent = (item.annual_rate * 100).normalize()
    return {"loan": item, "schedule": schedule, "total": total, "rate_percent": rate_percent}


# --- insurance --------------------------------------------------------------------------------


@login_required
def policies(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    offered = queries.visible_policies(user).filter(active=True)
    covers = queries.visible_covers(user).filter(activity__participants__person__user=user)
    forms_by_policy = [
        (
            p,
            JoinPolicyForm(
                activities=queries.managed_activities(user, p.entity), prefix=f"p{p.pk}"
            ),
        )
        for p in offered
    ]
    return render(request, "services/policies.html", {"offered": forms_by_policy, "covers": covers})


@login_required
@require_POST
def join_policy(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = found(lambda: queries.access_policy(request.user, policy_id))
    form = JoinPolicyForm(
        request.POST,
        activities=queries.managed_activities(request.user, policy.entity),
        prefix=f"p{policy.pk}",
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of your activities."))
        return redirect("services:policies")
    try:
        insurance.join_policy(
            actor=request.user, policy=policy, activity=form.cleaned_data["activity"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The activity is covered. The premium was charged to it."))
    return redirect("services:policies")


@login_required
def cover_certificate(request: HttpRequest, cover_id: int) -> HttpResponse:
    cover = found(lambda: queries.access_cover(request.user, cover_id))
    holder = getattr(request.user, "person", None)
    return pdf_response(
        documents.certificate_pdf(documents.cover_context(cover, holder)), f"cover-{cover.pk}"
    )


# --- advice -----------------------------------------------------------------------------------


@login_required
def advice_list(request: HttpRequest) -> HttpResponse:
    mine = queries.visible_advice(request.user).filter(person__user=_user(request))
    return render(request, "services/advice_list.html", {"requests": mine})


@login_required
def advice_new(request: HttpRequest) -> HttpResponse:
    form = AdviceForm(
        request.POST or None, request.FILES or None, entities=member_entities(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asked = advice_actions.ask_advice(
                actor=request.user,
                entity=data["entity"],
                topic=data["topic"],
                subject=data["subject"],
                body=data["body"],
                files=checked_uploads(data["attachments"]),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your question is sent."))
            return redirect("services:advice", asked.pk)
    return render(request, "services/advice_new.html", {"form": form}, status=form_status(form))


@login_required
def advice(request: HttpRequest, request_id: int) -> HttpResponse:
    """The conversation, for the member who asked and for the entity's advisers."""
    item = found(lambda: queries.access_advice(request.user, request_id))
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            advice_actions.reply_advice(
                actor=request.user,
                request=item,
                body=form.cleaned_data["body"],
                files=checked_uploads(form.cleaned_data["attachments"]),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("services:advice", item.pk)
    return render(request, "services/advice.html", advice_context(request, item, form))


def advice_context(request: HttpRequest, item: Any, form: Any) -> dict[str, Any]:
    staff = queries.is_service_staff(request.user, item.entity_id)
    return {
        "item": item,
        "thread": item.messages.select_related("author").prefetch_related("files"),
        "form": form,
        "is_owner": item.person.user_id == request.user.pk,
        "staff": staff,
        "assign_form": AssignForm(entity=item.entity, initial={"adviser": item.assigned_to_id})
        if staff
        else None,
        "rating_form": RatingForm(),
    }


@login_required
@require_POST
def advice_close(request: HttpRequest, request_id: int) -> HttpResponse:
    item = found(lambda: queries.access_advice(request.user, request_id))
    try:
        advice_actions.close_advice(actor=request.user, request=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("services:advice", item.pk)


@login_required
@require_POST
def advice_rate(request: HttpRequest, request_id: int) -> HttpResponse:
    item = found(lambda: queries.access_advice(request.user, request_id))
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a rating from 1 to 5."))
        return redirect("services:advice", item.pk)
    try:
        advice_actions.rate_advice(
            actor=request.user,
            request=item,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("services:advice", item.pk)


@login_required
def advice_file(request: HttpRequest, attachment_id: int) -> FileResponse:
    """A stored file, only for who may see its request; always downloaded, never rendered."""
    attachment = found(lambda: queries.access_attachment(request.user, attachment_id))
    path = open_stored(attachment.path)
    if not path.is_file():
        raise Http404("the file is no longer stored")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

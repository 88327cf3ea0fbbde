"""Copyright pages: members ask (with a live preview of the figures), staff approve or refuse.
Views parse input, check access and call the actions in copyright.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mutua.activities.models import Activity
from mutua.core import clock
from mutua.core.errors import DomainError, NotFound
from mutua.core.inputs import clean_text, parse_money
from mutua.core.staff import staff_required
from mutua.expenses.queries import claimable_activities
from mutua.members.queries import person_of
from mutua.payroll import copyright as cr
from mutua.payroll.models import CopyrightPayment, CopyrightStatus


def parse_amount(text: str) -> Decimal:
    """The gross typed by the member: mutua.core.inputs' money rules (up to 10,000,000.00)."""
    return parse_money(text, field="gross")


def _activity_or_404(request: HttpRequest, text: str) -> Activity:
    if not (text.isascii() and text.isdigit()):
        raise Http404("no such activity")
    activity = (
        claimable_activities(request.user).select_related("entity").filter(pk=int(text)).first()
    )
    if activity is None:
        raise Http404("no such activity")
    return activity


def _payment_or_404(request: HttpRequest, payment_id: int) -> CopyrightPayment:
    try:
        return cr.access_copyright_payment(request.user, payment_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


# --- members ------------------------------------------------------------------------------------
@login_required
def copyright_list(request: HttpRequest) -> HttpResponse:
    """The member's copyright payments and the form to ask for one."""
    context: dict[str, Any] = {
        "payments": cr.member_copyright_payments(request.user)[:200],
        "activities": claimable_activities(request.user).select_related("entity"),
        "values": {"activity": "", "gross": "", "work": ""},
    }
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("activity", "gross", "work")}
        context["values"] = values
        try:
            activity = _activity_or_404(request, values["activity"].strip())
            payment = cr.request_copyright_payment(
                acting_user=request.user,
                activity=activity,
                gross=parse_amount(values["gross"]),
                work=clean_text(values["work"], field="work", max_length=200, required=False),
            )
        except DomainError as exc:
            context["error"] = exc
            return render(request, "payroll/copyright_list.html", context, status=400)
        messages.success(request, f"{payment.reference}")
        return redirect("payroll:copyright")
    return render(request, "payroll/copyright_list.html", context)


@login_required
def copyright_preview(request: HttpRequest) -> HttpResponse:
    """The htmx fragment under the form: figures and the room left, or what is wrong."""
    context: dict[str, Any] = {}
    person = person_of(request.user)
    text = request.GET.get("activity", "").strip()
    if person is not None and text and request.GET.get("gross", "").strip():
        try:
            activity = _activity_or_404(request, text)
            gross = parse_amount(request.GET.get("gross", ""))
            preview = cr.preview_copyright(activity, person, gross, clock.today())
            context.update(preview=preview, currency=activity.entity.currency)
            context["over"] = gross > preview.room.most
        except DomainError as exc:
            context["error"] = exc
    return render(request, "payroll/_copyright_preview.html", context)


# --- staff --------------------------------------------------------------------------------------
@staff_required
def copyright_queue(request: HttpRequest) -> HttpResponse:
    rows = cr.staff_copyright_payments(request.user)
    return render(
        request,
        "payroll/copyright_queue.html",
        {
            "waiting": rows.filter(status=CopyrightStatus.REQUESTED).order_by("created_at")[:200],
            "decided": rows.exclude(status=CopyrightStatus.REQUESTED)[:50],
        },
    )


@staff_required
@require_POST
def copyright_decide(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = _payment_or_404(request, payment_id)
    try:
        if request.POST.get("decision") == "approve":
            cr.approve_copyright_payment(acting_user=request.user, payment=payment)
        else:
            cr.refuse_copyright_payment(
                acting_user=request.user, payment=payment, reason=request.POST.get("reason", "")
            )
    except DomainError as exc:
        messages.error(request, f"{payment.reference}: {exc.message}")
    return redirect("payroll:copyright_queue")

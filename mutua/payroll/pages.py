"""Payslip and payroll-run pages. Views parse input, check access and call actions.

Members: their payslips (list, detail, PDF). Payroll officers: the runs of their entities,
launched from a form and advanced chunk by chunk by the progress page itself (htmx posts
"advance" until every chunk is done), so a run needs no background worker and a closed browser
only pauses it: the next visit, `mutua payroll run` or the worker resumes it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.core.errors import DomainError, NotFound
from mutua.core.staff import staff_required
from mutua.entities.models import Entity
from mutua.payroll import actions, regularisation_actions
from mutua.payroll.documents import payslip_context, payslip_pdf
from mutua.payroll.models import PayrollRun, Payslip
from mutua.payroll.queries import (
    access_payslip,
    access_run,
    member_payslips,
    payroll_entities,
    runs_of,
)


def _payslip_or_404(request: HttpRequest, payslip_id: int) -> Payslip:
    try:
        return access_payslip(request.user, payslip_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _run_or_404(request: HttpRequest, run_id: int) -> PayrollRun:
    try:
        return access_run(request.user, run_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


# --- members ------------------------------------------------------------------------------------
@login_required
def payslip_list(request: HttpRequest) -> HttpResponse:
    return render(request, "payroll/payslip_list.html", {"payslips": member_payslips(request.user)})


@login_required
def payslip_detail(request: HttpRequest, payslip_id: int) -> HttpResponse:
    payslip = _payslip_or_404(request, payslip_id)
    return render(request, "payroll/payslip_detail.html", payslip_context(payslip))


@login_required
def payslip_download(request: HttpRequest, payslip_id: int) -> HttpResponse:
    payslip = _payslip_or_404(request, payslip_id)
    response = HttpResponse(payslip_pdf(payslip), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{payslip.reference}.pdf"'
    return response


# --- payroll officers ---------------------------------------------------------------------------
@staff_required
def run_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _launch(request)
    return render(
        request,
        "payroll/run_list.html",
        {"runs": runs_of(request.user)[:100], "entities": payroll_entities(request.user)},
    )


def _payroll_entity(request: HttpRequest, entity_id: str) -> Entity:
    if not (entity_id.isascii() and entity_id.isdigit()):
        raise Http404("no such entity")
    entity = payroll_entities(request.user).filter(pk=int(entity_id)).first()
    if entity is None:
        raise Http404("no such entity")
    return entity


def _launch(request: HttpRequest) -> HttpResponse:
    entity = _payroll_entity(request, request.POST.get("entity", ""))
    try:
        period = actions.parse_period(request.POST.get("period", ""))
        run = actions.open_run(entity=entity, period=period, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("payroll:runs")
    return redirect("payroll:run", run.pk)


@staff_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(request, run_id)
    return render(request, "payroll/run_detail.html", _run_context(run))


@staff_required
@require_POST
def run_advance(request: HttpRequest, run_id: int) -> HttpResponse:
    """Pay the next chunk and answer with the progress fragment (which asks again if needed)."""
    run = _run_or_404(request, run_id)
    chunk = actions.next_chunk(run) if run.status == "open" else None
    if chunk is not None:
        try:
            actions.pay_chunk(chunk=chunk, acting_user=request.user)
        except DomainError as exc:
            return render(
                request, "payroll/_run_progress.html", {**_run_context(run), "error": exc}
            )
        run.refresh_from_db()
    context = _run_context(run)
    response = render(request, "payroll/_run_progress.html", context)
    if not context["pending"] and request.headers.get("HX-Request"):
        # Finished: reload the page, which then shows the payslips and the close button.
        response["HX-Refresh"] = "true"
    return response


@staff_required
@require_POST
def run_close(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(request, run_id)
    try:
        actions.close_run(run=run, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("payroll:run", run.pk)


@staff_required
@require_POST
def provisional_approve(request: HttpRequest) -> HttpResponse:
    """Agree to pay a month on provisional values (the launch refuses until someone does)."""
    entity = _payroll_entity(request, request.POST.get("entity", ""))
    try:
        period = actions.parse_period(request.POST.get("period", ""))
        approval = regularisation_actions.approve_provisional_month(
            entity=entity, period=period, acting_user=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(month)s may be paid on provisional values: %(notes)s")
            % {"month": f"{period:%Y-%m}", "notes": approval.notes},
        )
    return redirect("payroll:runs")


@staff_required
def regularise(request: HttpRequest) -> HttpResponse:
    """Show what regularising from a month would store, with its totals; store it on POST."""
    data = request.POST if request.method == "POST" else request.GET
    entity = _payroll_entity(request, data.get("entity", ""))
    try:
        first = actions.parse_period(data.get("from", ""))
        if request.method == "POST":
            report = regularisation_actions.regularise_payroll(
                entity=entity, first_month=first, acting_user=request.user
            )
            messages.success(
                request,
                _("%(count)s regularisations stored; each is settled on the next payslip.")
                % {"count": report.payslips},
            )
            return redirect("payroll:runs")
        report = regularisation_actions.preview_regularisation(entity=entity, first_month=first)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("payroll:runs")
    return render(
        request, "payroll/regularise.html", {"report": report.as_json(), "entity": entity}
    )


def _run_context(run: PayrollRun) -> dict[str, object]:
    report = actions.run_report(run).as_json()
    refused = [r for chunk in run.chunks.exclude(refused=[]) for r in chunk.refused]
    return {
        "run": run,
        "report": report,
        "pending": actions.next_chunk(run) is not None and run.status == "open",
        "refused": refused[:200],
        "payslips": Payslip.objects.filter(run=run).select_related("person")[:50],
        "entity": Entity.objects.get(pk=run.entity_id),
    }

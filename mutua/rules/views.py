"""Staff pages of the legal parameter sets: the sets in force and the uploads per country, load
a new file, see its differences to the set in force, approve or refuse it (another person).
Views parse input, check access and call actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.core.forms import add_domain_error
from mutua.core.staff import staff_required
from mutua.core.views import found_or_404
from mutua.countries.cliff import ending_soon
from mutua.countries.parameters import ParameterFileError, book
from mutua.countries.registry import parameters_for
from mutua.rules import actions, queries
from mutua.rules.forms import LoadForm, RefuseForm
from mutua.rules.models import ParameterSetUpload


def _upload_or_404(request: HttpRequest, upload_id: int) -> ParameterSetUpload:
    upload: ParameterSetUpload = found_or_404(
        lambda: queries.access_upload(request.user, upload_id)
    )
    return upload


def _countries_or_403(request: HttpRequest) -> list[str]:
    countries = queries.countries_of(request.user)
    if not countries:
        raise PermissionDenied  # payroll officers and administrators only
    return countries


def _in_force(code: str) -> list[Any]:
    """The set the book uses for each year of a country, latest first."""
    found = book(parameters_for(code))
    return [found.by_year[year] for year in sorted(found.by_year, reverse=True)]


@staff_required
def upload_list(request: HttpRequest) -> HttpResponse:
    countries = _countries_or_403(request)
    chosen = request.GET.get("country", "").upper()
    shown = [chosen] if chosen in countries else countries
    today = clock.today()
    context = {
        "countries": [
            {
                "code": code,
                "sets": _in_force(code),
                "cliff": ending_soon(code, today),
                "uploads": queries.uploads_for(request.user, code)[:100],
            }
            for code in shown
        ],
        "all_countries": countries,
        "chosen": chosen,
    }
    return render(request, "rules/list.html", context)


def _show_problems(form: LoadForm, error: DomainError) -> None:
    if isinstance(error, ParameterFileError):
        for line, message in error.problems:
            text = _("line %(line)s: %(message)s") % {"line": line, "message": message}
            form.add_error("file", text if line else message)
    else:
        add_domain_error(form, error)


@staff_required
def load(request: HttpRequest) -> HttpResponse:
    countries = _countries_or_403(request)
    initial = {"country": request.GET.get("country", "").upper()}
    form = LoadForm(
        request.POST or None, request.FILES or None, countries=countries, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            upload = actions.propose_parameter_set(
                acting_user=request.user,
                country=form.cleaned_data["country"],
                text=form.cleaned_data["file"],
            )
        except DomainError as exc:
            _show_problems(form, exc)
        else:
            messages.success(request, _("The set is proposed: another administrator approves it."))
            return redirect("rules:detail", upload.pk)
    status = 400 if form.errors else 200
    return render(request, "rules/load.html", {"form": form}, status=status)


@staff_required
def detail(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _upload_or_404(request, upload_id)
    context = {
        "upload": upload,
        "against": upload.differences.get("against", ""),
        "changes": upload.differences.get("changes", []),
        "can_decide": queries.may_decide(request.user, upload),
        "refuse_form": RefuseForm(),
    }
    return render(request, "rules/detail.html", context)


def _decide(request: HttpRequest, upload_id: int, decide: Any, done: str) -> HttpResponse:
    upload = _upload_or_404(request, upload_id)
    try:
        decide(upload)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("rules:detail", upload.pk)


@staff_required
@require_POST
def approve(request: HttpRequest, upload_id: int) -> HttpResponse:
    return _decide(
        request,
        upload_id,
        lambda u: actions.approve_parameter_set(acting_user=request.user, upload=u),
        _("The set is approved: the payroll uses it from now on."),
    )


@staff_required
@require_POST
def refuse(request: HttpRequest, upload_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _decide(
        request,
        upload_id,
        lambda u: actions.refuse_parameter_set(acting_user=request.user, upload=u, reason=reason),
        _("The set is refused."),
    )

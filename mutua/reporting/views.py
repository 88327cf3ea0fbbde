"""Staff reporting pages: an entity's indicators with charts and exports, the federation view
in one currency, and the upload of exchange rates."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from mutua.core import clock
from mutua.core.charts import bar_chart_svg
from mutua.core.errors import DomainError, InvalidInput
from mutua.core.forms import add_domain_error
from mutua.core.inputs import parse_year
from mutua.core.permissions import Role
from mutua.core.staff import staff_required
from mutua.core.views import found_or_404 as _found
from mutua.members.queries import has_role
from mutua.reporting import exports, rates
from mutua.reporting.federation import federation_view
from mutua.reporting.forms import RatesUploadForm
from mutua.reporting.indicators import entity_indicators
from mutua.reporting.queries import access_reporting_entity, reporting_entities

FIRST_YEAR = 2000
RATE_ROLES = (Role.ACCOUNTANT, Role.ADMINISTRATOR)  # rates serve the whole federation


def year_of(request: HttpRequest) -> int:
    """The ?year= asked for (this year by default), from 2000 to next year in ASCII digits
    (mutua.core.inputs.parse_year); 404 for anything else."""
    wanted = request.GET.get("year")
    if wanted is None:
        return clock.today().year
    try:
        return parse_year(wanted, first=FIRST_YEAR)
    except InvalidInput as exc:
        raise Http404(exc.message) from exc


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    entities = list(reporting_entities(request.user))
    if len(entities) == 1:
        return redirect("reporting:entity", entity_id=entities[0].pk)
    return render(request, "reporting/home.html", {"entities": entities})


@staff_required
def entity_report(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: access_reporting_entity(request.user, entity_id))
    year = year_of(request)
    figures = entity_indicators(entity, year)
    months = [(f"{m.month:%m}", m.turnover) for m in figures.months]
    pay = [(f"{m.month:%m}", m.gross_pay) for m in figures.months]
    charts = {
        "turnover": mark_safe(  # noqa: S308 - built by core.charts, every label escaped
            bar_chart_svg(
                months, title=_("Turnover per month"), unit=entity.currency, chart_id="turnover"
            )
        ),
        "pay": mark_safe(  # noqa: S308 - built by core.charts, every label escaped
            bar_chart_svg(pay, title=_("Gross pay per month"), unit=entity.currency, chart_id="pay")
        ),
    }
    return render(
        request,
        "reporting/entity.html",
        {
            "entity": entity,
            "year": year,
            "years": range(clock.today().year, clock.today().year - 6, -1),
            "figures": figures,
            "charts": charts,
            "coverage": figures.fund_balance / figures.fund_exposure
            if figures.fund_exposure
            else None,
        },
    )


@staff_required
def export(request: HttpRequest, entity_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Exports are CSV or XLSX."))
    entity = _found(lambda: access_reporting_entity(request.user, entity_id))
    year = year_of(request)
    figures = entity_indicators(entity, year)
    name = f"indicators-{entity.code}-{year}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.indicators_xlsx(figures),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.indicators_csv(figures), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@staff_required
def federation(request: HttpRequest) -> HttpResponse:
    year = year_of(request)
    currency = settings.MUTUA_REPORTING_CURRENCY
    view = federation_view(reporting_entities(request.user), year, currency)
    form = RatesUploadForm()
    return render(
        request,
        "reporting/federation.html",
        {
            "view": view,
            "year": year,
            "form": form,
            "years": range(clock.today().year, clock.today().year - 6, -1),
        },
    )


@staff_required
def upload_rates(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, RATE_ROLES):
        raise PermissionDenied
    form = RatesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = rates.import_rates(
                data=upload.read(), source=upload.name, acting_user=request.user
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(count)s rates imported.") % {"count": count})
            return redirect("reporting:federation")
    return render(request, "reporting/rates.html", {"form": form})

"""Member pages of the reporting app: "where does my invoice's money go" and the transparency
page of the member's entities. Access goes through the member's own access functions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.core.errors import DomainError, NotFound
from mutua.entities.models import Entity
from mutua.payroll.chart import CHART_WIDTH, LABEL_WIDTH, chart_height, waterfall
from mutua.reporting.annual import annual_report, annual_report_pdf
from mutua.reporting.member import where_the_money_goes
from mutua.reporting.transparency import transparency, transparency_entities
from mutua.reporting.views import year_of


@login_required
def invoice_money(request: HttpRequest, invoice_id: int) -> HttpResponse:
    try:
        invoice, simulation = where_the_money_goes(request.user, invoice_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:  # no fee rate or no payroll rules for that date
        return render(request, "reporting/invoice_money.html", {"error": exc}, status=422)
    bars = waterfall(simulation.lines)
    context: dict[str, Any] = {
        "invoice": invoice,
        "result": simulation,
        "bars": bars,
        "chart_height": chart_height(bars),
        "chart_width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
    }
    return render(request, "reporting/invoice_money.html", context)


def _chosen_entity(request: HttpRequest) -> tuple[list[Entity], Entity]:
    entities = list(transparency_entities(request.user))
    if not entities:
        raise Http404("You are a member of no entity yet.")
    wanted = request.GET.get("entity", "")
    entity = next((e for e in entities if str(e.pk) == wanted), None) if wanted else entities[0]
    if entity is None:
        raise Http404("No such entity.")
    return entities, entity


@login_required
def annual_pdf(request: HttpRequest) -> HttpResponse:
    _entities, entity = _chosen_entity(request)
    year = year_of(request)
    pdf = annual_report_pdf(annual_report(entity, year), request.LANGUAGE_CODE or "en")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-report-{entity.code}-{year}.pdf"'
    return response


@login_required
def transparency_page(request: HttpRequest) -> HttpResponse:
    entities, entity = _chosen_entity(request)
    year = year_of(request)
    return render(
        request,
        "reporting/transparency.html",
        {"entities": entities, "report": transparency(entity, year), "year": year},
    )

"""Annual document pages: members open and download their own; payroll officers list and open
those of their entities. Anything else is "not found"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.core.errors import DomainError, NotFound
from mutua.members.models import Person
from mutua.members.queries import person_of
from mutua.payroll import annual
from mutua.payroll.annual_documents import TITLES, annual_context, annual_pdf, language_for
from mutua.payroll.queries import payroll_entities


@login_required
def annual_list(request: HttpRequest) -> HttpResponse:
    """The member's documents by entity and year; for payroll officers, an entity's year."""
    context: dict[str, Any] = {
        "available": annual.member_years(request.user),
        "person": person_of(request.user),
        "titles": TITLES["en"],
        "entities": payroll_entities(request.user),
    }
    entity_id, year = request.GET.get("entity", ""), request.GET.get("year", "")
    if entity_id.isdigit() and year.isdigit():
        entity = context["entities"].filter(pk=int(entity_id)).first()
        if entity is None:
            raise Http404("no such entity")
        try:
            kind = annual.documents_of(entity.country)[0]
            context.update(
                staff_entity=entity,
                staff_year=int(year),
                staff_kind=kind,
                staff_documents=annual.annual_documents(entity, int(year), kind),
            )
        except DomainError as exc:
            context["error"] = exc
    return render(request, "payroll/annual_list.html", context)


def _document(
    request: HttpRequest, entity_id: int, year: int, kind: str, person_id: int
) -> tuple[annual.AnnualDocument, str, str]:
    try:
        entity, person_id = annual.access_annual(request.user, entity_id, person_id)
        document = annual.annual_document(entity, year, kind, person_id)
    except (NotFound, DomainError) as exc:
        raise Http404(exc.message) from exc
    language = language_for(Person.objects.get(pk=person_id))
    return document, language, entity.country


@login_required
def annual_detail(
    request: HttpRequest, entity_id: int, year: int, kind: str, person_id: int
) -> HttpResponse:
    document, language, country = _document(request, entity_id, year, kind, person_id)
    context = annual_context(document, language, country)
    context["pdf"] = (entity_id, year, kind, person_id)
    return render(request, "payroll/annual_detail.html", context)


@login_required
def annual_download(
    request: HttpRequest, entity_id: int, year: int, kind: str, person_id: int
) -> HttpResponse:
    document, language, country = _document(request, entity_id, year, kind, person_id)
    response = HttpResponse(annual_pdf(document, language, country), content_type="application/pdf")
    name = f"{kind}-{document.entity}-{year}-{person_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

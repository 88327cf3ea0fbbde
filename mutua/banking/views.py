"""Bank pages for accountants and administrators of an entity: accounts and statements, the
upload of a statement file, and the queue of lines to match by hand with suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutua.banking import queries
from mutua.banking.actions import import_statements, match_line
from mutua.banking.forms import MatchForm, StatementUploadForm
from mutua.core.errors import DomainError
from mutua.core.forms import add_domain_error, form_status
from mutua.core.staff import staff_required
from mutua.core.views import found_or_404 as _found
from mutua.invoicing.models import Invoice

QUEUE_PAGE = 25


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    entities = list(queries.banking_entities(request.user))
    if len(entities) == 1:
        return redirect("banking:entity", entity_id=entities[0].pk)
    return render(request, "banking/home.html", {"entities": entities})


@staff_required
def entity_bank(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: queries.access_bank_entity(request.user, entity_id))
    posted = request.method == "POST"  # an empty post is a refused one, not a page view
    form = StatementUploadForm(request.POST, request.FILES) if posted else StatementUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_statements(
                entity=entity,
                content=upload.read(),
                file_name=upload.name,
                acting_user=request.user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(name)s: %(imported)d lines imported, %(duplicates)d already known, "
                    "%(matched)d matched, %(unmatched)d to match by hand."
                )
                % {"name": upload.name, **result.as_dict()},
            )
            return redirect("banking:entity", entity_id=entity.pk)
    context = {
        "entity": entity,
        "form": form,
        "accounts": queries.accounts_of(entity),
        "statements": queries.statements_of(entity)[:30],
        "queued": queries.queue_of(entity).count(),
    }
    return render(request, "banking/entity.html", context, status=form_status(form))


@staff_required
def queue(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: queries.access_bank_entity(request.user, entity_id))
    page = Paginator(queries.queue_of(entity), QUEUE_PAGE).get_page(request.GET.get("page"))
    rows = queries.queue_with_suggestions(entity, list(page.object_list))
    context = {"entity": entity, "page": page, "rows": rows}
    return render(request, "banking/queue.html", context)


@staff_required
@require_POST
def match(request: HttpRequest, line_id: int) -> HttpResponse:
    line = _found(lambda: queries.access_statement_line(request.user, line_id))
    entity = line.account.entity
    chosen = request.POST.getlist("invoices")
    form = MatchForm(
        request.POST, choices=[(int(pk), pk) for pk in chosen if pk.isascii() and pk.isdigit()]
    )
    if not form.is_valid():
        messages.error(request, _("Choose the invoices this payment settles."))
        return redirect("banking:queue", entity_id=entity.pk)
    ids = list(form.cleaned_data["invoices"])
    by_number = Invoice.objects.filter(entity=entity, number__in=form.numbers_list())
    ids += [pk for pk in by_number.values_list("pk", flat=True) if pk not in ids]
    invoices = list(Invoice.objects.filter(entity=entity, pk__in=ids))
    order = {pk: n for n, pk in enumerate(ids)}
    invoices.sort(key=lambda invoice: order[invoice.pk])
    try:
        match_line(line=line, invoices=invoices, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        numbers = ", ".join(invoice.number or "" for invoice in invoices)
        messages.success(request, _("Payment matched to %(numbers)s.") % {"numbers": numbers})
    return redirect("banking:queue", entity_id=entity.pk)

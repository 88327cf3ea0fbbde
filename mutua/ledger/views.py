"""Ledger pages. Staff (accountant or administrator of the entity) browse journals, entries,
accounts, the trial balance and the general ledger; members open their activities' statements.
Each page also answers ?format=csv and ?format=json with the same figures."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from mutua.activities.queries import access_activity
from mutua.core import clock
from mutua.core.staff import staff_required
from mutua.core.views import found_or_404 as _found
from mutua.ledger import exports, queries
from mutua.ledger.models import Journal


def _date(request: HttpRequest, name: str, default: dt.date | None) -> dt.date | None:
    value = request.GET.get(name)
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Http404(f"{name} is not a date") from exc


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = clock.today()
    start = _date(request, "start", today.replace(month=1, day=1))
    end = _date(request, "end", today)
    assert start is not None and end is not None
    return start, end


def _csv(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
def books(request: HttpRequest) -> HttpResponse:
    entities = list(queries.ledger_entities(request.user))
    if len(entities) == 1:
        return redirect("ledger:entity", entity_id=entities[0].pk)
    return render(request, "ledger/books.html", {"entities": entities})


@staff_required
def entity_books(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: queries.access_books(request.user, entity_id))
    context = {
        "entity": entity,
        "journals": Journal.objects.filter(entity=entity),
        "accounts": queries.accounts_of(entity),
        "periods": queries.periods_of(entity),
    }
    return render(request, "ledger/entity.html", context)


@staff_required
def trial_balance(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: queries.access_books(request.user, entity_id))
    on = _date(request, "on", None)
    rows = queries.trial_balance(entity, on)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _csv(exports.trial_balance_csv(rows), f"trial-balance-{entity.code}.csv")
    payload = exports.trial_balance_json(entity, on, rows)
    if fmt == "json":
        return JsonResponse(payload)
    context = {"entity": entity, "on": on, "rows": rows, "totals": payload["totals"]}
    return render(request, "ledger/trial_balance.html", context)


@staff_required
def entries(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: queries.access_books(request.user, entity_id))
    journal = None
    if request.GET.get("journal"):
        journal_id = request.GET["journal"]
        if not (journal_id.isascii() and journal_id.isdigit()):
            raise Http404("no such journal")
        journal = _found(lambda: queries.access_journal(request.user, int(journal_id)))
        if journal.entity_id != entity.pk:
            raise Http404("no such journal")
    page = Paginator(queries.entries_of(entity, journal=journal), 50).get_page(
        request.GET.get("page")
    )
    context = {"entity": entity, "journal": journal, "page": page}
    return render(request, "ledger/entries.html", context)


@staff_required
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _found(lambda: queries.access_entry(request.user, entry_id))
    context = {"entry": entry, "lines": queries.lines_of(entry), "entity": entry.entity}
    return render(request, "ledger/entry.html", context)


@staff_required
def account_statement(request: HttpRequest, account_id: int) -> HttpResponse:
    account = _found(lambda: queries.access_account(request.user, account_id))
    start, end = _period(request)
    statement = queries.account_statement(account, start, end)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _csv(exports.statements_csv([statement]), f"account-{account.code}.csv")
    if fmt == "json":
        return JsonResponse(exports.statement_json(statement))
    context = {"entity": account.entity, "statements": [statement], "title": statement.title}
    return render(request, "ledger/statement.html", context)


@staff_required
def general_ledger(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: queries.access_books(request.user, entity_id))
    start, end = _period(request)
    statements = queries.general_ledger(entity, start, end)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _csv(exports.statements_csv(statements), f"general-ledger-{entity.code}.csv")
    if fmt == "json":
        return JsonResponse({"statements": [exports.statement_json(s) for s in statements]})
    context = {"entity": entity, "statements": statements, "title": entity.name}
    return render(request, "ledger/statement.html", context)


@login_required
def activity_statement(request: HttpRequest, activity_id: int) -> HttpResponse:
    """A member's view of one of their activities (staff of its entity may open it too)."""
    activity = _found(lambda: access_activity(request.user, activity_id))
    start, end = _period(request)
    report = queries.activity_statement(activity, start, end)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _csv(exports.statements_csv([report.statement]), f"activity-{activity.number}.csv")
    if fmt == "json":
        return JsonResponse(exports.activity_statement_json(report))
    return render(request, "ledger/activity_statement.html", {"report": report})

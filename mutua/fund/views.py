"""Guarantee fund pages for staff of an entity: the dashboard (balance, exposure, ageing,
losses, coverage, a chart with its numbers), the debts whose dunning ended, to write off, and
the monthly feed from the fees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mutua.backoffice.views import staff_required
from mutua.core.charts import line_chart_svg
from mutua.core.errors import DomainError, NotFound
from mutua.fund import queries
from mutua.fund.actions import feed_fund, write_off_debt
from mutua.invoicing.queries import amount_due

LISTED = 50


class WriteOffForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the debt is given up"),
        max_length=300,
        help_text=gettext_lazy(
            "E.g. the client is bankrupt, or the formal notice went unanswered."
        ),
    )


def _found(lookup: Callable[[], Any]) -> Any:
    try:
        return lookup()
    except NotFound as exc:
        raise Http404(exc.message) from exc


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    entities = list(queries.fund_entities(request.user))
    if len(entities) == 1:
        return redirect("fund:entity", entity_id=entities[0].pk)
    return render(request, "fund/home.html", {"entities": entities})


@staff_required
def dashboard(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: queries.access_fund(request.user, entity_id))
    today = timezone.localdate()
    figures = queries.fund_figures(entity, today)
    series = [(month, balance) for month, balance, _exposure in figures.history]
    candidates = list(queries.write_off_candidates(entity)[:LISTED])
    context = {
        "entity": entity,
        "figures": figures,
        "policy": queries.policy_row(entity, today),
        "advances": queries.advances_of(entity)[:LISTED],
        "candidates": [(invoice, amount_due(invoice)) for invoice in candidates],
        "form": WriteOffForm(),
        "may_act": queries.may_act(request.user, entity),
        # Built from our own numbers and escaped labels, not from user input.
        "chart": mark_safe(  # noqa: S308
            line_chart_svg(
                series, title=_("Guarantee fund balance at each month end"), unit=entity.currency
            )
        ),
    }
    return render(request, "fund/dashboard.html", context)


@staff_required
@require_POST
def write_off(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _found(lambda: queries.access_invoice_for_write_off(request.user, invoice_id))
    form = WriteOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the debt is given up."))
    else:
        try:
            done = write_off_debt(
                invoice=invoice, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "%(number)s written off: %(covered)s absorbed by the fund, %(uncovered)s "
                    "charged to the activity."
                )
                % {"number": invoice.number, "covered": done.covered, "uncovered": done.uncovered},
            )
    return redirect("fund:entity", entity_id=invoice.entity_id)


@staff_required
@require_POST
def feed(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: queries.access_fund(request.user, entity_id))
    try:
        fed = feed_fund(entity=entity, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        total = sum((f.amount for f in fed), start=0)
        messages.success(
            request,
            _("%(months)d month(s) fed: %(total)s %(currency)s.")
            % {"months": len(fed), "total": total, "currency": entity.currency},
        )
    return redirect("fund:entity", entity_id=entity.pk)

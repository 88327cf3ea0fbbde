"""Guarantee fund pages for staff of an entity: the dashboard (balance, exposure, ageing,
losses, coverage, a chart with its numbers), the debts whose dunning ended, to write off, and
the monthly feed from the fees."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mutua.core import clock
from mutua.core.charts import line_chart_svg
from mutua.core.errors import DomainError, NotFound
from mutua.core.forms import MoneyField, TextField, add_domain_error, form_status
from mutua.core.money import to_decimal
from mutua.core.staff import staff_required
from mutua.core.views import found_or_404 as _found
from mutua.fund import advances, queries
from mutua.fund.actions import feed_fund, write_off_debt
from mutua.invoicing.queries import amount_due

LISTED = 50


class WriteOffForm(forms.Form):
    reason = TextField(
        label=gettext_lazy("Why the debt is given up"),
        max_length=300,
        help_text=gettext_lazy(
            "E.g. the client is bankrupt, or the formal notice went unanswered."
        ),
    )


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    entities = list(queries.fund_entities(request.user))
    if len(entities) == 1:
        return redirect("fund:entity", entity_id=entities[0].pk)
    return render(request, "fund/home.html", {"entities": entities})


@staff_required
def dashboard(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: queries.access_fund(request.user, entity_id))
    today = clock.today()
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


# --- advances on confirmed order forms ----------------------------------------------------------
class AdvanceForm(forms.Form):
    order_form = forms.TypedChoiceField(label=gettext_lazy("Order form"), coerce=int)
    amount = MoneyField(label=gettext_lazy("Amount"), min_value=Decimal("0.01"))

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["order_form"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices


def _ongoing_orders(request: HttpRequest) -> list[tuple[Any, Decimal | None, str]]:
    """The member's confirmed order forms whose work has not ended, with what may be advanced
    on each (or why nothing may)."""
    from mutua.engagements.models import OrderForm

    today = clock.today()
    orders = (
        OrderForm.objects.filter(
            activity__participants__person__user=request.user.pk,
            status__in=queries.CONFIRMED_ORDER,
            end_date__gte=today,
        )
        .select_related("entity", "activity", "client")
        .order_by("start_date", "pk")
    )
    rows: list[tuple[Any, Decimal | None, str]] = []
    for order in orders[:20]:
        try:
            rows.append((order, advances.advance_room(order, on=today), ""))
        except DomainError as exc:
            rows.append((order, None, exc.message))
    return rows


@login_required
def my_advances(request: HttpRequest) -> HttpResponse:
    """A member's advances: what may be asked on each ongoing order form, and the requests."""
    orders = _ongoing_orders(request)
    choices = [(o.pk, f"{o.reference} · {o.client.name}") for o, room, _ in orders if room]
    form = AdvanceForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            order = advances.access_order_form_for_advance(
                request.user, form.cleaned_data["order_form"]
            )
            advances.request_advance(
                actor=request.user, order=order, amount=to_decimal(form.cleaned_data["amount"])
            )
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your request is sent to the cooperative's staff."))
            return redirect("fund:my_advances")
    context = {
        "orders": orders,
        "form": form,
        "requests": advances.visible_requests(request.user)
        .filter(person__user=request.user)
        .order_by("-created_at")[:50],
    }
    return render(request, "fund/my_advances.html", context, status=form_status(form))


@staff_required
def advance_queue(request: HttpRequest, entity_id: int) -> HttpResponse:
    entity = _found(lambda: advances.access_decider_entity(request.user, entity_id))
    context = {"entity": entity, "pending": advances.pending_for(entity)[:LISTED]}
    return render(request, "fund/advance_queue.html", context)


@staff_required
@require_POST
def decide_advance(request: HttpRequest, request_id: int) -> HttpResponse:
    found = _found(lambda: advances.access_advance_request(request.user, request_id))
    try:
        if request.POST.get("decision") == "approve":
            advances.approve_advance(actor=request.user, request=found)
            messages.success(request, _("Advance approved: it joins the next payouts."))
        else:
            advances.refuse_advance(
                actor=request.user, request=found, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Advance refused."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("fund:advance_queue", entity_id=found.entity_id)

"""Income smoothing pages (in the member's pay section): choose the monthly gross or work
budget from next month on, with the forecast for the amount typed before confirming."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutua.contracts import smoothing
from mutua.contracts.models import Contract, MonthlyAmount
from mutua.core import clock
from mutua.core.errors import DomainError, InvalidAmount, NotFound


def _amount(text: str) -> Decimal:
    try:
        return Decimal((text or "").strip().replace(",", "."))
    except InvalidOperation as exc:
        raise InvalidAmount(_("give the amount as a number, e.g. 2100.00"), field="amount") from exc


def _contract_or_404(request: HttpRequest, contract_id: int) -> Contract:
    try:
        return smoothing.access_own_monthly_contract(request.user, contract_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _rows(request: HttpRequest) -> list[dict[str, Any]]:
    """Each monthly contract with the amount paid this month and next, and its history."""
    contracts = list(smoothing.member_monthly_contracts(request.user))
    this = clock.today().replace(day=1)
    nxt = smoothing.next_month(this)
    ids = [c.pk for c in contracts]
    now, later = smoothing.amounts_in_force(ids, this), smoothing.amounts_in_force(ids, nxt)
    history: dict[int, list[MonthlyAmount]] = {}
    for row in MonthlyAmount.objects.filter(contract_id__in=ids).order_by("-valid_from", "-id"):
        history.setdefault(row.contract_id, []).append(row)
    return [
        {
            "contract": c,
            "this_month": now.get(c.pk, c.work_budget),
            "next_month": later.get(c.pk, c.work_budget),
            "history": history.get(c.pk, []),
        }
        for c in contracts
    ]


@login_required
def smoothing_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "contracts/smoothing.html",
        {"rows": _rows(request), "next": smoothing.next_month(clock.today())},
    )


@login_required
def smoothing_preview(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract_or_404(request, contract_id)
    context: dict[str, Any] = {"contract": contract}
    if request.GET.get("amount", "").strip():
        try:
            context["preview"] = smoothing.preview_monthly_amount(
                contract, _amount(request.GET["amount"]), request.GET.get("basis", "gross")
            )
        except DomainError as exc:
            context["error"] = exc
    return render(request, "contracts/_smoothing_preview.html", context)


@login_required
def smoothing_choose(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract_or_404(request, contract_id)
    if request.method != "POST":
        return redirect("payroll:smoothing")
    try:
        row = smoothing.choose_monthly_amount(
            acting_user=request.user,
            contract=contract,
            amount=_amount(request.POST.get("amount", "")),
            basis=request.POST.get("basis", "gross"),
        )
    except DomainError as exc:
        context = {
            "rows": _rows(request),
            "next": smoothing.next_month(clock.today()),
            "error": exc,
            "error_contract": contract.pk,
        }
        return render(request, "contracts/smoothing.html", context, status=400)
    messages.success(
        request,
        _("From %(month)s your contract pays a work budget of %(budget)s a month.")
        % {"month": f"{row.valid_from:%m/%Y}", "budget": row.work_budget},
    )
    return redirect("payroll:smoothing")

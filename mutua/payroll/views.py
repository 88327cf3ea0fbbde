"""The public salary simulator page (no login): a GET form and its breakdown."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutua.core import clock
from mutua.core.errors import DomainError
from mutua.countries.registry import country_choices
from mutua.payroll.chart import CHART_WIDTH, LABEL_WIDTH, chart_height, waterfall
from mutua.payroll.forms_input import build_request
from mutua.payroll.simulator import simulate

FIELDS = (
    "country",
    "on",
    "mode",
    "amount",
    "expenses",
    "worker",
    "category",
    "headcount",
    "marital",
    "partner_income",
    "children",
    "tax_table",
)


def simulator(request: HttpRequest) -> HttpResponse:
    """Show the form; when an amount is given, the simulation below it (or the error)."""
    values: dict[str, Any] = {
        "country": "BE",
        "on": clock.today().isoformat(),
        "mode": "invoiced",
        "partner_income": "yes",
        "children": "0",
        "headcount": "1",
    }
    values.update({k: v for k in FIELDS if (v := request.GET.get(k, "").strip())})
    values["single_parent"] = request.GET.get("single_parent") == "on"
    values["quick_estimate"] = request.GET.get("quick_estimate") == "on"
    context: dict[str, Any] = {"values": values, "countries": country_choices()}
    if request.GET.get("amount"):
        try:
            context["result"] = _simulate(values)
        except DomainError as exc:
            context["error"] = exc
    if context.get("result"):
        bars = waterfall(context["result"].lines)
        context.update(
            bars=bars,
            chart_height=chart_height(bars),
            chart_width=CHART_WIDTH,
            label_width=LABEL_WIDTH,
        )
    return render(request, "payroll/simulator.html", context)


def _simulate(values: dict[str, Any]) -> Any:
    mode = values.get("mode", "invoiced")
    sim = build_request(
        country=values.get("country", ""),
        on=values.get("on", ""),
        mode=mode,
        amount=values.get("amount", ""),
        expenses=values.get("expenses") if mode == "invoiced" else None,
        worker=values.get("worker"),
        category=values.get("category"),
        headcount=values.get("headcount"),
        marital=values.get("marital"),
        partner_income=values.get("partner_income"),
        children=values.get("children"),
        single_parent=values["single_parent"],
        tax_table=values.get("tax_table"),
        quick_estimate=values["quick_estimate"],
    )
    return simulate(sim)

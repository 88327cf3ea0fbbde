"""What a member sees of their own money: pay received this year, income and budget over the
last 24 months, what the budget could pay next month, and where an invoice's money goes.

Every figure is read through the member's own access (activities_of, access_invoice); the pay
computations reuse the payroll chain with the member's situation and the entity's k, so the
estimate is the one a payroll run would make on that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from mutua.activities.budget import month_ends, monthly_balance
from mutua.activities.models import Activity, ActivityParticipant
from mutua.contracts.actions import default_worker, k_terms
from mutua.core import clock
from mutua.core.pay import EmployerProfile, PayResult
from mutua.entities.queries import fee_rate_on
from mutua.invoicing.access import access_invoice
from mutua.invoicing.models import Invoice
from mutua.members.models import Person
from mutua.payroll.models import Payslip
from mutua.payroll.payslip import chain_for, situation_for, situation_of
from mutua.payroll.simulator import Simulation, SimulationRequest, simulate
from mutua.reporting.indicators import db_cents

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PayThisYear:
    entity: str
    currency: str
    gross: Decimal
    net: Decimal
    payslips: int


def pay_this_year(person: Person, year: int) -> list[PayThisYear]:
    rows = (
        Payslip.objects.filter(person=person, period__year=year)
        .values("entity__code", "currency")
        .annotate(gross=Sum("gross"), net=Sum("net"), count=Count("pk"))
        .order_by("entity__code")
    )
    return [
        PayThisYear(
            r["entity__code"], r["currency"], db_cents(r["gross"]), db_cents(r["net"]), r["count"]
        )
        for r in rows
    ]


def income_by_month(activities: list[Activity], last: dt.date, months: int = 24) -> list[Any]:
    """Invoiced excl. VAT per month over the activities (credit notes deducted)."""
    starts = month_ends(last, months)
    rows = (
        Invoice.objects.filter(activity__in=activities, issue_date__gte=starts[0])
        .exclude(status="draft")
        .annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(
            invoiced=Sum("total_net", filter=Q(kind="invoice"), default=ZERO)
            - Sum("total_net", filter=Q(kind="credit_note"), default=ZERO)
        )
    )
    by_month = {_as_date(r["month"]): db_cents(r["invoiced"]) for r in rows}
    return [(f"{m:%m/%y}", by_month.get(m, ZERO)) for m in starts]


def budget_by_month(activities: list[Activity], last: dt.date, months: int = 24) -> list[Any]:
    """The activities' budget at each month end, added up (one query per activity, ≤ 20)."""
    total: dict[str, Decimal] = {}
    order: list[str] = []
    for activity in activities:
        for label, value in monthly_balance(activity, last=last, months=months):
            if label not in total:
                order.append(label)
            total[label] = total.get(label, ZERO) + value
    return [(label, total[label]) for label in order]


def pay_from_budget(person: Person, activity: Activity, budget: Decimal, on: dt.date) -> PayResult:
    """What `budget` (a work budget, the fee already taken) pays as one month's salary."""
    entity = activity.entity
    situation = _situation(person, on)
    chain = chain_for(entity.country, on, situation, EmployerProfile(), k_terms(entity))
    return chain.pay(chain.gross_for_budget(max(budget, ZERO)))


def where_the_money_goes(user: Any, invoice_id: int) -> tuple[Invoice, Simulation]:
    """The invoice (if the user may see it) and its amount excl. VAT followed through the fee
    and the payroll rules in force on its date, for the activity's holder."""
    invoice = access_invoice(user, invoice_id)
    person = _holder(invoice.activity) or Person.objects.filter(user=user).first()
    on = invoice.issue_date or clock.today()
    rate = fee_rate_on(invoice.entity, on, invoice.activity.activity_type, invoice.activity_id).rate
    request = SimulationRequest(
        country=invoice.entity.country,
        on=on,
        mode="invoiced",
        amount=invoice.total_net if invoice.total_net > 0 else ZERO,
        situation=_situation(person, on) if person else situation_for(**DEFAULT_SITUATION),
        fee_rate=rate,
    )
    return invoice, simulate(request)


DEFAULT_SITUATION: dict[str, Any] = {
    "worker": "employee",
    "category": "non-cadre",
    "marital_status": "single",
    "partner_has_income": False,
    "dependent_children": 0,
    "disabled_dependent_children": 0,
    "single_parent": False,
}


def _situation(person: Person, on: dt.date) -> Any:
    return situation_of(person, worker=default_worker(person, on), category="non-cadre")


def _holder(activity: Activity) -> Person | None:
    participant = (
        ActivityParticipant.objects.filter(activity=activity, role="holder")
        .select_related("person")
        .first()
    )
    return participant.person if participant else None


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value

"""Demo of the guarantee fund, built after the bank demo (mutua.demo.money): the entity's policy,
the fund fed from last months' fees, work done last month for a client who has not paid (the
client confirmed the order form; the payroll run of last month pays the member from the fund),
and one overdue debt chased to the formal notice, then written off.

Everything goes through the real actions. Built again, it adds nothing (each step checks what
exists or is idempotent)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.test.utils import override_settings

from mutua.activities.budget import budget_views
from mutua.activities.models import Activity
from mutua.clients.models import Client
from mutua.core import clock
from mutua.countries.vat import EU_COUNTRIES
from mutua.engagements.actions import (
    OrderFormInput,
    confirm_order_form_by_client,
    create_order_form,
    send_order_form,
)
from mutua.engagements.links import make_token
from mutua.entities.models import Entity
from mutua.fund.actions import default_terms, feed_fund, set_policy, write_off_debt
from mutua.fund.models import FundAdvance, FundPolicy, WriteOff
from mutua.invoicing.dunning import run_dunning
from mutua.invoicing.models import Invoice, InvoiceKind
from mutua.invoicing.queries import OPEN_STATUSES
from mutua.payroll.actions import run_payroll

DEMO_SITE = "http://127.0.0.1:8000"
FEE_ROOM = Decimal("0.90")  # the work budget is a little less than the invoice (fee, rounding)
LATE_WORK = 3  # members paid last month for work their clients have not paid yet


def build_fund_demo(entity: Entity, rng: random.Random) -> dict[str, int]:
    """Returns what was added; the mails the steps send (order form, reminders) stay in memory."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        return _build(entity, rng)


def _build(entity: Entity, rng: random.Random) -> dict[str, int]:
    today = clock.today()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    counts = {"fund_months_fed": 0, "fund_payslips": 0, "fund_advances": 0, "written_off": 0}
    if not FundPolicy.objects.filter(entity=entity).exists():
        set_policy(
            entity=entity,
            valid_from=dt.date(today.year - 1, 1, 1),
            terms=default_terms(entity.country),
            acting_user=None,
        )
    counts["fund_months_fed"] = len(feed_fund(entity=entity))
    if not FundAdvance.objects.filter(entity=entity).exists():
        for activity in _poorest_activities(entity, LATE_WORK):
            _late_client_work(entity, activity, rng, last_month)
        run = run_payroll(entity=entity, period=last_month)
        counts["fund_payslips"] = run.members_done
    counts["fund_advances"] = FundAdvance.objects.filter(entity=entity).count()
    if not WriteOff.objects.filter(entity=entity).exists():
        counts["written_off"] = _write_off_one(entity, today)
    return counts


def _late_client_work(
    entity: Entity, activity: Activity, rng: random.Random, month: dt.date
) -> None:
    """Two days of work last month for a client in the EU who confirmed the order form and has
    not paid, worth more than the activity collected, so the fund pays part of it."""
    client = (
        Client.objects.filter(entity=entity, blocked=False, country__in=EU_COUNTRIES)
        .exclude(email="")
        .order_by("id")
        .first()
    )
    if client is None:
        return
    holder = activity.participants.filter(role="holder").select_related("person__user").first()
    if holder is None or holder.person.user is None:
        return
    user = holder.person.user
    start = _first_weekday(month + dt.timedelta(days=rng.randint(7, 14)))
    collected = max(budget_views(activity).available, Decimal("0"))
    amount = ((collected + Decimal("900")) / FEE_ROOM).quantize(Decimal("1"))
    form = create_order_form(
        actor=user,
        activity=activity,
        data=OrderFormInput(
            client=client,
            description="Concert (client late to pay)",
            start_date=start,
            end_date=start + dt.timedelta(days=1),
            working_days=Decimal("2"),
            amount_excl_vat=amount,
            place=entity.city or "",
        ),
    )
    send_order_form(actor=user, order_form=form, site_url=DEMO_SITE)
    form.refresh_from_db()
    confirm_order_form_by_client(token=make_token(form), ip="127.0.0.1", user_agent="demo")


def _poorest_activities(entity: Entity, count: int) -> list[Activity]:
    """The activities (of the first few) with the least money collected."""
    activities = list(
        Activity.objects.filter(entity=entity, participants__role="holder")
        .select_related("entity")
        .order_by("id")[:8]
    )
    return sorted(activities, key=lambda a: (budget_views(a).available, a.pk))[:count]


def _first_weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _write_off_one(entity: Entity, today: dt.date) -> int:
    """Chase the overdue invoices to the formal notice (one stage per run, as the daily job
    would over weeks), then give up the oldest undisputed one the fund has no advance on."""
    for _stage in entity.dunning_days:
        run_dunning(entity=entity, on=today)
    invoice = (
        Invoice.objects.filter(
            entity=entity,
            kind=InvoiceKind.INVOICE,
            status__in=OPEN_STATUSES,
            disputed_at__isnull=True,
            dunning_stage__gte=len(entity.dunning_days),
            fund_advances__isnull=True,
        )
        .order_by("due_date", "id")
        .first()
    )
    if invoice is None:
        return 0
    write_off_debt(
        invoice=invoice,
        reason="The client stopped trading: formal notice unanswered",
        acting_user=_accountant(entity),
    )
    return 1


def _accountant(entity: Entity) -> Any:
    from mutua.core.permissions import Role
    from mutua.members.models import StaffRole

    role = StaffRole.objects.filter(entity=entity, role=Role.ACCOUNTANT).first()
    return role.user if role else None

"""Income smoothing: the member chooses their monthly gross from next month on (a dated
amendment, history kept), refused when the budget cannot pay a month; payroll pays it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mutua.contracts.actions import make_monthly_contract
from mutua.contracts.models import MonthlyAmount
from mutua.contracts.smoothing import (
    amounts_in_force,
    choose_monthly_amount,
    next_month,
    preview_monthly_amount,
)
from mutua.core.errors import InvalidAmount, NotFound, RuleViolation
from mutua.core.models import AuditEvent
from mutua.core.permissions import Role
from tests.conftest import login, make_member, make_staff
from tests.ledger.conftest import books, make_activity
from tests.payroll.conftest import fund

APRIL_15 = dt.date(2026, 4, 15)
MAY = dt.date(2026, 5, 1)


@pytest.fixture
def smoothing(db: Any) -> dict[str, Any]:
    """Alice on a monthly contract (1,500 a month) from an activity holding 10,000."""
    entity = books("BE", years=(2026, 2027))
    officer = make_staff(entity, Role.PAYROLL_OFFICER)
    alice, bob = make_member(entity).person, make_member(entity).person
    activity = make_activity(entity, holder=alice)
    fund(activity, "10000.00", on=dt.date(2026, 1, 10))
    contract = make_monthly_contract(
        acting_user=officer,
        person=alice,
        activity=activity,
        start=dt.date(2026, 1, 1),
        monthly_work_budget=D("1500.00"),
    )
    return {"entity": entity, "alice": alice, "bob": bob, "contract": contract}


def choose(s: dict[str, Any], amount: str, **kw: Any) -> MonthlyAmount:
    return choose_monthly_amount(
        acting_user=s["alice"].user, contract=s["contract"], amount=D(amount), today=APRIL_15, **kw
    )


def test_a_chosen_gross_applies_from_next_month_and_keeps_the_history(
    smoothing: dict[str, Any],
) -> None:
    contract = smoothing["contract"]
    first = choose(smoothing, "2000.00")
    assert first.valid_from == MAY and first.gross == D("2000.00")
    assert first.work_budget > D("2000.00")  # gross × k, rounded up to the cent
    second = choose(smoothing, "2500.00", basis="work_budget")
    assert second.work_budget == D("2500.00") and second.gross < D("2500.00")
    assert amounts_in_force([contract.pk], dt.date(2026, 4, 1)) == {}  # April keeps 1,500
    assert amounts_in_force([contract.pk], MAY) == {contract.pk: D("2500.00")}
    assert MonthlyAmount.objects.filter(contract=contract).count() == 2
    event = AuditEvent.objects.filter(action="contract.choose_monthly_amount").order_by("id").last()
    assert event is not None and (event.after or {})["work_budget"] == "2500.00"


def test_an_amount_the_budget_cannot_pay_for_a_month_is_refused(
    smoothing: dict[str, Any],
) -> None:
    preview = preview_monthly_amount(smoothing["contract"], D("9000.00"), "gross", APRIL_15)
    assert not preview.pays_one_month
    with pytest.raises(RuleViolation, match="cannot pay one month"):
        choose(smoothing, "9000.00")
    for bad in ("0", "-5", "12.345"):
        with pytest.raises(InvalidAmount):
            choose(smoothing, bad)
    assert not MonthlyAmount.objects.exists()
    warned = preview_monthly_amount(smoothing["contract"], D("4000.00"), "work_budget", APRIL_15)
    assert warned.forecast.full_months == 2 and warned.forecast.warn


def test_another_member_cannot_choose_or_preview_it(smoothing: dict[str, Any]) -> None:
    contract = smoothing["contract"]
    with pytest.raises(NotFound):
        choose_monthly_amount(acting_user=smoothing["bob"].user, contract=contract, amount=D("1"))
    bob = login(Client(), smoothing["bob"].user)
    assert bob.get(reverse("payroll:smoothing_preview", args=[contract.pk])).status_code == 404
    forged = bob.post(reverse("payroll:smoothing_choose", args=[contract.pk]), {"amount": "100"})
    assert forged.status_code == 404 and not MonthlyAmount.objects.exists()
    assert contract.reference not in bob.get(reverse("payroll:smoothing")).content.decode()


def test_the_page_previews_then_confirms(smoothing: dict[str, Any]) -> None:
    contract = smoothing["contract"]
    alice = login(Client(), smoothing["alice"].user)
    assert contract.reference in alice.get(reverse("payroll:smoothing")).content.decode()
    preview = alice.get(
        reverse("payroll:smoothing_preview", args=[contract.pk]),
        {"amount": "2500.00", "basis": "work_budget"},
    ).content.decode()
    assert "Months the budget pays" in preview and ">4<" in preview
    bad = alice.post(reverse("payroll:smoothing_choose", args=[contract.pk]), {"amount": "abc"})
    assert bad.status_code == 400 and "give the amount" in bad.content.decode()
    done = alice.post(
        reverse("payroll:smoothing_choose", args=[contract.pk]),
        {"amount": "2500.00", "basis": "work_budget"},
    )
    assert done.status_code == 302
    row = MonthlyAmount.objects.get()
    assert row.valid_from == next_month(timezone.localdate())


def test_the_payroll_run_pays_the_amount_in_force(smoothing: dict[str, Any]) -> None:
    from mutua.payroll.actions import run_payroll
    from mutua.payroll.models import Payslip

    choose(smoothing, "2500.00", basis="work_budget")
    run_payroll(entity=smoothing["entity"], period=dt.date(2026, 4, 1))
    run_payroll(entity=smoothing["entity"], period=MAY)
    slips = Payslip.objects.filter(person=smoothing["alice"]).order_by("period")
    assert [s.work_budget for s in slips] == [D("1500.00"), D("2500.00")]

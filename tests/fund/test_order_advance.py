"""An advance on a confirmed order form before the work ends: within the policy's limit, decided
by staff, paid as a payout and taken back from the next net pay (issue 6, item 4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from mutua.banking.models import Payout
from mutua.banking.payouts import collect_payouts
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.permissions import Role
from mutua.engagements.models import OrderForm
from mutua.fund.advances import approve_advance, refuse_advance, request_advance
from mutua.fund.models import FundAdvance
from mutua.fund.queries import fund_exposure, open_exposure
from mutua.ledger.queries import verify_books
from mutua.payroll.actions import run_payroll
from tests.conftest import make_entity, make_member, make_staff
from tests.fund.conftest import Fund, fund_scene
from tests.payroll.conftest import APRIL


@pytest.fixture
def ongoing(db: Any) -> Fund:
    """The order form's work runs until next month: an advance may be asked."""
    scene = fund_scene()
    later = timezone.localdate() + dt.timedelta(days=30)
    OrderForm.objects.filter(invoice=scene.invoice).update(end_date=later)
    return scene


def order(scene: Fund) -> OrderForm:
    return OrderForm.objects.get(invoice=scene.invoice)


def test_a_member_asks_within_the_limit_and_staff_approve(ongoing: Fund) -> None:
    # Limit: 50 % of the activity's share still unpaid (1870.00) = 935.00.
    with pytest.raises(InvalidInput, match=r"at most 935\.00"):
        request_advance(actor=ongoing.shop.user, order=order(ongoing), amount=Decimal("935.01"))
    asked = request_advance(actor=ongoing.shop.user, order=order(ongoing), amount=Decimal("900"))
    with pytest.raises(StateConflict):  # one request waiting at a time
        request_advance(actor=ongoing.shop.user, order=order(ongoing), amount=Decimal("10"))
    adviser = make_staff(ongoing.entity, Role.ADVISER)
    approve_advance(actor=adviser, request=asked)
    advance = FundAdvance.objects.get(kind="order_form")
    assert advance.amount == Decimal("900.00") == fund_exposure(ongoing.entity)
    assert open_exposure(ongoing.entity) == fund_exposure(ongoing.entity)
    with pytest.raises(StateConflict):
        approve_advance(actor=adviser, request=asked)  # decided once
    assert verify_books() == []


def test_the_advance_is_paid_once_and_taken_back_from_the_net_pay(ongoing: Fund) -> None:
    asked = request_advance(actor=ongoing.shop.user, order=order(ongoing), amount=Decimal("100"))
    approve_advance(actor=make_staff(ongoing.entity, Role.ADVISER), request=asked)
    run_payroll(entity=ongoing.entity, period=APRIL)
    collect_payouts(entity=ongoing.entity)
    collect_payouts(entity=ongoing.entity)  # again: nothing more
    advance = Payout.objects.get(source="advance")
    slip = Payout.objects.get(source="payslip")
    from mutua.payroll.models import Payslip

    net = Payslip.objects.get(person=ongoing.person).net
    assert advance.amount == Decimal("100.00") and slip.amount == net - Decimal("100.00")
    asked.refresh_from_db()
    assert asked.recovered == Decimal("100.00")


def test_others_cannot_ask_or_decide(ongoing: Fund) -> None:
    bob = make_member(ongoing.entity).person.user
    with pytest.raises(AccessDenied):
        request_advance(actor=bob, order=order(ongoing), amount=Decimal("100"))
    asked = request_advance(actor=ongoing.shop.user, order=order(ongoing), amount=Decimal("100"))
    foreign = make_staff(make_entity("FR"), Role.ADVISER)
    for outsider in (bob, foreign, ongoing.shop.user):
        with pytest.raises(AccessDenied):
            approve_advance(actor=outsider, request=asked)
    assert not FundAdvance.objects.exists()
    refuse_advance(
        actor=make_staff(ongoing.entity, Role.ADVISER), request=asked, reason="Too early"
    )
    asked.refresh_from_db()
    assert asked.status == "refused" and not FundAdvance.objects.exists()


def test_no_advance_once_the_work_has_ended(paid_by_fund: Fund) -> None:
    with pytest.raises(StateConflict, match="ended"):
        request_advance(
            actor=paid_by_fund.shop.user, order=order(paid_by_fund), amount=Decimal("10")
        )

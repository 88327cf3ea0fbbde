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


def test_the_pages_and_api_keep_each_member_to_their_own(ongoing: Fund) -> None:
    from django.test import Client as Browser

    from mutua.fund.models import AdvanceRequest
    from tests.conftest import login
    from tests.fund.test_pages_and_api import api_client

    form = order(ongoing)
    alice, bob = ongoing.shop.user, make_member(ongoing.entity).person.user
    page = login(Browser(), alice).get("/fund/advances/")
    assert page.status_code == 200 and "935.00" in page.content.decode()
    # Bob forges Alice's order form: 404 through the API, an invalid choice on the page.
    url = f"/api/v1/fund/order-forms/{form.pk}/advance-requests"
    assert (
        api_client(bob).post(url, {"amount": "10"}, content_type="application/json").status_code
        == 404
    )
    login(Browser(), bob).post("/fund/advances/", {"order_form": form.pk, "amount": "10"})
    assert not AdvanceRequest.objects.exists()
    made = api_client(alice).post(url, {"amount": "200.00"}, content_type="application/json")
    assert made.status_code == 200 and made.json()["status"] == "pending"
    pk = made.json()["id"]
    assert api_client(bob).get("/api/v1/fund/advance-requests").json() == []
    foreign = make_staff(make_entity("FR"), Role.ADVISER)
    decide = f"/fund/advances/{pk}/decide/"
    assert login(Browser(), foreign).post(decide, {"decision": "approve"}).status_code == 404
    adviser = make_staff(ongoing.entity, Role.ADVISER)
    queue = login(Browser(), adviser).get(f"/fund/{ongoing.entity.pk}/advances/")
    assert queue.status_code == 200 and "200.00" in queue.content.decode()
    assert login(Browser(), adviser).post(decide, {"decision": "approve"}).status_code == 302
    assert AdvanceRequest.objects.get().status == "approved"
    assert fund_exposure(ongoing.entity) == Decimal("200.00")

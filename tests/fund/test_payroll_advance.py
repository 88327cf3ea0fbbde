"""Payroll pays from collected money plus what the fund guarantees (issue 6, item 4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.fund.models import FundAdvance
from mutua.fund.queries import fund_exposure, open_exposure
from mutua.ledger.models import Entry
from mutua.ledger.queries import activity_balance, verify_books
from mutua.payroll.actions import close_run, run_payroll
from mutua.payroll.models import Payslip
from tests.fund.conftest import POLICY, Fund, fund_scene
from tests.payroll.conftest import APRIL, day_contracts, fund


class Crash(Exception):
    pass


def test_the_fund_advances_pay_the_client_has_not_paid_yet(paid_by_fund: Fund) -> None:
    slip = Payslip.objects.get(person=paid_by_fund.person)
    assert slip.work_budget == Decimal("1350.00")
    (advance,) = FundAdvance.objects.all()
    assert (advance.invoice, advance.amount) == (paid_by_fund.invoice, Decimal("1350.00"))
    assert advance.granted_on == dt.date(2026, 4, 30)
    # Exposure in the books = the open advances; the memo pair leaves the budget alone.
    assert fund_exposure(paid_by_fund.entity) == open_exposure(paid_by_fund.entity)
    assert fund_exposure(paid_by_fund.entity) == Decimal("1350.00")
    assert activity_balance(paid_by_fund.shop.activity) == Decimal("520.00")  # 1870 - 1350
    assert verify_books() == []


def test_collected_money_is_spent_before_the_fund(scene: Fund) -> None:
    fund(scene.shop.activity, "1000.00")  # collected income booked on the activity
    run_payroll(entity=scene.entity, period=APRIL)
    assert FundAdvance.objects.get().amount == Decimal("350.00")
    assert fund_exposure(scene.entity) == Decimal("350.00")


def test_running_again_or_resuming_creates_no_second_advance(scene: Fund) -> None:
    other = fund_scene("BE2")  # a second member in another entity, chunked apart

    def crash(chunk: Any) -> None:
        raise Crash

    with pytest.raises(Crash):
        run_payroll(entity=scene.entity, period=APRIL, chunk_size=1, after_chunk=crash)
    run_payroll(entity=scene.entity, period=APRIL, chunk_size=1)
    run_payroll(entity=scene.entity, period=APRIL, chunk_size=1)
    assert FundAdvance.objects.filter(entity=scene.entity).count() == 1
    assert Entry.objects.filter(idempotency_key__startswith="fund-advance:").count() == 1
    assert fund_exposure(scene.entity) == Decimal("1350.00")
    assert other.entity != scene.entity and verify_books() == []


def test_a_second_run_of_the_month_uses_what_is_left_of_the_invoice(scene: Fund) -> None:
    close_run(run=run_payroll(entity=scene.entity, period=APRIL))
    day_contracts(scene.person, scene.shop.activity, ["500.00"], first=dt.date(2026, 4, 20))
    close_run(run=run_payroll(entity=scene.entity, period=APRIL))
    assert sorted(a.amount for a in FundAdvance.objects.all()) == [
        Decimal("500.00"),
        Decimal("1350.00"),
    ]
    day_contracts(scene.person, scene.shop.activity, ["100.00"], first=dt.date(2026, 4, 27))
    run = run_payroll(entity=scene.entity, period=APRIL)  # 1870 - 1850 = 20 left: refused
    assert run.members_refused == 1
    (refusal,) = [r for c in run.chunks.all() for r in c.refused]
    assert "guaranteed 20.00 are below the work budget 100.00" in refusal[1]


def test_a_client_outside_the_eu_is_not_guaranteed_and_the_run_says_why(db: Any) -> None:
    scene = fund_scene()
    scene.invoice.client.country = "US"
    scene.invoice.client.save(update_fields=["country"])
    run = run_payroll(entity=scene.entity, period=APRIL)
    (refusal,) = [r for c in run.chunks.all() for r in c.refused]
    assert refusal[0] == scene.person.pk
    assert "below the work budget 1350.00" in refusal[1]
    assert f"{scene.invoice.number} (the client is not established in the EU)" in refusal[1]
    assert not FundAdvance.objects.exists() and not Payslip.objects.exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("blocked", "the client is blocked"),
        ("no_order", "the client did not confirm an order form"),
        ("limit", ""),
    ],
)
def test_ineligible_or_over_the_limit_is_not_paid(db: Any, change: str, reason: str) -> None:
    from dataclasses import replace

    policy = replace(POLICY, limit_per_client=Decimal("1000.00")) if change == "limit" else POLICY
    scene = fund_scene(policy=policy, order=change != "no_order")
    if change == "blocked":
        scene.invoice.client.blocked = True
        scene.invoice.client.save(update_fields=["blocked"])
    run = run_payroll(entity=scene.entity, period=APRIL)
    (refusal,) = [r for c in run.chunks.all() for r in c.refused]
    assert reason in refusal[1]
    assert not FundAdvance.objects.exists()
    assert fund_exposure(scene.entity) == 0 and verify_books() == []


def test_an_entity_without_policy_pays_only_collected_money(db: Any) -> None:
    from mutua.fund.models import FundPolicy

    scene = fund_scene()
    FundPolicy.objects.filter(entity=scene.entity).delete()
    run = run_payroll(entity=scene.entity, period=APRIL)
    assert run.members_refused == 1 and not FundAdvance.objects.exists()


def test_the_budget_shows_invoiced_available_and_guaranteed(scene: Fund) -> None:
    from mutua.activities.budget import budget_views

    before = budget_views(scene.shop.activity)
    assert (before.invoiced, before.available, before.guaranteed) == (
        Decimal("1870.00"),
        Decimal("0.00"),
        Decimal("1870.00"),
    )
    run_payroll(entity=scene.entity, period=APRIL)
    after = budget_views(scene.shop.activity)
    assert after.available == Decimal("-1350.00")  # pay went out before the money came in
    assert after.guaranteed == Decimal("1870.00")  # 1350.00 advanced, 520.00 still possible
    assert after.payable == Decimal("520.00")

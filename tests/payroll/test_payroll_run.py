"""Payroll runs: computed, stored and posted in bulk; idempotent; resumable (issue 5, item 5)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from mutua.ledger.models import Entry
from mutua.ledger.queries import activity_balance, verify_books
from mutua.payroll.actions import close_run, run_payroll, run_totals
from mutua.payroll.models import PaidPeriod, PayrollRun, Payslip
from tests.payroll.conftest import APRIL, day_contracts, fund, scene


class Crash(Exception):
    pass


def run_json(entity_code: str, period: str = "2026-04") -> dict[str, Any]:
    out = StringIO()
    call_command(
        "payroll", "run", "--entity", entity_code, "--period", period, "--json", stdout=out
    )
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_it_pays_each_member_once_for_the_month(payroll_be: dict[str, Any]) -> None:
    report = run_json(payroll_be["entity"].code)
    assert (report["members"], report["payslips"], report["refused"]) == (2, 2, 0)
    assert report["totals"]["work_budget"] == "3150.00"
    slip = Payslip.objects.get(person=payroll_be["people"][0])
    assert (slip.days, slip.work_budget) == (Decimal("3.00"), Decimal("1350.00"))
    assert slip.gross + slip.employer_contributions + slip.cooperative == slip.work_budget
    (net,) = [ln for ln in slip.breakdown if ln.code == "net"]
    assert net.amount == slip.net
    assert verify_books() == []


def test_the_activity_budget_falls_by_the_work_budget(payroll_be: dict[str, Any]) -> None:
    activity = payroll_be["activities"][0]
    before = activity_balance(activity)
    run_payroll(entity=payroll_be["entity"], period=APRIL)
    assert before - activity_balance(activity) == Decimal("1350.00")


def test_running_twice_pays_nobody_twice(payroll_be: dict[str, Any]) -> None:
    first = run_json(payroll_be["entity"].code)
    again = run_json(payroll_be["entity"].code)
    assert again == first
    assert Payslip.objects.count() == 2
    assert Entry.objects.filter(journal__kind="payroll").count() == 2


def test_a_crash_between_chunks_resumes_without_duplicates(
    payroll_be: dict[str, Any],
) -> None:
    entity = payroll_be["entity"]

    def crash(chunk: Any) -> None:
        raise Crash

    with pytest.raises(Crash):
        run_payroll(entity=entity, period=APRIL, chunk_size=1, after_chunk=crash)
    assert Payslip.objects.count() == 1  # the first chunk was committed with its marker
    run = run_payroll(entity=entity, period=APRIL, chunk_size=1)
    assert Payslip.objects.count() == 2
    assert PayrollRun.objects.count() == 1
    assert Entry.objects.filter(journal__kind="payroll").count() == 2
    assert PaidPeriod.objects.count() == 5
    assert verify_books() == []
    # The same totals as the same month run without a crash, in another entity's books.
    straight = run_payroll(entity=scene("BE2")["entity"], period=APRIL)
    assert run_totals(run) == run_totals(straight)


def test_a_member_without_budget_is_refused_with_the_reason(
    payroll_be: dict[str, Any],
) -> None:
    poor = payroll_be["people"][2]
    day_contracts(poor, payroll_be["activities"][2], ["9000.00"])
    run = run_payroll(entity=payroll_be["entity"], period=APRIL)
    assert run.members_refused == 1
    (refusal,) = [r for c in run.chunks.all() for r in c.refused]
    assert refusal[0] == poor.pk and "below the work budget 9000.00" in refusal[1]
    assert not Payslip.objects.filter(person=poor).exists()


def test_contracts_added_after_closing_go_to_a_second_run_taxed_on_the_month(
    payroll_be: dict[str, Any],
) -> None:
    entity = payroll_be["entity"]
    person, activity = payroll_be["people"][1], payroll_be["activities"][1]
    fund(activity, "20000.00")
    close_run(run=run_payroll(entity=entity, period=APRIL))
    day_contracts(person, activity, ["900.00"] * 10, first=dt.date(2026, 4, 13))
    second = run_payroll(entity=entity, period=APRIL)
    assert second.sequence == 2 and second.members_total == 1
    slips = list(Payslip.objects.filter(person=person).order_by("id"))
    assert len(slips) == 2
    # The month's two payslips together withhold what one payslip of the month would.
    whole_month = _one_payslip_tax(entity, person, activity)
    assert sum(s.withholding_tax for s in slips) == whole_month


def _one_payslip_tax(entity: Any, person: Any, activity: Any) -> Decimal:
    from mutua.contracts.models import Contract
    from mutua.core.pay import EmployerProfile
    from mutua.payroll.payslip import KTerms, WorkItem, chain_for, compute_payslip, situation_for

    chain = chain_for(
        "BE",
        APRIL,
        situation_for(
            worker="employee",
            category="non-cadre",
            marital_status=person.marital_status,
            partner_has_income=person.partner_has_income,
            dependent_children=person.dependent_children,
            disabled_dependent_children=person.disabled_dependent_children,
            single_parent=person.single_parent,
        ),
        EmployerProfile(),
        KTerms(),
    )
    items = [
        WorkItem(c.pk, activity.pk, c.work_budget, c.days)
        for c in Contract.objects.filter(person=person)
    ]
    whole = compute_payslip(chain, items, period=APRIL)
    return whole.withholding_tax


def test_the_command_refuses_a_chunk_size_below_one(payroll_be: dict[str, Any]) -> None:
    from django.core.management.base import CommandError

    with pytest.raises((CommandError, SystemExit)):
        call_command("payroll", "run", "--entity", "BE", "--period", "2026-04", "--chunk-size", "0")

"""Loans: disbursed into the budget with a file fee, instalments drawn once each."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from mutua.core.errors import AccessDenied, InvalidInput, NotFound, StateConflict
from mutua.core.permissions import Role
from mutua.ledger.queries import account_balance, posting_account
from mutua.services.actions.loans import (
    collect_instalments,
    disburse_loan,
    request_loan,
    set_loan_terms,
)
from mutua.services.models import Instalment, Loan
from mutua.services.queries import access_loan
from tests.conftest import make_staff
from tests.services.conftest import Coop, books_balance, budget, later, make_resource
from tests.services.test_workspace import book


def terms(c: Coop) -> None:
    set_loan_terms(
        actor=c.staff,
        entity=c.entity,
        valid_from=dt.date(2020, 1, 1),
        investment_rate=Decimal("0.04"),
        file_fee_rate=Decimal("0.03"),
    )


def ask(c: Coop, kind: str = "investment", amount: str = "1200.00", months: int = 12) -> Loan:
    return request_loan(
        actor=c.alice.person.user,
        activity=c.alice_activity,
        kind=kind,
        principal=Decimal(amount),
        months=months,
        method="annuity" if kind == "investment" else "linear",
        purpose="A kiln",
    )


def test_an_investment_loan_credits_the_budget_and_charges_the_file_fee(be: Coop) -> None:
    terms(be)
    loan = disburse_loan(actor=be.staff, loan=ask(be))
    assert (loan.status, loan.file_fee, loan.annual_rate) == (
        "disbursed",
        Decimal("36.00"),
        Decimal("0.04"),
    )
    assert budget(be.alice_activity) == Decimal("1000.00") + Decimal("1200.00") - Decimal("36.00")
    assert account_balance(posting_account(be.entity, "activity_loans")) == Decimal("1200.00")
    assert Instalment.objects.filter(loan=loan).count() == 12
    books_balance(be.entity)


def test_each_instalment_is_drawn_once_however_often_the_job_runs(be: Coop) -> None:
    loan = disburse_loan(actor=be.staff, loan=ask(be, kind="bridge", amount="300.00", months=3))
    last_due = Instalment.objects.filter(loan=loan).order_by("-number")[0].due_date
    first = collect_instalments(entity=be.entity, on=last_due)
    again = collect_instalments(entity=be.entity, on=last_due)
    assert (first.collected, first.amount, again.collected) == (3, Decimal("300.00"), 0)
    assert budget(be.alice_activity) == Decimal("1000.00")
    assert account_balance(posting_account(be.entity, "activity_loans")) == 0
    assert Loan.objects.get(pk=loan.pk).status == "repaid"
    books_balance(be.entity)


def test_interest_goes_to_interest_income(be: Coop) -> None:
    terms(be)
    loan = disburse_loan(actor=be.staff, loan=ask(be))
    first = Instalment.objects.get(loan=loan, number=1)
    collect_instalments(entity=be.entity, on=first.due_date)
    assert account_balance(posting_account(be.entity, "interest_income")) == -first.interest


def test_an_instalment_the_budget_cannot_pay_stays_due(be: Coop) -> None:
    loan = disburse_loan(actor=be.staff, loan=ask(be, kind="bridge", amount="600.00", months=1))
    book(be, make_resource(be, hourly="1500.00", daily="0"), start=later(), hours=1)
    due = Instalment.objects.get(loan=loan).due_date
    result = collect_instalments(entity=be.entity, on=due)
    assert result.collected == 0 and len(result.short) == 1
    assert Instalment.objects.get(loan=loan).entry_id is None


def test_members_and_staff_are_kept_to_their_side(be: Coop) -> None:
    loan = ask(be, kind="bridge")
    with pytest.raises(AccessDenied):
        request_loan(
            actor=be.bob.person.user,
            activity=be.alice_activity,
            kind="bridge",
            principal=Decimal("100.00"),
            months=2,
            method="linear",
            purpose="x",
        )
    with pytest.raises(AccessDenied):
        disburse_loan(actor=be.alice.person.user, loan=loan)
    with pytest.raises(NotFound):
        access_loan(be.bob.person.user, loan.pk)
    accountant = make_staff(be.entity, Role.ACCOUNTANT)
    assert access_loan(accountant, loan.pk) == loan
    disburse_loan(actor=accountant, loan=loan)
    with pytest.raises(StateConflict):
        disburse_loan(actor=accountant, loan=loan)


def test_an_investment_loan_needs_the_entitys_terms_and_a_sane_term(be: Coop) -> None:
    with pytest.raises(StateConflict):
        ask(be)
    terms(be)
    with pytest.raises(InvalidInput):
        ask(be, months=0)
    with pytest.raises(InvalidInput):
        ask(be, amount="-5.00")
    assert not Loan.objects.exists()


def test_the_collect_command_prints_json_and_is_safe_to_rerun(be: Coop) -> None:
    loan = disburse_loan(actor=be.staff, loan=ask(be, kind="bridge", amount="200.00", months=2))
    due = Instalment.objects.filter(loan=loan).order_by("number")[0].due_date
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        call_command(
            "loans", "collect", "--entity", be.entity.code, "--on", str(due), "--json", stdout=out
        )
        outputs.append(json.loads(out.getvalue()))
    assert outputs[0] | {"collected": 0, "amount": "0.00"} == outputs[1]
    assert (outputs[0]["collected"], outputs[0]["amount"]) == (1, "100.00")
    with pytest.raises(CommandError):
        call_command("loans", "collect", "--entity", "XX")


def test_an_unknown_repayment_method_is_refused(be: Coop) -> None:
    with pytest.raises(InvalidInput):
        request_loan(
            actor=be.alice.person.user,
            activity=be.alice_activity,
            kind="bridge",
            principal=Decimal("100.00"),
            months=2,
            method="balloon",
            purpose="x",
        )

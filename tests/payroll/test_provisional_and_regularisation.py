"""Paying on provisional values, then regularising once the official ones are in (issue: rules
that outlive the calendar). The shipped Belgian 2027 set is provisional (published on
2026-12-06 before the official key formula); an official set is then loaded and each payslip
paid on the provisional values is regularised on the member's next payslip."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from mutua.core.errors import AccessDenied, RuleViolation
from mutua.core.permissions import Role
from mutua.countries import parameters
from mutua.countries.be import params as be
from mutua.entities.models import Entity
from mutua.ledger.queries import verify_books
from mutua.payroll.actions import run_payroll
from mutua.payroll.models import PayrollRun, Payslip, Regularisation
from mutua.payroll.regularisation import MOVED
from mutua.payroll.regularisation_actions import (
    approve_provisional_month,
    preview_regularisation,
    regularise_payroll,
)
from tests.conftest import login, make_member, make_staff
from tests.ledger.conftest import books, make_activity
from tests.payroll.conftest import day_contracts, fund

JANUARY, FEBRUARY = dt.date(2027, 1, 1), dt.date(2027, 2, 1)
SHIPPED_2027 = (be.PARAMETERS.folder / "2027.yaml").read_text(encoding="utf-8")
# The official set as it might come: the tax-free sum indexed by 2.47 % instead of the 2 %
# assumed (11,450 × 26.75 % = 3,062.88) and the first bracket at 17,110.
OFFICIAL_2027 = (
    SHIPPED_2027.replace("status: provisional", "status: official")
    .replace("tax_free_tax: {value: 3046.83", "tax_free_tax: {value: 3062.88")
    .replace("value: [17040, 30090, 52070]", "value: [17110, 30230, 52310]")
)


@pytest.fixture
def official_2027() -> Iterator[Any]:
    """A way to approve the official Belgian 2027 set (as staff would), undone after the test."""
    loaded: list[parameters.ParameterSet] = []

    def provider(country: str) -> list[parameters.ParameterSet]:
        return [s for s in loaded if s.country == country]

    def approve() -> None:
        loaded.append(parameters.read_set(OFFICIAL_2027, be.SCHEMA, country="BE", origin="test"))
        parameters.invalidate()

    parameters.register_loaded_sets(provider)
    yield approve
    parameters._loaded_sets.remove(provider)
    parameters.invalidate()


def scene(clock: Any, code: str = "BE") -> dict[str, Any]:
    """Two members with day contracts in January and February 2027, activities funded."""
    clock.move_to("2027-02-10 10:00")
    entity: Entity = books(code, years=(2027,))
    officer = make_staff(entity, Role.PAYROLL_OFFICER)
    people = [make_member(entity).person for _ in range(2)]
    for person, budgets in zip(people, (["1500.00", "1500.00"], ["2400.00"]), strict=True):
        activity = make_activity(entity, holder=person)
        fund(activity, "20000.00", on=dt.date(2027, 1, 4))
        day_contracts(person, activity, budgets, first=dt.date(2027, 1, 11))
        day_contracts(person, activity, ["900.00"], first=dt.date(2027, 2, 8))
    return {"entity": entity, "officer": officer, "people": people}


def test_a_month_on_provisional_values_is_paid_only_once_staff_agreed(db: Any, clock: Any) -> None:
    s = scene(clock)
    with pytest.raises(RuleViolation, match="provisional values"):
        run_payroll(entity=s["entity"], period=JANUARY, acting_user=s["officer"])
    assert not Payslip.objects.exists()
    with pytest.raises(AccessDenied):
        approve_provisional_month(
            entity=s["entity"], period=JANUARY, acting_user=s["people"][0].user
        )
    approve_provisional_month(entity=s["entity"], period=JANUARY, acting_user=s["officer"])
    run_payroll(entity=s["entity"], period=JANUARY, acting_user=s["officer"])
    slips = Payslip.objects.filter(period=JANUARY)
    assert slips.count() == 2 and all(slip.provisional for slip in slips)
    assert "BE 2027 values are provisional" in slips[0].parameters_note
    assert slips[0].situation["marital"] == "single"


def test_an_official_set_loaded_later_is_regularised_on_the_next_payslip(
    db: Any, clock: Any, official_2027: Any
) -> None:
    s = scene(clock)
    entity, officer = s["entity"], s["officer"]
    approve_provisional_month(entity=entity, period=JANUARY, acting_user=officer)
    run_payroll(entity=entity, period=JANUARY, acting_user=officer)
    january = {slip.person_id: slip for slip in Payslip.objects.filter(period=JANUARY)}

    official_2027()
    preview = preview_regularisation(entity=entity, first_month=JANUARY)
    assert preview.payslips == 2 and not Regularisation.objects.exists()
    report = regularise_payroll(entity=entity, first_month=JANUARY, acting_user=officer)
    assert report.totals == preview.totals and report.totals["withholding_tax"] < 0

    # Exactly what paying January on the official values gives: a twin entity paid directly.
    twin = scene(clock, "BE2")
    run_payroll(entity=twin["entity"], period=JANUARY, acting_user=twin["officer"])
    for person, twin_person in zip(s["people"], twin["people"], strict=True):
        reg = Regularisation.objects.get(payslip=january[person.pk])
        straight = Payslip.objects.get(person=twin_person, period=JANUARY)
        for name in MOVED:
            assert getattr(january[person.pk], name) + reg.difference(name) == getattr(
                straight, name
            ), name

    # February pays its own work and settles January's differences, booked with it.
    run_payroll(entity=entity, period=FEBRUARY, acting_user=officer)
    twin_feb = run_payroll(entity=twin["entity"], period=FEBRUARY, acting_user=twin["officer"])
    for person, twin_person in zip(s["people"], twin["people"], strict=True):
        february = Payslip.objects.get(person=person, period=FEBRUARY)
        own = Payslip.objects.get(run=twin_feb, person=twin_person)
        reg = Regularisation.objects.get(payslip=january[person.pk])
        assert reg.applied_to == february
        assert february.net == own.net + reg.difference("net")
        assert february.withholding_tax == own.withholding_tax + reg.difference("withholding_tax")
        assert any(row[0] == "regularisation_net" for row in february.lines)
        assert not february.provisional
    assert verify_books() == []

    again = regularise_payroll(entity=entity, first_month=JANUARY, acting_user=officer)
    assert (
        again.payslips == 0 and Regularisation.objects.filter(payslip__entity=entity).count() == 2
    )


def test_payroll_keeps_running_years_after_the_last_published_values(db: Any, clock: Any) -> None:
    clock.move_to("2029-07-02 10:00")
    entity = books("BE", years=(2029,))
    officer = make_staff(entity, Role.PAYROLL_OFFICER)
    person = make_member(entity).person
    activity = make_activity(entity, holder=person)
    fund(activity, "5000.00", on=dt.date(2029, 6, 1))
    day_contracts(person, activity, ["800.00"], first=dt.date(2029, 6, 4))
    approve_provisional_month(entity=entity, period=dt.date(2029, 6, 1), acting_user=officer)
    run_payroll(entity=entity, period=dt.date(2029, 6, 1), acting_user=officer)
    slip = Payslip.objects.get()
    assert slip.provisional and "2029 values not published yet" in slip.parameters_note
    assert slip.net > Decimal("0")


def test_the_shipped_2027_set_is_the_provisional_one() -> None:
    assert "status: provisional" in SHIPPED_2027
    assert Path(be.PARAMETERS.folder, "2026.yaml").exists()


def test_staff_agree_preview_and_regularise_from_the_pages(
    db: Any, clock: Any, official_2027: Any
) -> None:
    s = scene(clock)
    entity = s["entity"]
    officer = login(Client(), s["officer"])
    runs = reverse("payroll:runs")
    refused = officer.post(runs, {"entity": entity.pk, "period": "2027-01"}, follow=True)
    assert "provisional values" in refused.content.decode() and not PayrollRun.objects.exists()
    officer.post(reverse("payroll:provisional_approve"), {"entity": entity.pk, "period": "2027-01"})
    response = officer.post(runs, {"entity": entity.pk, "period": "2027-01"})
    officer.post(response["Location"].rstrip("/") + "/advance/")
    slip = Payslip.objects.filter(period=JANUARY).first()
    assert slip is not None
    member = login(Client(), slip.person.user)
    page = member.get(reverse("payroll:payslip", args=[slip.pk])).content.decode()
    assert "Provisional values" in page or "Valeurs provisoires" in page

    official_2027()
    preview = officer.get(reverse("payroll:regularise"), {"entity": entity.pk, "from": "2027-01"})
    assert preview.status_code == 200 and "withholding_tax" in preview.content.decode()
    assert not Regularisation.objects.exists()
    officer.post(reverse("payroll:regularise"), {"entity": entity.pk, "from": "2027-01"})
    assert Regularisation.objects.count() == 2
    # A member cannot regularise, nor agree to provisional values.
    assert member.post(
        reverse("payroll:regularise"), {"entity": entity.pk, "from": "2027-01"}
    ).status_code in (302, 403, 404)
    assert Regularisation.objects.count() == 2


def test_the_command_previews_then_stores_and_refuses_bad_months(
    db: Any, clock: Any, official_2027: Any
) -> None:
    s = scene(clock)
    call_command("payroll", "approve-provisional", "--entity", "BE", "--period", "2027-01")
    run_payroll(entity=s["entity"], period=JANUARY)
    official_2027()
    out = io.StringIO()
    call_command(
        "payroll",
        "regularise",
        "--entity",
        "BE",
        "--from",
        "2027-01",
        "--dry-run",
        "--json",
        stdout=out,
    )
    preview = json.loads(out.getvalue())
    assert preview["payslips"] == 2 and not preview["stored"]
    assert not Regularisation.objects.exists()
    out = io.StringIO()
    call_command(
        "payroll", "regularise", "--entity", "BE", "--from", "2027-01", "--json", stdout=out
    )
    assert json.loads(out.getvalue())["totals"] == preview["totals"]
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("payroll", "regularise", "--entity", "BE", "--from", "January")

"""The demo federation built in December keeps working in January: each entity's January
payroll runs on provisional values once staff agreed, and the books still agree."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from mutua.core.errors import RuleViolation
from mutua.entities.models import Entity
from mutua.ledger.queries import verify_books
from mutua.payroll.actions import run_payroll
from mutua.payroll.models import Payslip
from mutua.payroll.regularisation_actions import approve_provisional_month

JANUARY = dt.date(2027, 1, 1)


def test_the_january_payroll_of_every_demo_entity_runs_on_provisional_values(
    db: Any, clock: Any
) -> None:
    clock.move_to("2026-12-06 10:00")
    call_command("demo", "--no-serve", stdout=StringIO())
    clock.move_to("2027-01-29 10:00")
    for entity in Entity.objects.order_by("code"):
        call_command(
            "ledger", "set-up", "--entity", entity.code, "--year", "2027", stdout=StringIO()
        )
        with pytest.raises(RuleViolation, match="provisional"):
            run_payroll(entity=entity, period=JANUARY)
        approve_provisional_month(entity=entity, period=JANUARY, acting_user=None)
        run = run_payroll(entity=entity, period=JANUARY)
        slips = Payslip.objects.filter(run=run)
        assert all(slip.provisional for slip in slips), entity.code
    assert Payslip.objects.filter(period=JANUARY).exists()
    assert verify_books() == []

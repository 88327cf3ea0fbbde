"""Swedish payslips withhold preliminary tax by the member's tax table (Skatteverket's monthly
tables, column 1), or by the one-off rate when the member has not given one."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from mutua.countries.se import tax_tables
from mutua.payroll.actions import run_payroll
from mutua.payroll.models import Payslip
from tests.conftest import login
from tests.payroll.conftest import APRIL, scene


def test_the_members_tax_table_sets_the_withholding(db: Any) -> None:
    s = scene("SE")
    with_table, without = s["people"][0], s["people"][1]
    login(Client(), with_table.user).post(
        reverse("portal:edit_household"),
        {
            "marital_status": "single",
            "dependent_children": "0",
            "disabled_dependent_children": "0",
            "municipality": "Uppsala",
            "tax_table": "33",
        },
    )
    with_table.refresh_from_db()
    assert (with_table.municipality, with_table.tax_table) == ("Uppsala", 33)
    run_payroll(entity=s["entity"], period=APRIL)
    slip = Payslip.objects.get(person=with_table)
    expected = tax_tables.monthly_tax(2026, 33, 1, slip.gross).amount
    assert slip.withholding_tax == expected and slip.net == slip.gross - expected
    assert slip.situation["tax_table"] == 33
    assert any("table 33, column 1" in row[1] for row in slip.lines)
    other = Payslip.objects.get(person=without)
    assert any("one-off rate" in row[1] for row in other.lines)


def test_a_tax_table_outside_one_to_ninety_nine_is_refused_at_the_field(db: Any) -> None:
    s = scene("SE")
    person = s["people"][0]
    response = login(Client(), person.user).post(
        reverse("portal:edit_household"),
        {
            "marital_status": "single",
            "dependent_children": "0",
            "disabled_dependent_children": "0",
            "tax_table": "120",
        },
    )
    assert response.status_code in (200, 400)
    person.refresh_from_db()
    assert person.tax_table is None

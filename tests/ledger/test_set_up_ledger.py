import datetime as dt
from typing import Any

import pytest

from mutua.countries.registry import SUPPORTED
from mutua.ledger import queries
from mutua.ledger.actions import set_up_ledger
from mutua.ledger.chart import REQUIRED_EVENTS, chart_for
from mutua.ledger.models import Account, FiscalYear, Journal, Period
from tests.conftest import make_entity


@pytest.mark.parametrize("country", SUPPORTED)
def test_every_country_has_a_consistent_chart_mapping_every_event(country: str) -> None:
    chart = chart_for(country)
    assert set(REQUIRED_EVENTS) <= set(chart.posting_map)
    assert {j.kind for j in chart.journals} == {
        "sales",
        "purchases",
        "bank",
        "payroll",
        "expenses",
        "miscellaneous",
        "opening",
    }


def test_the_templates_use_each_country_s_own_chart() -> None:
    assert chart_for("BE").posting_map["receivable"] == "400000"  # PCMN class 40
    assert chart_for("FR").posting_map["receivable"] == "411000"  # PCG 411
    assert chart_for("SE").posting_map["receivable"] == "1510"  # BAS kundfordringar


def test_set_up_creates_chart_journals_map_and_twelve_periods(db: Any) -> None:
    entity = make_entity("FR")
    set_up_ledger(entity=entity, years=[2025])
    assert Account.objects.filter(entity=entity).count() == len(chart_for("FR").accounts)
    assert Journal.objects.get(entity=entity, kind="sales").code == "VT"
    assert queries.posting_account(entity, "vat_collected").code == "445710"
    periods = Period.objects.filter(entity=entity).order_by("start")
    assert len(periods) == 12
    assert (periods[0].start, periods[11].end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_setting_up_twice_keeps_what_exists_and_adds_years(db: Any) -> None:
    entity = make_entity("SE")
    set_up_ledger(entity=entity, years=[2025])
    set_up_ledger(entity=entity, years=[2025, 2026])
    assert Account.objects.filter(entity=entity, code="1930").count() == 1
    assert list(FiscalYear.objects.filter(entity=entity).values_list("year", flat=True)) == [
        2025,
        2026,
    ]
    assert Period.objects.filter(entity=entity).count() == 24


def test_budget_accounts_are_income_expenses_and_the_activity_budget_account(db: Any) -> None:
    entity = make_entity("BE")
    set_up_ledger(entity=entity, years=[2025])
    budget = set(
        Account.objects.filter(entity=entity, counts_in_budget=True).values_list("code", flat=True)
    )
    assert {"700000", "620200", "489000"} <= budget
    assert "400000" not in budget and "550000" not in budget

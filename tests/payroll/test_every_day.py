"""Every day from 2024-01-01 to 2027-12-31, every simulator direction answers for every country,
saying where the values are provisional; after 2027 it keeps answering on the last values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from mutua.payroll.simulator import SimulationRequest, simulate

FIRST, LAST = dt.date(2024, 1, 1), dt.date(2027, 12, 31)
OFFICIAL_UNTIL = {"BE": dt.date(2026, 12, 31), "FR": dt.date(2026, 12, 31)}
MODES = (("gross", D("2500.00")), ("invoiced", D("4000.00")), ("net", D("1800.00")))


def days() -> list[dt.date]:
    return [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]


@pytest.mark.slow
@pytest.mark.parametrize("country", ["BE", "FR", "SE"])
def test_every_day_every_direction_answers(country: str) -> None:
    amount = D("25000.00") if country == "SE" else None
    for on in days():
        for mode, value in MODES:
            result = simulate(SimulationRequest(country, on, mode, amount or value))
            assert result.pay.net > 0, (country, on, mode)
            if country in OFFICIAL_UNTIL:
                assert result.provisional == (on > OFFICIAL_UNTIL[country]), (country, on)
            if result.provisional:
                assert result.as_json()["parameters_note"], (country, on)


@pytest.mark.parametrize("country", ["BE", "FR", "SE"])
def test_years_after_the_last_values_answer_on_them_flagged(country: str) -> None:
    for on in (dt.date(2028, 1, 1), dt.date(2029, 7, 1), dt.date(2035, 12, 31)):
        result = simulate(SimulationRequest(country, on, "invoiced", D("4000.00")))
        assert result.provisional and str(on.year) in result.as_json()["parameters_note"]

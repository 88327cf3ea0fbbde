"""Warnings before the cliff: from 60 days before the last official day, and after it; the same
warning in `mutua check`, which stays silent where the database cannot be read."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import checks
from django.core.management import call_command

from mutua.countries.cliff import Cliff, ending_soon
from mutua.rules.checks import WARNING_ID, tables_ending_soon

LAST_OFFICIAL = dt.date(2026, 12, 31)  # every shipped 2027 set is provisional


def test_the_cliff_is_announced_60_days_ahead() -> None:
    assert ending_soon("BE", dt.date(2026, 10, 1)) is None  # 91 days left
    assert ending_soon("BE", dt.date(2026, 11, 1)) is not None  # 60 days left
    cliff = ending_soon("be", dt.date(2026, 11, 5))
    assert cliff == Cliff("BE", LAST_OFFICIAL, 56, dt.date(2027, 1, 1))
    assert not cliff.passed


def test_after_the_cliff_provisional_values_are_in_use() -> None:
    cliff = ending_soon("FR", dt.date(2027, 1, 10))
    assert cliff is not None and cliff.passed
    assert (cliff.days_left, cliff.provisional_from) == (-10, dt.date(2027, 1, 1))


def _warned(clock: Any, day: dt.date) -> list[Any]:
    clock.move_to(day)
    return [m for m in checks.run_checks() if m.id == WARNING_ID]


@pytest.mark.django_db
def test_the_system_check_warns_for_each_country_at_the_dates(clock: Any) -> None:
    assert _warned(clock, dt.date(2026, 10, 1)) == []
    warned = _warned(clock, dt.date(2026, 11, 5))
    assert [w.obj for w in warned] == ["BE", "FR", "SE"]
    assert all(w.level == checks.WARNING for w in warned)
    assert "end on 2026-12-31, in 56 days" in warned[0].msg
    assert "--country BE" in warned[0].hint
    later = _warned(clock, dt.date(2027, 1, 10))
    assert "provisional values are in use since 2027-01-01" in later[0].msg


@pytest.mark.django_db
def test_mutua_check_prints_the_warning(clock: Any) -> None:
    clock.move_to(dt.date(2026, 11, 5))
    err = StringIO()
    call_command("check", stdout=StringIO(), stderr=err)
    assert "BE: (mutua.W001) the official payroll tables end on 2026-12-31" in err.getvalue()


def test_without_a_readable_database_the_check_says_nothing(clock: Any) -> None:
    """As `mutua check --deploy` on a build machine: the sets staff approved are unknown."""
    clock.move_to(dt.date(2026, 11, 5))
    assert tables_ending_soon() == []

"""The yearly parameter files: every shipped file loads, and a bad file is refused whole, each
problem named with its line (mutua/countries/parameters.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from mutua.countries import parameters as pm
from mutua.countries.be import params as be
from mutua.countries.fr import params as fr
from mutua.countries.se import params as se

DECLARED = (be.PARAMETERS, fr.PARAMETERS, se.PARAMETERS)
GOOD = """\
country: SE
year: 2027
status: official
issued: 2026-12-20
source: Skatteverket 2027
tables:
  rates:
    - from: 2027-01-01
      until: 2027-06-30
      source: Smart Sweden formula
      values:
        fee_markup: {value: 0.0695, unit: rate, status: V}
        employer: {value: 0.3142, unit: rate, status: V}
        preliminary_tax: {value: 0.30, unit: rate, status: V}
    - from: 2027-07-01
      until: 2027-12-31
      values:
        fee_markup: {value: 0.0695, unit: rate, status: V, source: Smart Sweden}
        employer: {value: 0.3142, unit: rate, status: V, source: Skatteverket}
        preliminary_tax: {value: 0.30, unit: rate, status: V, source: Smart Sweden}
"""


def read(text: str) -> pm.ParameterSet:
    return pm.read_set(text, se.SCHEMA, country="SE")


def problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(pm.ParameterFileError) as caught:
        read(text)
    return caught.value.problems


@pytest.mark.parametrize("declared", DECLARED, ids=lambda d: d.country)
def test_every_shipped_file_loads_with_unit_status_and_source_for_each_value(
    declared: pm.CountryParameters,
) -> None:
    sets = declared.shipped()
    assert [s.year for s in sets] == [2024, 2025, 2026, 2027]
    for parameter_set in sets:
        for periods in parameter_set.tables.values():
            for period in periods:
                for value in period.values.values():
                    assert value.unit and value.status in "VTU" and value.source


@pytest.mark.parametrize("declared", DECLARED, ids=lambda d: d.country)
def test_the_2027_sets_are_provisional_until_the_official_ones_are_loaded(
    declared: pm.CountryParameters,
) -> None:
    found = pm.book(declared)
    assert found.set_for(2027).status == "provisional"  # type: ignore[union-attr]
    assert found.last_official_day == dt.date(2026, 12, 31)


def test_a_good_file_reads_exact_decimals_and_the_source_of_its_period() -> None:
    parameter_set = read(GOOD)
    first, second = parameter_set.tables["rates"]
    assert first.values["employer"].value == D("0.3142")  # a Decimal, never a float
    assert first.values["employer"].source == "Smart Sweden formula"
    assert second.values["employer"].source == "Skatteverket"
    assert (first.valid_until, second.valid_from) == (dt.date(2027, 6, 30), dt.date(2027, 7, 1))


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("status: official", "status: final", 3, "status must be one of"),
        ("until: 2027-06-30", "until: 2027-06-20", 15, "gap in dates, nothing from 2027-06-21"),
        ("until: 2027-06-30", "until: 2027-07-10", 15, "overlap in dates, 2027-07-01"),
        ("until: 2027-12-31", "until: 2027-11-30", 15, "gap in dates, nothing from 2027-12-01"),
        (
            "employer: {value: 0.3142, unit: rate,",
            "employer: {value: 31.42, unit: '%',",
            13,
            "wrong unit '%', expected 'rate'",
        ),
        (
            "employer: {value: 0.3142, unit: rate,",
            "employer: {value: 1.3142, unit: rate,",
            13,
            "out of range for rate",
        ),
        (
            "employer: {value: 0.3142, unit: rate,",
            "employer: {value: abc, unit: rate,",
            13,
            "'abc' is not a number",
        ),
        (
            "        fee_markup: {value: 0.0695, unit: rate, status: V}\n",
            "        fee_markup: {value: 0.0695, unit: rate, status: V}\n"
            "        bonus: {value: 1}\n",
            13,
            "unknown key 'bonus'",
        ),
        ("  rates:", "  wages:", 7, "unknown table 'wages'"),
        ("status: V}\n        employer", "status: X}\n        employer", 12, "status must be V, T"),
        ("issued: 2026-12-20", "issued: soon", 4, "issued must be a date"),
        ("country: SE", "country: BE", 1, "this file is for BE, not SE"),
        (
            "source: Skatteverket 2027\n",
            "source: Skatteverket 2027\nsigned: me\n",
            6,
            "unknown key 'signed'",
        ),
        (
            "      until: 2027-06-30\n",
            "      until: 2027-06-30\n      until: 2027-06-30\n",
            10,
            "appears twice",
        ),
        ("tables:\n", "tables: [\n", 8, "not valid YAML"),
    ],
)
def test_each_kind_of_error_is_refused_with_its_line(
    old: str, new: str, line: int, message: str
) -> None:
    assert old in GOOD
    found = problems(GOOD.replace(old, new, 1))
    assert any(n == line and message in text for n, text in found), found


def test_a_missing_value_is_named() -> None:
    found = problems(GOOD.replace("        employer: {value: 0.3142, unit: rate, status: V}\n", ""))
    assert (12, "rates: value 'employer' is missing") in found


def test_a_value_without_any_source_is_refused() -> None:
    text = GOOD.replace("      source: Smart Sweden formula\n", "")
    assert any("no source" in message for _, message in problems(text))


def test_every_problem_is_reported_at_once_first_line_first() -> None:
    text = GOOD.replace("status: official", "status: final").replace("unit: rate", "unit: '%'", 1)
    with pytest.raises(pm.ParameterFileError) as caught:
        read(text)
    assert [line for line, _ in caught.value.problems] == [3, 12]
    assert str(caught.value).startswith("line 3: status must be one of")


def test_the_differences_are_listed_value_by_value() -> None:
    before = read(GOOD)
    after = read(GOOD.replace("employer: {value: 0.3142", "employer: {value: 0.3150", 1))
    (change,) = pm.differences(before, after)
    assert (change.table, change.key, change.valid_from) == (
        "rates",
        "employer",
        dt.date(2027, 1, 1),
    )
    assert (change.before, change.after, change.kind) == ("0.3142 rate", "0.315 rate", "changed")
    assert pm.differences(before, before) == []


def test_past_the_last_year_the_book_answers_with_the_last_values_flagged() -> None:
    official = read(GOOD)
    found = pm.ParameterBook("SE", [official])
    assert not found.in_force("rates", dt.date(2027, 7, 1)).provisional
    later = found.in_force("rates", dt.date(2029, 7, 1))
    assert later.provisional and later.period is official.tables["rates"][-1]
    assert "2029" in later.note and "2027" in later.note
    with pytest.raises(pm.InvalidInput, match="in force"):
        found.in_force("rates", dt.date(2026, 12, 31))


def test_an_official_set_outranks_a_provisional_one_of_the_same_year() -> None:
    provisional = read(GOOD.replace("status: official", "status: provisional"))
    official = read(GOOD.replace("issued: 2026-12-20", "issued: 2026-12-01"))
    assert pm.ParameterBook("SE", [official, provisional]).set_for(2027) is official
    assert pm.ParameterBook("SE", [provisional, official]).set_for(2027) is official


def test_the_shipped_files_folder_is_part_of_the_package() -> None:
    for declared in DECLARED:
        assert declared.folder == Path(pm.__file__).parent / declared.country.lower() / "parameters"

"""Swedish preliminary tax by Skatteverket's monthly tables (mutua/countries/se/tax_tables.py).

Expected amounts are Skatteverket's own rows, read from the shipped files (2026: tables 29–42,
amount rows 1–80 000 kr; 2025: the same plus the percentage rows above 80 000 kr).
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

import pytest

from mutua.core.errors import InvalidInput
from mutua.countries.se import tax_tables as tt
from mutua.countries.se.tax_tables import (
    Method,
    monthly_tax,
    one_off_bracket,
    one_off_rate,
    table_for_municipal_rate,
)


def official_rows(year: int, kind: str = "30B") -> Iterator[tuple[int, int, int | None, list[int]]]:
    """(table, from, to, columns 1–6) straight from the shipped file, not through the module."""
    path = tt.DATA_DIR / f"skattetabell-manad-{year}.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            if r["Antal dgr"] == kind:
                high = r["Inkomst t.o.m."]
                yield (
                    int(r["Tabellnr"]),
                    int(r["Inkomst fr.o.m."]),
                    int(high) if high else None,
                    [int(r[f"Kolumn {c}"]) for c in range(1, 7)],
                )


# --- published rows -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "pay", "expected"),
    [
        # 2026 rows as published (row 29 801–30 000 and others), several columns.
        (30, 1, "30000", 5352),
        (32, 1, "30000", 5703),
        (33, 1, "30000", 5878),
        (32, 2, "30000", 5574),
        (32, 3, "30000", 2469),
        (33, 5, "30000", 9103),
        (30, 1, "15050", 2044),  # row 15 001–15 100 (100-kr rows up to 20 000)
        (32, 1, "45100", 9815),  # row 45 001–45 200 (200-kr rows above)
        (32, 4, "45100", 9400),
        (33, 1, "60100", 16101),
        (30, 6, "50100", 14598),
        (32, 1, "80000", 25944),  # the highest amount row
    ],
)
def test_2026_published_rows(table: int, column: int, pay: str, expected: int) -> None:
    answer = monthly_tax(2026, table, column, D(pay))
    assert answer.amount == D(expected)
    assert answer.method == Method.TABLE_ROW == "table row"
    assert (answer.year_used, answer.provisional, answer.percent) == (2026, False, None)


def test_reference_examples_of_the_2026_tables() -> None:
    # ALGORITHM.md's reference values (gratiskalkyl.se's SKV 433 model, checked there against
    # table 32): 35 000 kr → 6 922 (table 32) and 7 134 (table 33); 2 001–2 100 kr → 150, the
    # pension fee alone (1 800 / 12).
    assert monthly_tax(2026, 32, 1, D("35000")).amount == 6922
    assert monthly_tax(2026, 33, 1, D("35000")).amount == 7134
    assert monthly_tax(2026, 29, 1, D("2050")).amount == 150


def test_every_published_row_is_answered_at_both_ends() -> None:
    for year in tt.shipped_years():
        count = 0
        for table, low, high, columns in official_rows(year):
            assert high is not None
            for column in (1, 3, 6):
                for pay in (low, high):
                    assert monthly_tax(year, table, column, D(pay)).amount == columns[column - 1]
            count += 1
        assert count == 14 * 481  # tables 29–42, 481 amount rows each


def test_interval_edges() -> None:
    # Table 32, column 1: row 29 601–29 800 → 5 654; 29 801–30 000 → 5 703; 30 001–… → 5 751.
    assert monthly_tax(2026, 32, 1, D("29801")).amount == 5703
    assert monthly_tax(2026, 32, 1, D("30000")).amount == 5703
    assert monthly_tax(2026, 32, 1, D("30001")).amount == 5751
    assert monthly_tax(2026, 32, 1, D("29800")).amount == 5654
    assert "row 29 801–30 000 kr" in monthly_tax(2026, 32, 1, D("30000")).note
    # The first row, 1–2 000 kr, withholds nothing; 2 001 starts the next one.
    assert monthly_tax(2026, 32, 1, D("2000")).amount == 0
    assert monthly_tax(2026, 32, 1, D("2001")).amount == 150


def test_pay_with_ore_is_floored_to_whole_kronor() -> None:
    assert monthly_tax(2026, 32, 1, D("30000.99")).amount == 5703  # still row 29 801–30 000
    assert monthly_tax(2026, 32, 1, D("29800.99")).amount == 5654  # row 29 601–29 800
    assert monthly_tax(2026, 32, 1, D("2000.50")).amount == 0


def test_no_pay_and_bad_pay() -> None:
    answer = monthly_tax(2026, 32, 1, D("0.75"))
    assert (answer.amount, answer.method) == (D(0), Method.NO_PAY)
    with pytest.raises(InvalidInput) as err:
        monthly_tax(2026, 32, 1, D("-1"))
    assert err.value.field == "monthly_pay"
    with pytest.raises(TypeError):
        monthly_tax(2026, 32, 1, 30000.0)  # type: ignore[arg-type]  # no floats in money


# --- above the amount rows ----------------------------------------------------------------


def test_2025_percentage_rows() -> None:
    # 2025 table 32: 80 001–80 800 → 33 %; 89 601–90 600 → 35 %; open last row from
    # 1 212 401 kr → 51 %. The amount is the percentage of the whole-kronor pay, rounded down.
    first = monthly_tax(2025, 32, 1, D("80001"))
    assert (first.percent, first.amount, first.method) == (33, D(26400), Method.PERCENTAGE_ROW)
    assert monthly_tax(2025, 32, 1, D("90000.80")).amount == D(31500)  # 35 % of 90 000
    assert monthly_tax(2025, 32, 5, D("90000")).percent == 40
    top = monthly_tax(2025, 32, 1, D("5000000"))
    assert (top.percent, top.amount) == (51, D(2550000))


def test_2026_column_1_top_range_is_computed_by_skv433() -> None:
    answer = monthly_tax(2026, 32, 1, D("90000"))
    assert answer.method == Method.COMPUTED_PERCENTAGE
    assert (answer.percent, answer.amount) == (35, D(31500))
    assert "SKV 433" in answer.note
    # The effective rate rises with pay, up to the open last row (no higher than table + 20 %).
    percents = [
        monthly_tax(2026, 32, 1, D(pay)).percent or 0 for pay in range(80_001, 2_000_001, 997)
    ]
    assert percents == sorted(percents)
    assert monthly_tax(2026, 32, 1, D("80001")).percent == 32
    assert monthly_tax(2026, 32, 1, D("10000000")).percent == percents[-1] == 51


def test_2026_computed_percentages_agree_with_the_conservative_extrapolation() -> None:
    # Two independent routes above 80 000 kr: SKV 433 and the last rows' marginal rate
    # (rounded up). They may differ by the rounding only.
    tables = tt._year_tables(2026)
    for table, amounts in tables.amounts.items():
        for pay in (80_001, 85_000, 100_000, 150_000, 400_000):
            computed = tt._computed_percent(tt.SKV433_PARAMS[2026], table, pay, amounts.top)
            extrapolated = tt._extrapolated_percent(amounts, 1, pay)
            assert extrapolated - 1 <= computed <= extrapolated, (table, pay)


def test_2026_columns_2_to_6_top_range_is_extrapolated() -> None:
    answer = monthly_tax(2026, 32, 3, D("90000"))
    assert answer.method == Method.EXTRAPOLATED_PERCENTAGE
    assert answer.amount == answer.percent * 900  # type: ignore[operator]
    # Never below the last row's own average rate (22 660 / 80 000 = 28.3 % → ≥ 29 %).
    assert answer.percent is not None and answer.percent >= 29


def test_the_extrapolation_never_undercuts_the_2025_percentage_rows() -> None:
    """Back-test on 2025, as if its percentage rows were missing: every column, every table, at
    both ends of every percentage row, the extrapolated percentage is the published one or one
    point more, never less."""
    tables = tt._year_tables(2025)
    for table, low, high, columns in official_rows(2025, "30%"):
        for pay in (low, high or 5_000_000):
            for column in range(1, 7):
                extrapolated = tt._extrapolated_percent(tables.amounts[table], column, pay)
                assert 0 <= extrapolated - columns[column - 1] <= 1, (table, low, column)


# 2025 inputs fitted to the 2025 amount rows (SKV 433 for 2025 was not available): PBB 58 800,
# IBB 80 600, skiktgräns 625 800; fee points and the top of the jobbskatteavdrag fitted. Above
# 41 000 kr a month this model gives every 2025 column-1 row exactly or 1 kr low.
FITTED_2025 = tt.Skv433Params(
    year=2025,
    pbb=D(58_800),
    ibb=D(80_600),
    state_threshold=625_800,
    fee_points=D("1.2245"),
    jsa_steps=(D("0.91"), D("3.24"), D("8.08")),
    jsa_rates=(D("0.3874"), D("0.199")),
    jsa_base=D("1.813"),
    jsa_top=D("2.7755"),
    source="fitted in tests, not published",
)


def _percent(tax: int, income: int) -> int:
    return int((D(tax) * 100 / income).to_integral_value(ROUND_HALF_UP))


def test_the_fitted_2025_model_is_within_one_krona_above_41000() -> None:
    for table, low, high, columns in official_rows(2025):
        if low > 41_000:
            assert high is not None
            got = tt.skv433_monthly_amount(FITTED_2025, table, high)
            assert got - columns[0] in (0, -1), (table, high)


def test_the_percentage_rule_reproduces_the_2025_percentage_rows() -> None:
    """The rule used for 2026 (effective annual tax at the top of the 200-kr step, rounded half
    up) at both ends of every 2025 percentage row (2 400 steps): equal, except where the fitted
    2025 model's 1-kr-a-month error (12 kr a year) decides the rounding."""
    tables = tt._year_tables(2025)
    off = 0
    for table, low, high, columns in official_rows(2025, "30%"):
        for pay in (low, high or low + 10_000):
            top = tables.amounts[table].top
            got = tt._computed_percent(FITTED_2025, table, pay, top)
            if got != columns[0]:
                off += 1
                step_top = top + -(-(pay - top) // tt.STEP) * tt.STEP
                tax = tt.skv433_annual_tax(FITTED_2025, table, 12 * step_top)
                near = {_percent(tax + delta, 12 * step_top) for delta in (-12, 12)}
                assert columns[0] in near, (table, low, pay)
    assert off <= 8  # of 2 400


# --- the official method ------------------------------------------------------------------


def test_all_2026_column_1_rows_follow_skv433() -> None:
    """Every 2026 column-1 amount from 2 001 to 80 000 kr, tables 29–42 (6 720 rows), recomputed
    from Skatteverket's own method, SKV 433 "Teknisk beskrivning för skattetabeller 2026"
    (edition 36): annual tax on 12 × the row's upper bound (grundavdrag, municipal tax less the
    1.16 points of average burial and church fee, state tax, pension fee and its credit,
    jobbskatteavdrag, earned-income reduction, public-service fee, the fee), a twelfth, rounded
    down. Zero differences."""
    params = tt.SKV433_PARAMS[2026]
    checked, wrong = 0, []
    for table, low, high, columns in official_rows(2026):
        if low > 2000:
            assert high is not None
            checked += 1
            if tt.skv433_monthly_amount(params, table, high) != columns[0]:
                wrong.append((table, low, high, columns[0]))
    assert (checked, wrong) == (6720, [])


# --- table, column, year ------------------------------------------------------------------


@pytest.mark.parametrize("table", [28, 43, 0, -32])
def test_tables_outside_the_file_are_refused(table: int) -> None:
    with pytest.raises(InvalidInput) as err:
        monthly_tax(2026, table, 1, D("30000"))
    assert err.value.field == "tax_table"


@pytest.mark.parametrize("column", [0, 7])
def test_columns_are_1_to_6(column: int) -> None:
    with pytest.raises(InvalidInput) as err:
        monthly_tax(2026, 32, column, D("30000"))
    assert err.value.field == "column"


def test_a_later_year_answers_provisionally_from_the_last_table() -> None:
    answer = monthly_tax(2027, 32, 1, D("30000"))
    assert answer.amount == monthly_tax(2026, 32, 1, D("30000")).amount == 5703
    assert (answer.year_used, answer.provisional) == (2026, True)
    assert "Provisional" in answer.note and "2027" in answer.note and "2026 table" in answer.note
    assert monthly_tax(2027, 32, 1, D("90000")).provisional


def test_a_year_before_the_first_table_is_refused() -> None:
    assert tt.shipped_years() == (2025, 2026)
    with pytest.raises(InvalidInput) as err:
        monthly_tax(2024, 32, 1, D("30000"))
    assert err.value.field == "year"


def test_the_2025_table_is_its_own() -> None:
    answer = monthly_tax(2025, 32, 1, D("30000"))
    assert (answer.amount, answer.year_used, answer.provisional) == (D(5945), 2025, False)


@pytest.mark.parametrize(
    ("rate", "table"),
    [("32.50", 32), ("32.51", 33), ("32.49", 32), ("29.005", 29), ("33.5", 33), ("41.99", 42)],
)
def test_table_for_municipal_rate(rate: str, table: int) -> None:
    # The total local rate rounded, an exact .50 going down (32.50 → 32, 32.51 → 33).
    assert table_for_municipal_rate(D(rate)) == table


def test_table_for_municipal_rate_refuses_nonsense() -> None:
    for rate in ("0", "-3", "100", "NaN"):
        with pytest.raises(InvalidInput):
            table_for_municipal_rate(D(rate))
    with pytest.raises(TypeError):
        table_for_municipal_rate(32.5)  # type: ignore[arg-type]


def test_a_broken_table_file_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        "År;Antal dgr;Tabellnr;Inkomst fr.o.m.;Inkomst t.o.m.;"
        + ";".join(f"Kolumn {c}" for c in range(1, 7)),
        "2030;30B;32;1;2000;0;0;0;0;0;0",
        "2030;30B;32;2101;2200;1;1;1;1;1;1",  # 2 001–2 100 missing
    ]
    (tmp_path / "skattetabell-manad-2030.csv").write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(tt, "DATA_DIR", tmp_path)
    tt._table_files.cache_clear()
    try:
        with pytest.raises(ValueError, match="not contiguous"):
            monthly_tax(2030, 32, 1, D("2050"))
    finally:
        tt._table_files.cache_clear()
        tt._year_tables.cache_clear()


def test_the_files_are_read_once() -> None:
    monthly_tax(2026, 32, 1, D("30000"))
    before = tt._year_tables.cache_info().misses
    for pay in range(1, 100_000, 7_919):
        monthly_tax(2026, 30, 2, D(pay))
    assert tt._year_tables.cache_info().misses == before


# --- one-off payments (engångsskatt) ------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "income", "rate"),
    [
        (2026, "0", "0"),
        (2026, "25041", "0"),
        (2026, "25041.99", "0"),  # whole kronor: still the first bracket
        (2026, "25042", "0.10"),
        (2026, "82800", "0.10"),
        (2026, "82801", "0.21"),
        (2026, "192000", "0.21"),
        (2026, "192001", "0.26"),
        (2026, "477600", "0.26"),
        (2026, "477601", "0.34"),
        (2026, "660000", "0.34"),
        (2026, "660001", "0.54"),
        (2026, "9999999", "0.54"),
        (2025, "24872", "0"),
        (2025, "24873", "0.10"),
        (2025, "190600", "0.21"),
        (2025, "190601", "0.28"),
        (2025, "643100", "0.34"),
        (2025, "643101", "0.54"),
    ],
)
def test_one_off_brackets_at_their_edges(year: int, income: str, rate: str) -> None:
    assert one_off_rate(year, D(income)) == D(rate)


def test_one_off_bracket_tells_its_source_and_status() -> None:
    bracket = one_off_bracket(2026, D("300000"))
    assert (bracket.income_from, bracket.income_to) == (192_001, 477_600)
    assert bracket.status == "T" and "SKVFS 2025:21" in bracket.source
    assert not bracket.provisional


def test_one_off_later_year_is_provisional_and_earlier_refused() -> None:
    bracket = one_off_bracket(2027, D("300000"))
    assert (bracket.rate, bracket.year_used, bracket.provisional) == (D("0.26"), 2026, True)
    assert "Provisional" in bracket.note
    with pytest.raises(InvalidInput) as err:
        one_off_rate(2024, D("300000"))
    assert err.value.field == "year"
    with pytest.raises(InvalidInput) as err:
        one_off_rate(2026, D("-1"))
    assert err.value.field == "annual_income"

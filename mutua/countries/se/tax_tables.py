"""Swedish preliminary tax (A-skatt) on monthly pay, by Skatteverket's monthly tax tables.

The employer withholds, on a month's cash pay, the amount Skatteverket's monthly table gives for
the employee's table number (29–42, the local tax rate rounded) and column (1: pay of someone under
66 at the start of the year; 2–6: pensions, 66+, sick compensation…). The figures are
Skatteverket's, shipped as its own CSV files in `tax_tables/` (origin, licence status and how to
add a year: `tax_tables/README.md`).

Above the highest amount row (80 000 kr a month in 2025 and 2026) Skatteverket publishes
percentage rows ("30%"). The 2026 file we have lacks them, so for a year without them:

* column 1 is computed the way SKV 433 builds those rows: the effective annual tax at the top of
  the 200-kr step, rounded to a whole percent. The annual tax comes from our SKV 433 computation,
  which reproduces every 2026 column-1 amount row exactly; the percentage rule reproduces the
  2025 percentage rows (see the tests);
* columns 2–6 have no verified method: the last rows' marginal rate is extrapolated and the
  effective rate rounded *up* to a whole percent. This never withholds less than the real 2025
  percentage rows did in a back-test, and at most one percentage point more.

Pure Python, Decimal only; the files are read once per process.
"""

from __future__ import annotations

import bisect
import csv
import functools
import gzip
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from mutua.core.errors import InvalidInput

D = Decimal
DATA_DIR = Path(__file__).with_name("tax_tables")
# `skattetabell-manad-<year>.csv` or `.csv.gz`: one file per year, Skatteverket's CSV layout.
_TABLE_FILE = re.compile(r"skattetabell-manad-(\d{4})\.csv(?:\.gz)?")
ONE_OFF_FILE = DATA_DIR / "engangsskatt-kolumn-1.csv"

COLUMNS = range(1, 7)
AMOUNT_ROWS = "30B"  # "Antal dgr" of the amount rows (kronor)
PERCENT_ROWS = "30%"  # "Antal dgr" of the percentage rows
STEP = 200  # the kronor grid of the rows above 20 000 kr; percentage rows change only on it
# Skatteverket's percentage tables end in an open row: in 2025 every table's last row starts
# between 1.21 and 1.86 million kr, while the uncapped method would move one more point only
# near 2.9 million. So the computation is evaluated no higher than this (between the two).
PERCENT_CEILING_PAY = 2_000_000
EXTRAPOLATION_ROWS = 10  # the marginal rate is read over the last 2 000 kr of amount rows


class Method(StrEnum):
    NO_PAY = "no pay"
    TABLE_ROW = "table row"
    PERCENTAGE_ROW = "percentage row"
    COMPUTED_PERCENTAGE = "percentage computed (SKV 433)"
    EXTRAPOLATED_PERCENTAGE = "percentage extrapolated (conservative)"


@dataclass(frozen=True, slots=True)
class TaxTableAnswer:
    amount: Decimal  # whole kronor to withhold
    table: int
    column: int
    year_used: int  # the year whose table answered (the last shipped one when provisional)
    provisional: bool
    note: str
    method: Method
    percent: Decimal | None = None  # the percentage applied, above the amount rows


# --- data files ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rows:
    """One table's rows of one kind, sorted and contiguous: row i covers lows[i]..highs[i]."""

    lows: tuple[int, ...]
    highs: tuple[int | None, ...]  # None: the open last percentage row
    values: tuple[tuple[int, ...], ...]  # values[column - 1][i]

    def find(self, pay: int) -> int | None:
        i = bisect.bisect_right(self.lows, pay) - 1
        if i < 0:
            return None
        high = self.highs[i]
        return i if high is None or pay <= high else None

    @property
    def top(self) -> int:
        high = self.highs[-1]
        assert high is not None, "amount rows are closed"
        return high


@dataclass(frozen=True, slots=True)
class _YearTables:
    year: int
    amounts: dict[int, _Rows]  # table number -> amount rows
    percents: dict[int, _Rows]  # table number -> percentage rows (empty if the file has none)


@contextmanager
def _open_text(path: Path) -> Iterator[TextIO]:
    # utf-8-sig: a file saved from a spreadsheet may start with a BOM.
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as f:
            yield f
    else:
        with path.open(encoding="utf-8-sig", newline="") as f:
            yield f


@functools.cache
def _table_files() -> dict[int, Path]:
    found: dict[int, Path] = {}
    for path in sorted(DATA_DIR.iterdir()):
        if (m := _TABLE_FILE.fullmatch(path.name)) is None:
            continue
        if int(m[1]) in found:  # both .csv and .csv.gz: which one is meant is unclear
            raise ValueError(f"Two monthly tax table files for {m[1]} in {DATA_DIR}")
        found[int(m[1])] = path
    if not found:
        raise ValueError(f"No monthly tax table file in {DATA_DIR}")
    return dict(sorted(found.items()))


def shipped_years() -> tuple[int, ...]:
    """The years whose monthly table file is shipped, oldest first."""
    return tuple(_table_files())


@functools.cache
def _year_tables(year: int) -> _YearTables:
    path = _table_files()[year]
    grouped: dict[tuple[str, int], list[tuple[int, int | None, tuple[int, ...]]]] = {}
    with _open_text(path) as f:
        for record in csv.DictReader(f, delimiter=";"):
            kind = record["Antal dgr"]
            if kind not in (AMOUNT_ROWS, PERCENT_ROWS):
                continue  # e.g. the two-week tables, if a fuller export is dropped in
            if int(record["År"]) != year:
                raise ValueError(f"{path.name}: a row of year {record['År']}")
            high = record["Inkomst t.o.m."].strip()
            row = (
                int(record["Inkomst fr.o.m."]),
                int(high) if high else None,
                tuple(int(record[f"Kolumn {c}"]) for c in COLUMNS),
            )
            grouped.setdefault((kind, int(record["Tabellnr"])), []).append(row)
    amounts = {t: _rows(path, rows) for (kind, t), rows in grouped.items() if kind == AMOUNT_ROWS}
    percents = {t: _rows(path, rows) for (kind, t), rows in grouped.items() if kind == PERCENT_ROWS}
    _check_layout(path, amounts, percents)
    return _YearTables(year, amounts, percents)


def _rows(path: Path, rows: list[tuple[int, int | None, tuple[int, ...]]]) -> _Rows:
    rows.sort(key=lambda r: r[0])
    for (_, high, _), (low, _, _) in itertools.pairwise(rows):
        if high is None or low != high + 1:
            raise ValueError(f"{path.name}: rows not contiguous at {low}")
    return _Rows(
        lows=tuple(r[0] for r in rows),
        highs=tuple(r[1] for r in rows),
        values=tuple(tuple(r[2][c - 1] for r in rows) for c in COLUMNS),
    )


def _check_layout(path: Path, amounts: dict[int, _Rows], percents: dict[int, _Rows]) -> None:
    """A wrong file must fail loudly at load, not give a wrong tax later."""
    for table, rows in amounts.items():
        if rows.lows[0] != 1 or rows.highs[-1] is None:
            raise ValueError(f"{path.name}: table {table} amount rows must run from 1 kr, closed")
        more = percents.get(table)
        if more is not None and (more.lows[0] != rows.top + 1 or more.highs[-1] is not None):
            raise ValueError(f"{path.name}: table {table} percentage rows must follow, open-ended")
    if percents and percents.keys() != amounts.keys():
        raise ValueError(f"{path.name}: percentage rows for some tables only")


# --- inputs -------------------------------------------------------------------------------


def _whole_kronor(value: Decimal | int, field: str) -> int:
    """The tables are in whole kronor: öre are dropped (rounded down), as Skatteverket's rows do."""
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{field} must be a Decimal, not {type(value).__name__}")
    amount = D(value)
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(f"{field} must be zero or more.", field=field)
    return int(amount.to_integral_value(ROUND_FLOOR))


def _resolve_year(year: int, years: tuple[int, ...], what: str) -> tuple[int, bool]:
    """(year to use, provisional): a later year falls back on the last shipped one, flagged."""
    if year in years:
        return year, False
    if year > years[-1]:
        return years[-1], True
    raise InvalidInput(
        f"No Swedish {what} for {year}: shipped years are {', '.join(map(str, years))}.",
        field="year",
    )


def _fmt(kronor: int) -> str:
    return f"{kronor:,}".replace(",", " ")


# --- monthly tax --------------------------------------------------------------------------


def monthly_tax(year: int, table: int, column: int, monthly_pay: Decimal) -> TaxTableAnswer:
    """The tax to withhold on a month's cash pay, by Skatteverket's monthly table.

    The pay is first rounded down to whole kronor. Up to the highest amount row the answer is
    that row's amount (method "table row"). Above it: the year's percentage row where the file
    has them ("percentage row"); otherwise column 1 is computed by SKV 433 ("percentage computed
    (SKV 433)") and columns 2–6 extrapolated at the last rows' marginal rate with the effective
    rate rounded up ("percentage extrapolated (conservative)"); the percentage is applied to the
    whole-kronor pay and the result rounded down to whole kronor. A year after the last shipped
    file answers from that file, with provisional=True; a year before the first is refused.
    """
    used, provisional = _resolve_year(year, shipped_years(), "monthly tax table")
    tables = _year_tables(used)
    amounts = tables.amounts.get(table)
    if amounts is None:
        known = sorted(tables.amounts)
        raise InvalidInput(
            f"No tax table {table} in Skatteverket's {used} monthly tables "
            f"(tables {known[0]}–{known[-1]}).",
            field="tax_table",
        )
    if column not in COLUMNS:
        raise InvalidInput("The tax table column must be 1 to 6.", field="column")
    pay = _whole_kronor(monthly_pay, "monthly_pay")
    amount, method, percent, detail = _look_up(tables, table, column, pay)
    note = f"{used} monthly table {table}, column {column}: {detail}"
    if provisional:
        note = f"Provisional: no {year} table is shipped, the {used} table was used. {note}"
    return TaxTableAnswer(
        amount=D(amount),
        table=table,
        column=column,
        year_used=used,
        provisional=provisional,
        note=note,
        method=method,
        percent=None if percent is None else D(percent),
    )


def _look_up(
    tables: _YearTables, table: int, column: int, pay: int
) -> tuple[int, Method, int | None, str]:
    amounts = tables.amounts[table]
    if pay < amounts.lows[0]:
        return 0, Method.NO_PAY, None, "no whole-kronor pay, no tax."
    i = amounts.find(pay)
    if i is not None:
        row = f"row {_fmt(amounts.lows[i])}–{_fmt(amounts.highs[i] or 0)} kr."
        return amounts.values[column - 1][i], Method.TABLE_ROW, None, row
    return _above_amount_rows(tables, table, column, pay)


def _above_amount_rows(
    tables: _YearTables, table: int, column: int, pay: int
) -> tuple[int, Method, int | None, str]:
    amounts = tables.amounts[table]
    percents = tables.percents.get(table)
    if percents is not None:
        i = percents.find(pay)
        assert i is not None, "percentage rows are contiguous and open-ended"
        percent, method = percents.values[column - 1][i], Method.PERCENTAGE_ROW
        why = f"percentage row from {_fmt(percents.lows[i])} kr"
    elif column == 1 and tables.year in SKV433_PARAMS:
        percent = _computed_percent(SKV433_PARAMS[tables.year], table, pay, amounts.top)
        method = Method.COMPUTED_PERCENTAGE
        why = f"no percentage rows above {_fmt(amounts.top)} kr, computed by SKV 433"
    else:
        percent = _extrapolated_percent(amounts, column, pay)
        method = Method.EXTRAPOLATED_PERCENTAGE
        why = (
            f"no percentage rows above {_fmt(amounts.top)} kr, the last rows' marginal rate "
            "extrapolated, rounded up to a whole percent"
        )
    amount = _floor(D(percent) * pay / 100)
    return amount, method, percent, f"{percent} % of {_fmt(pay)} kr ({why})."


def _computed_percent(params: Skv433Params, table: int, pay: int, top: int) -> int:
    """SKV 433's percentage: the effective annual tax at the top of pay's 200-kr step, rounded
    half up to a whole percent (reproduces the 2025 percentage rows, see the tests)."""
    step_top = min(top + -(-(pay - top) // STEP) * STEP, PERCENT_CEILING_PAY)
    income = _floor100(12 * step_top)
    tax = skv433_annual_tax(params, table, income)
    return int((D(tax) * 100 / income).to_integral_value(ROUND_HALF_UP))


def _extrapolated_percent(amounts: _Rows, column: int, pay: int) -> int:
    """Continue the last rows at their marginal rate; round the effective rate *up*, so that the
    rounding Skatteverket applies to its own percentages (to the nearest) is covered."""
    values = amounts.values[column - 1]
    earlier_high = amounts.highs[-1 - EXTRAPOLATION_ROWS]
    assert earlier_high is not None
    marginal = D(values[-1] - values[-1 - EXTRAPOLATION_ROWS]) / (amounts.top - earlier_high)
    estimate = values[-1] + marginal * (pay - amounts.top)
    return int((estimate * 100 / pay).to_integral_value(ROUND_CEILING))


def _floor(x: Decimal) -> int:
    return int(x.to_integral_value(ROUND_FLOOR))


def _floor100(x: Decimal | int) -> int:
    return _floor(D(x) / 100) * 100


def _ceil100(x: Decimal) -> int:
    return int((x / 100).to_integral_value(ROUND_CEILING)) * 100


# --- SKV 433: how Skatteverket computes a column-1 amount ---------------------------------


@dataclass(frozen=True, slots=True)
class Skv433Params:
    """A year's inputs to Skatteverket's table computation (SKV 433, Teknisk beskrivning)."""

    year: int
    pbb: Decimal  # prisbasbelopp
    ibb: Decimal  # inkomstbasbelopp
    state_threshold: int  # skiktgräns, on taxable income
    fee_points: Decimal  # points of the table rate SKV 433 treats as average burial + church fee
    jsa_steps: tuple[Decimal, Decimal, Decimal]  # jobbskatteavdrag brackets, in PBB
    jsa_rates: tuple[Decimal, Decimal]  # its rates in the 2nd and 3rd brackets
    jsa_base: Decimal  # its base at the 2nd step, in PBB
    jsa_top: Decimal  # its base above the last step, in PBB
    source: str


SKV433_PARAMS: dict[int, Skv433Params] = {
    2026: Skv433Params(
        year=2026,
        pbb=D(59_200),
        ibb=D(83_400),
        state_threshold=643_000,
        fee_points=D("1.16"),
        jsa_steps=(D("0.91"), D("3.24"), D("8.08")),
        jsa_rates=(D("0.3874"), D("0.251")),
        jsa_base=D("1.813"),
        jsa_top=D("3.027"),
        source="SKV 433 ed. 36 (2025-12-10) as cited by third parties; reproduces all 6 720 "
        "column-1 amount rows of the 2026 tables exactly [V]",
    ),
}

STATE_RATE = D("0.20")
PENSION_FEE_RATE = D("0.07")  # allmän pensionsavgift
PENSION_FEE_CAP_IBB = D("8.07")
PENSION_FEE_FLOOR_PBB = D("0.423")
PUBLIC_SERVICE_RATE = D("0.01")
PUBLIC_SERVICE_CAP_IBB = D("1.42")


def skv433_monthly_amount(params: Skv433Params, table: int, row_high: int) -> int:
    """A column-1 amount row: the annual tax on 12 × the row's upper bound, a twelfth, rounded
    down. Rows up to 2 000 kr are 0 by rule and are not computed this way."""
    return _floor(D(skv433_annual_tax(params, table, _floor100(12 * row_high))) / 12)


def skv433_annual_tax(params: Skv433Params, table: int, income: int) -> int:
    """Annual tax (whole kronor) SKV 433 puts behind table `table`, column 1, on earned income.

    The table rate is split into municipal tax (rate − fee points) and an average burial and
    church fee that no credit reduces; the credits (pension fee, jobbskatteavdrag, the general
    earned-income reduction) come off municipal + state tax only, in that order.
    """
    allowance = _basic_allowance(income, params.pbb)
    taxable = max(0, _floor100(income - allowance))
    fee_rate = params.fee_points / 100
    municipal_rate = D(table) / 100 - fee_rate
    municipal = _floor(taxable * municipal_rate)  # SKV 433 drops öre; exactness depends on it
    state = _floor(max(0, taxable - params.state_threshold) * STATE_RATE)
    pension_fee = _pension_fee(income, params)
    room = municipal + state
    credited = 0
    for credit in (
        pension_fee,
        _jobbskatteavdrag(income, allowance, municipal_rate, params),
        _earned_income_reduction(taxable),
    ):
        used = min(credit, room)
        room -= used
        credited += used
    public_service = min(
        _floor(taxable * PUBLIC_SERVICE_RATE),
        _floor(PUBLIC_SERVICE_CAP_IBB * params.ibb * PUBLIC_SERVICE_RATE),
    )
    fee = _floor(taxable * fee_rate)
    return municipal + state + pension_fee - credited + public_service + fee


def _basic_allowance(income: int, pbb: Decimal) -> int:
    """Grundavdrag under 66 (IL 63 kap. 3 §), rounded up to 100 kr, never above the income."""
    if income <= 0:
        return 0
    x = D(income)
    if x <= D("0.99") * pbb:
        amount = D("0.423") * pbb
    elif x <= D("2.72") * pbb:
        amount = D("0.423") * pbb + D("0.20") * (x - D("0.99") * pbb)
    elif x <= D("3.11") * pbb:
        amount = D("0.77") * pbb
    elif x <= D("7.88") * pbb:
        amount = D("0.77") * pbb - D("0.10") * (x - D("3.11") * pbb)
    else:
        amount = D("0.293") * pbb
    return min(_ceil100(amount), income)


def _pension_fee(income: int, params: Skv433Params) -> int:
    """7 % of income up to 8.07 IBB, to the nearest 100 kr (an exact 50 goes down)."""
    if income < PENSION_FEE_FLOOR_PBB * params.pbb:
        return 0
    fee = PENSION_FEE_RATE * min(D(income), PENSION_FEE_CAP_IBB * params.ibb)
    return int((fee / 100).to_integral_value(ROUND_HALF_DOWN)) * 100


def _jobbskatteavdrag(income: int, allowance: int, rate: Decimal, params: Skv433Params) -> int:
    """Earned-income tax credit, under 66: a base of PBB multiples less the allowance, taxed."""
    if income <= 0:
        return 0
    x, pbb = D(income), params.pbb
    first, second, third = (step * pbb for step in params.jsa_steps)
    if x <= first:
        base = x
    elif x <= second:
        base = first + params.jsa_rates[0] * (x - first)
    elif x <= third:
        base = params.jsa_base * pbb + params.jsa_rates[1] * (x - second)
    else:
        base = params.jsa_top * pbb
    return max(0, _floor((base - allowance) * rate))


def _earned_income_reduction(taxable: int) -> int:
    """Skattereduktion för förvärvsinkomst: 0.75 % of taxable income 40 000–240 000 kr."""
    if taxable <= 40_000:
        return 0
    return min(_floor((min(taxable, 240_000) - 40_000) * D("0.0075")), 1_500)


# --- table number -------------------------------------------------------------------------


def table_for_municipal_rate(rate_percent: Decimal) -> int:
    """Skatteverket's table number for a total local tax rate, in percent.

    The rate is the sum of municipal tax, regional tax and burial fee (begravningsavgift), plus
    the church fee (or other religious community's fee) if the employee is a member; the table
    number is that sum rounded to a whole number, an exact .50 rounding down (32.50 → table 32,
    32.51 → table 33). Sources: Skatteverket, Rättslig vägledning "Skattetabeller" (tables
    exist only for whole-krona rates, 3 kap. 7 § SFF); the rule as published by Munkfors kommun
    and skattefakta.nu [T]. The employee's skattebesked, or Skatteverket's employer lookup, gives
    the table directly: prefer storing it over deriving it.
    """
    if isinstance(rate_percent, float | bool) or not isinstance(rate_percent, Decimal | int):
        raise TypeError("rate_percent must be a Decimal")
    rate = D(rate_percent)
    if not rate.is_finite() or not 0 < rate < 100:
        raise InvalidInput("The local tax rate must be a percentage.", field="municipal_rate")
    return int(rate.to_integral_value(ROUND_HALF_DOWN))


# --- one-off payments (engångsskatt), column 1 --------------------------------------------


@dataclass(frozen=True, slots=True)
class OneOffBracket:
    rate: Decimal  # share of the one-off amount to withhold, e.g. 0.21
    income_from: int  # annual income bracket, whole kronor
    income_to: int | None  # None: no upper bound
    year_used: int
    provisional: bool
    status: str  # V verified, T third-party source, U not verified or derived
    source: str
    note: str


@functools.cache
def _one_off_brackets() -> dict[int, tuple[tuple[int, int | None, Decimal, str, str], ...]]:
    by_year: dict[int, list[tuple[int, int | None, Decimal, str, str]]] = {}
    with _open_text(ONE_OFF_FILE) as f:
        for r in csv.DictReader(f, delimiter=";"):
            high = r["Årslön t.o.m."].strip()
            bracket = (
                int(r["Årslön fr.o.m."]),
                int(high) if high else None,
                D(r["Procent"]) / 100,
                r["Status"],
                r["Källa"],
            )
            by_year.setdefault(int(r["År"]), []).append(bracket)
    for year, brackets in by_year.items():
        brackets.sort(key=lambda b: b[0])
        gaps = any(a[1] is None or b[0] != a[1] + 1 for a, b in itertools.pairwise(brackets))
        if gaps or brackets[0][0] != 0 or brackets[-1][1] is not None:
            raise ValueError(f"{ONE_OFF_FILE.name}: {year} brackets not contiguous from 0")
    return {year: tuple(b) for year, b in sorted(by_year.items())}


def one_off_bracket(year: int, annual_income: Decimal) -> OneOffBracket:
    """The engångsskatt bracket (column 1, main employer) for the estimated annual income,
    one-off amount included, rounded down to whole kronor. A year after the last one shipped
    uses the last one, flagged provisional."""
    brackets = _one_off_brackets()
    used, provisional = _resolve_year(year, tuple(brackets), "one-off tax table")
    income = _whole_kronor(annual_income, "annual_income")
    rows = brackets[used]
    low, high, rate, status, source = rows[bisect.bisect_right([r[0] for r in rows], income) - 1]
    note = f"{used} one-off table, column 1: annual income from {_fmt(low)} kr."
    if provisional:
        note = f"Provisional: no {year} one-off table is shipped, the {used} one was used. {note}"
    return OneOffBracket(rate, low, high, used, provisional, status, source, note)


def one_off_rate(year: int, annual_income: Decimal) -> Decimal:
    """Share of a one-off payment to withhold (e.g. Decimal("0.21")); see one_off_bracket."""
    return one_off_bracket(year, annual_income).rate

"""Dated legal parameters as data: one file per country and year, checked, compared and looked up.

A parameter file (YAML) holds every value a country's rules need for one calendar year:

    country: BE
    year: 2027
    status: official            # official | provisional
    issued: 2026-12-05          # when the values were published (or derived)
    source: SPF Finances, Annex III AR/CIR 92 for 2027
    tables:
      social:                   # a table of the country's schema
        - from: 2027-01-01      # periods cover the year, in order, without gap or overlap
          until: 2027-12-31
          source: ONSS instructions 2027/1      # default source of the values below
          values:
            employee: {value: 0.1307, unit: rate, status: V}
            manual_base: {value: 1.08, unit: factor, status: V, source: ONSS, 108 % base}

Every value carries its unit (checked against the country's schema), its status ([V] verified
in an official text or reproduced on a published case, [T] third-party source, [U] not verified
or derived) and its source; numbers are read as exact decimals, never floats. A file with a
schema error, a gap or overlap in dates, a wrong unit or an unknown key is refused whole, each
problem named with its line.

A `ParameterBook` holds a country's sets (the files shipped in `countries/<cc>/parameters/` and
the sets staff loaded and approved) and answers "which values are in force on this date". Past
the last year it has, it answers with the last values, flagged provisional, so the product never
stops at midnight on 31 December; the payroll asks for approval before paying on them and
regularises when the official set is loaded.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from mutua.core.errors import InvalidInput

STATUSES = ("official", "provisional")
VALUE_STATUSES = ("V", "T", "U")
KINDS = ("number", "list", "text")
# Units a schema may name, with the range every number in that unit must fall in.
UNITS: dict[str, tuple[Decimal, Decimal]] = {
    "rate": (Decimal(0), Decimal(1)),  # a fraction: 0.1307 is 13.07 %
    "factor": (Decimal(0), Decimal(100)),  # a multiplier: 1.08
    "exponent": (Decimal(0), Decimal(10)),
    "SMIC multiple": (Decimal(0), Decimal(100)),
    "count": (Decimal(0), Decimal(10**6)),
    "days": (Decimal(0), Decimal(366)),
    "hours": (Decimal(0), Decimal(8784)),
    **{
        f"{currency}{per}": (Decimal(0), Decimal(10**9))
        for currency in ("EUR", "SEK", "HUF")
        for per in ("", "/year", "/month", "/day", "/hour", "/km")
    },
    "text": (Decimal(0), Decimal(0)),
}
WARNING_DAYS = 60  # staff are warned this long before a country's tables end


class ParameterFileError(InvalidInput):
    """A parameter file that cannot be used; `problems` lists (line, message), first line first."""

    code = "invalid_parameter_file"

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = sorted(problems)
        text = "; ".join(f"line {n}: {m}" if n else m for n, m in self.problems[:20])
        more = len(self.problems) - 20
        super().__init__(text + (f"; and {more} more" if more > 0 else ""), field="file")


# --- schema -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Field:
    unit: str
    kind: str = "number"  # number | list (of numbers) | text
    length: int | None = None  # lists: exact length, when the rule needs one

    def __post_init__(self) -> None:
        if self.unit not in UNITS or self.kind not in KINDS:
            raise ValueError(f"bad field definition {self.unit!r} {self.kind!r}")


Schema = Mapping[str, Mapping[str, Field]]  # table name → value key → field


# --- the data -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Value:
    value: Any  # Decimal, tuple of Decimal, or str
    unit: str
    status: str
    source: str

    def text(self) -> str:
        if isinstance(self.value, tuple):
            return "[" + ", ".join(_number_text(v) for v in self.value) + "]"
        if isinstance(self.value, Decimal):
            return _number_text(self.value)
        return str(self.value)


def _number_text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True, eq=False)
class Period:
    """The values of one table from `valid_from` to `valid_until` (both included)."""

    table: str
    valid_from: dt.date
    valid_until: dt.date
    source: str
    values: Mapping[str, Value]

    def __getitem__(self, key: str) -> Any:
        return self.values[key].value


@dataclass(frozen=True, eq=False)
class ParameterSet:
    country: str
    year: int
    status: str
    issued: dt.date
    source: str
    tables: Mapping[str, tuple[Period, ...]]
    origin: str = "shipped"  # "shipped" (file in the release), "loaded #N" (approved by staff)
    text: str = field(default="", repr=False)

    @property
    def label(self) -> str:
        return f"{self.country} {self.year} ({self.status}, {self.origin}, issued {self.issued})"

    def period(self, table: str, on: dt.date) -> Period:
        for period in self.tables[table]:
            if period.valid_from <= on <= period.valid_until:
                return period
        raise InvalidInput(f"no {table} values on {on} in {self.label}", field="on")


@dataclass(frozen=True, slots=True)
class InForce:
    """The values of one table in force on a date, and how sure they are."""

    period: Period
    provisional: bool
    note: str  # empty for official values; else why they are provisional


# --- reading a file -----------------------------------------------------------------------------
class _Located(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class _Seq(list[Any]):
    line: int = 0


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Located:
    mapping = _Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key)
        if key in mapping:
            raise yaml.MarkedYAMLError(
                problem=f"the key {key!r} appears twice", problem_mark=key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    seq = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    seq.line = node.start_mark.line + 1
    return seq


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    # YAML floats would lose cents: every number is read from its text as an exact Decimal.
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_decimal)


def read_set(text: str, schema: Schema, *, country: str, origin: str = "shipped") -> ParameterSet:
    """Parse and check a parameter file; ParameterFileError names every problem with its line."""
    try:
        document = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise ParameterFileError([(line, f"not valid YAML: {exc.problem or exc}")]) from exc
    except yaml.YAMLError as exc:
        raise ParameterFileError([(0, f"not valid YAML: {exc}")]) from exc
    reader = _SetReader(schema, country.upper())
    parameter_set = reader.read(document, origin=origin, text=text)
    if reader.problems or parameter_set is None:
        raise ParameterFileError(reader.problems or [(0, "the file is empty")])
    return parameter_set


class _SetReader:
    TOP = ("country", "year", "status", "issued", "source", "tables", "note")

    def __init__(self, schema: Schema, country: str) -> None:
        self.schema, self.country = schema, country
        self.problems: list[tuple[int, str]] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def read(self, doc: Any, *, origin: str, text: str) -> ParameterSet | None:
        if not isinstance(doc, _Located):
            self.problem(1, "a parameter file is a mapping with country, year, status and tables")
            return None
        for key in doc:
            if key not in self.TOP:
                self.problem(doc.key_lines[key], f"unknown key {key!r}")
        for key in ("country", "year", "status", "issued", "source", "tables"):
            if key not in doc:
                self.problem(doc.line, f"{key!r} is missing")
        if self.problems:
            return None
        line = doc.key_lines
        if str(doc["country"]).upper() != self.country:
            self.problem(line["country"], f"this file is for {doc['country']}, not {self.country}")
        year = self._year(doc["year"], line["year"])
        if doc["status"] not in STATUSES:
            self.problem(line["status"], f"status must be one of {', '.join(STATUSES)}")
        if not isinstance(doc["issued"], dt.date):
            self.problem(line["issued"], "issued must be a date (YYYY-MM-DD)")
        tables = self._tables(doc["tables"], line["tables"], year) if year else {}
        if self.problems or year is None:
            return None
        return ParameterSet(
            country=self.country,
            year=year,
            status=doc["status"],
            issued=doc["issued"],
            source=str(doc["source"]),
            tables=tables,
            origin=origin,
            text=text,
        )

    def _year(self, value: Any, line: int) -> int | None:
        if not isinstance(value, Decimal) or value != value.to_integral() or not value >= 2000:
            self.problem(line, "year must be a year such as 2027")
            return None
        return int(value)

    def _tables(self, tables: Any, line: int, year: int) -> dict[str, tuple[Period, ...]]:
        if not isinstance(tables, _Located):
            self.problem(line, "tables must be a mapping of table names to periods")
            return {}
        for name in tables:
            if name not in self.schema:
                known = ", ".join(self.schema)
                self.problem(tables.key_lines[name], f"unknown table {name!r} (known: {known})")
        for name in self.schema:
            if name not in tables:
                self.problem(tables.line, f"table {name!r} is missing")
        return {
            name: self._periods(name, tables[name], tables.key_lines[name], year)
            for name in tables
            if name in self.schema
        }

    def _periods(self, table: str, rows: Any, line: int, year: int) -> tuple[Period, ...]:
        if not isinstance(rows, _Seq) or not rows:
            self.problem(line, f"table {table!r} must list its periods (- from: ... until: ...)")
            return ()
        periods = [p for row in rows if (p := self._period(table, row)) is not None]
        if len(periods) == len(rows):
            self._check_dates(table, periods, [row.line for row in rows], year)
        return tuple(periods)

    def _check_dates(self, table: str, periods: list[Period], lines: list[int], year: int) -> None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        expected = start
        for period, line in zip(periods, lines, strict=True):
            if period.valid_until < period.valid_from:
                self.problem(line, f"{table}: the period ends before it starts")
            elif period.valid_from > expected:
                gap_end = period.valid_from - dt.timedelta(days=1)
                self.problem(line, f"{table}: gap in dates, nothing from {expected} to {gap_end}")
            elif period.valid_from < expected:
                self.problem(line, f"{table}: overlap in dates, {period.valid_from} is covered")
            expected = period.valid_until + dt.timedelta(days=1)
        if periods[0].valid_from < start or periods[-1].valid_until > end:
            self.problem(lines[0], f"{table}: periods must stay within {year}")
        elif expected <= end:
            self.problem(lines[-1], f"{table}: gap in dates, nothing from {expected} to {end}")

    def _period(self, table: str, row: Any) -> Period | None:
        if not isinstance(row, _Located):
            self.problem(getattr(row, "line", 0), f"{table}: a period is a mapping")
            return None
        problems = len(self.problems)
        for key in row:
            if key not in ("from", "until", "source", "values"):
                self.problem(row.key_lines[key], f"{table}: unknown key {key!r} in a period")
        for key in ("from", "until", "values"):
            if key not in row:
                self.problem(row.line, f"{table}: {key!r} is missing in a period")
            elif key != "values" and not isinstance(row[key], dt.date):
                self.problem(row.key_lines[key], f"{table}: {key} must be a date (YYYY-MM-DD)")
        if len(self.problems) > problems:
            return None
        source = str(row.get("source", ""))
        values = self._values(table, row["values"], row.key_lines["values"], source)
        if len(self.problems) > problems:
            return None
        return Period(table, row["from"], row["until"], source, values)

    def _values(self, table: str, values: Any, line: int, source: str) -> dict[str, Value]:
        if not isinstance(values, _Located):
            self.problem(line, f"{table}: values must be a mapping")
            return {}
        fields = self.schema[table]
        for key in values:
            if key not in fields:
                self.problem(values.key_lines[key], f"{table}: unknown key {key!r}")
        for key in fields:
            if key not in values:
                self.problem(values.line, f"{table}: value {key!r} is missing")
        read = {}
        for key, spec in fields.items():
            if key in values:
                value = self._value(table, key, spec, values[key], values.key_lines[key], source)
                if value is not None:
                    read[key] = value
        return read

    def _value(
        self, table: str, key: str, spec: Field, item: Any, line: int, source: str
    ) -> Value | None:
        where = f"{table}.{key}"
        if not isinstance(item, _Located) or "value" not in item:
            self.problem(line, f"{where}: write {{value: ..., unit: ..., status: ...}}")
            return None
        for extra in item:
            if extra not in ("value", "unit", "status", "source"):
                self.problem(line, f"{where}: unknown key {extra!r}")
        unit, status = item.get("unit"), item.get("status")
        if unit != spec.unit:
            self.problem(line, f"{where}: wrong unit {unit!r}, expected {spec.unit!r}")
        if status not in VALUE_STATUSES:
            self.problem(line, f"{where}: status must be V, T or U")
        own_source = str(item.get("source") or source).strip()
        if not own_source:
            self.problem(line, f"{where}: no source (give one for the value or its period)")
        value = self._number_or_list(where, spec, item["value"], line)
        if unit != spec.unit or status not in VALUE_STATUSES or value is None or not own_source:
            return None
        return Value(value, unit, status, own_source)

    def _number_or_list(self, where: str, spec: Field, raw: Any, line: int) -> Any:
        if spec.kind == "text":
            if not isinstance(raw, str) or not raw.strip():
                self.problem(line, f"{where}: expected a text")
                return None
            return raw.strip()
        if spec.kind == "list":
            if not isinstance(raw, list) or not raw:
                self.problem(line, f"{where}: expected a list of numbers")
                return None
            if spec.length is not None and len(raw) != spec.length:
                self.problem(line, f"{where}: expected {spec.length} numbers, found {len(raw)}")
                return None
            numbers = [self._number(where, spec, item, line) for item in raw]
            return None if any(n is None for n in numbers) else tuple(numbers)
        return self._number(where, spec, raw, line)

    def _number(self, where: str, spec: Field, raw: Any, line: int) -> Decimal | None:
        try:
            number = raw if isinstance(raw, Decimal) else Decimal(str(raw))
        except (InvalidOperation, ValueError):
            number = None
        if number is None or isinstance(raw, bool) or not number.is_finite():
            self.problem(line, f"{where}: {raw!r} is not a number")
            return None
        low, high = UNITS[spec.unit]
        if not low <= number <= high:
            self.problem(line, f"{where}: {number} is out of range for {spec.unit} ({low}-{high})")
            return None
        return number


# --- comparing two sets -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Change:
    table: str
    key: str
    valid_from: dt.date
    before: str  # "" when the value is new
    after: str  # "" when it is gone
    status: str
    source: str

    @property
    def kind(self) -> str:
        return "added" if not self.before else "removed" if not self.after else "changed"


def _flat(parameter_set: ParameterSet | None) -> dict[tuple[str, dt.date, str], Value]:
    if parameter_set is None:
        return {}
    return {
        (table, period.valid_from, key): value
        for table, periods in parameter_set.tables.items()
        for period in periods
        for key, value in period.values.items()
    }


def differences(before: ParameterSet | None, after: ParameterSet) -> list[Change]:
    """Line by line, what `after` changes from `before` (values, units or periods)."""
    old, new = _flat(before), _flat(after)
    changes = []
    for where in sorted(old.keys() | new.keys()):
        a, b = old.get(where), new.get(where)
        if a is not None and b is not None and (a.value, a.unit) == (b.value, b.unit):
            continue
        shown = b or a
        assert shown is not None
        changes.append(
            Change(
                table=where[0],
                valid_from=where[1],
                key=where[2],
                before=f"{a.text()} {a.unit}" if a else "",
                after=f"{b.text()} {b.unit}" if b else "",
                status=shown.status,
                source=shown.source,
            )
        )
    return changes


# --- the book of a country ----------------------------------------------------------------------
def _rank(parameter_set: ParameterSet) -> tuple[int, dt.date, int]:
    """Official beats provisional; then the later issue; then a staff-loaded set."""
    return (
        parameter_set.status == "official",
        parameter_set.issued,
        parameter_set.origin != "shipped",
    )


class ParameterBook:
    """All parameter sets of one country: the one in force for each year, and the lookups."""

    def __init__(self, country: str, sets: Iterable[ParameterSet]) -> None:
        self.country = country
        self.by_year: dict[int, ParameterSet] = {}
        for candidate in sets:
            current = self.by_year.get(candidate.year)
            if current is None or _rank(candidate) >= _rank(current):
                self.by_year[candidate.year] = candidate
        if not self.by_year:
            raise InvalidInput(f"no parameters for {country}", field="country")
        self.first_year, self.last_year = min(self.by_year), max(self.by_year)
        self._rows: dict[tuple[int, Any], Any] = {}
        self._on: dict[tuple[dt.date, int], tuple[dict[str, Any], bool, tuple[str, ...]]] = {}

    def row(self, period: Period, build: Callable[[Period], Any]) -> Any:
        """`build(period)`, made once per book (the rules' frozen row for these values)."""
        key = (id(period), build)  # the book keeps its periods alive, so ids stay unique
        found = self._rows.get(key)
        if found is None:
            found = self._rows[key] = build(period)
        return found

    def rows_on(
        self, on: dt.date, builders: Mapping[str, Callable[[Period], Any]]
    ) -> tuple[dict[str, Any], bool, tuple[str, ...]]:
        """Each table's row in force on `on`, whether any is provisional, and why (kept per
        date: the simulator and the payroll ask for the same dates again and again)."""
        key = (on, id(builders))
        found = self._on.get(key)
        if found is None:
            answers = {table: self.in_force(table, on) for table in builders}
            rows = {table: self.row(a.period, builders[table]) for table, a in answers.items()}
            notes = tuple(sorted({a.note for a in answers.values() if a.provisional}))
            found = self._on[key] = (rows, bool(notes), notes)
        return dict(found[0]), found[1], found[2]

    def set_for(self, year: int) -> ParameterSet | None:
        return self.by_year.get(year)

    @property
    def last_official_day(self) -> dt.date:
        """The last day covered by official values (provisional sets do not count)."""
        years = [y for y, s in self.by_year.items() if s.status == "official"]
        return dt.date(max(years), 12, 31) if years else dt.date(self.first_year - 1, 12, 31)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.last_year, 12, 31)

    def in_force(self, table: str, on: dt.date) -> InForce:
        """The values of `table` on `on`; after the last year, the last values, provisional."""
        if on.year < self.first_year:
            raise InvalidInput(
                f"no {self.country} parameters in force on {on} (the data start in "
                f"{self.first_year})",
                field="on",
            )
        parameter_set = self.by_year.get(on.year)
        if parameter_set is None:
            last = self.by_year[max(y for y in self.by_year if y < on.year)]
            period = last.tables[table][-1]
            note = (
                f"{self.country} {on.year} values not published yet: the last ones, of {last.year}"
            )
            return InForce(period, True, note)
        period = parameter_set.period(table, on)
        if parameter_set.status == "provisional":
            note = f"{self.country} {on.year} values are provisional, not yet the official ones"
            return InForce(period, True, note)
        return InForce(period, False, "")


# --- where the sets come from -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CountryParameters:
    """What a country package declares: its schema and the folder of its shipped files."""

    country: str
    schema: Schema
    folder: Path

    def shipped(self) -> list[ParameterSet]:
        return [
            read_set(path.read_text(encoding="utf-8"), self.schema, country=self.country)
            for path in sorted(self.folder.glob("*.yaml"))
        ]


# Sets staff loaded and approved: the rules app registers a function returning them by country.
LoadedSets = Callable[[str], list[ParameterSet]]
_loaded_sets: list[LoadedSets] = []
_books: dict[str, ParameterBook] = {}
_lock = threading.Lock()
# Caches built from the books elsewhere (the payroll's rules per date) empty with them.
_listeners: list[Callable[[], None]] = []


def register_loaded_sets(provider: LoadedSets) -> None:
    if provider not in _loaded_sets:
        _loaded_sets.append(provider)


# Run before each lookup: a check may call invalidate() when another process approved a set.
# It must be cheap (the rules app's check reads the database at most every 30 seconds).
_freshness_checks: list[Callable[[], None]] = []


def register_freshness_check(check: Callable[[], None]) -> None:
    if check not in _freshness_checks:
        _freshness_checks.append(check)


def when_invalidated(listener: Callable[[], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def invalidate() -> None:
    """Forget the books: the next lookup reads the shipped files and the loaded sets again."""
    with _lock:
        _books.clear()
    for listener in _listeners:
        listener()


def book(declared: CountryParameters) -> ParameterBook:
    for check in _freshness_checks:
        check()
    found = _books.get(declared.country)
    if found is not None:
        return found
    with _lock:
        sets = declared.shipped()
        for provider in _loaded_sets:
            sets.extend(provider(declared.country))
        found = _books[declared.country] = ParameterBook(declared.country, sets)
    return found

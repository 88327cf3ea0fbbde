"""`mutua simulate`: options and JSON keys of DESIGN.md §5, clear errors without tracebacks."""

from __future__ import annotations

import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

KEYS = {
    # DESIGN.md §5, and whether values in force are provisional (with why)
    "provisional",
    "parameters_note",
    "country",
    "on",
    "currency",
    "invoiced",
    "fee",
    "expenses",
    "work_budget",
    "gross",
    "employee_contributions",
    "work_bonus",
    "withholding_tax",
    "special_contribution",
    "net",
    "employer_contributions",
    "employer_cost",
    "lines",
}


def simulate_json(*args: str) -> dict:
    out = StringIO()
    call_command("simulate", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_design_keys_with_amounts_as_decimal_strings() -> None:
    data = simulate_json(
        "--country",
        "BE",
        "--on",
        "2025-03-01",
        "--gross",
        "3750",
        "--marital",
        "married",
        "--partner-income",
        "yes",
        "--children",
        "1",
    )
    assert set(data) == KEYS
    assert data["net"] == "2537.06"  # ACLVB 2025 published case
    assert data["currency"] == "EUR"
    for line in data["lines"]:
        assert set(line) == {"code", "label", "base", "rate", "amount"}
        D(line["amount"])  # a decimal string


def test_every_cent_of_the_invoice_is_accounted_for() -> None:
    data = simulate_json(
        "--country",
        "BE",
        "--on",
        "2026-02-01",
        "--invoiced",
        "4000",
        "--expenses",
        "150",
        "--worker",
        "artist",
    )
    lines = {ln["code"]: D(ln["amount"]) for ln in data["lines"]}
    invoiced = D(data["invoiced"])
    # invoice − fee − expenses = work budget
    assert invoiced + lines["fee"] + lines["expenses"] == D(data["work_budget"])
    # work budget − charges − margin − rounding − employer contributions = gross
    spent = lines["employer_charges"] + lines["margin"] + lines["rounding"]
    assert D(data["work_budget"]) + spent - D(data["employer_contributions"]) == D(data["gross"])
    assert D(data["fee"]) == D("260.00")  # 6.5 % × 4,000


def test_from_net_it_finds_the_invoice_that_pays_it() -> None:
    data = simulate_json("--country", "BE", "--on", "2025-06-01", "--net", "2000")
    assert D("2000.00") <= D(data["net"]) <= D("2000.01")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "XX", "--on", "2025-01-01", "--gross", "1"], "not supported"),
        (["--country", "BE", "--on", "2025-01-01", "--gross", "-5"], "negative"),
        (["--country", "BE", "--on", "2019-01-01", "--gross", "100"], "in force"),
        (["--country", "BE", "--on", "yesterday", "--gross", "100"], "not a date"),
        (["--country", "BE", "--on", "2025-01-01", "--gross", "abc"], "not an amount"),
        (
            ["--country", "BE", "--on", "2025-01-01", "--gross", "1", "--expenses", "2"],
            "--invoiced",
        ),
    ],
)
def test_bad_input_is_a_clear_error(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("simulate", *args, "--json", stdout=StringIO())


def test_an_unknown_option_value_is_refused() -> None:
    with pytest.raises(CommandError):
        call_command(
            "simulate",
            "--country",
            "BE",
            "--on",
            "2025-01-01",
            "--gross",
            "1",
            "--worker",
            "pilot",
            stdout=StringIO(),
        )


def test_without_json_it_prints_a_readable_table() -> None:
    out = StringIO()
    call_command("simulate", "--country", "BE", "--on", "2025-03-01", "--gross", "3000", stdout=out)
    assert "Net pay" in out.getvalue()

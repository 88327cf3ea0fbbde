"""Parse simulator input from text (CLI options, query strings) into a SimulationRequest.

Shared by `mutua simulate` and the public page so both refuse the same bad input with the same
messages (an InvalidInput naming the field).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mutua.core.errors import InvalidInput
from mutua.core.inputs import parse_money
from mutua.core.pay import EmployerProfile, Situation
from mutua.payroll.simulator import SimulationRequest


def parse_amount(text: str | None, field: str) -> Decimal:
    """A non-negative amount in cents at most, up to 10,000,000.00: mutua.core.inputs' money
    rules (ASCII digits, `.` or `,` before the cents), the message naming the field."""
    try:
        return parse_money(text if text is not None else "", field=field)
    except InvalidInput as exc:
        raise InvalidInput(f"{field}: {exc.message}", field=field) from None


def parse_date(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise InvalidInput(f"date {text!r} is not a date (YYYY-MM-DD)", field="on") from exc


def parse_count(text: str | None, field: str, default: int) -> int:
    if text in (None, ""):
        return default
    try:
        return int(str(text))
    except ValueError as exc:
        raise InvalidInput(f"{field} must be a whole number", field=field) from exc


def parse_yes_no(text: str | None, field: str) -> bool:
    value = (text or "yes").strip().lower()
    if value not in ("yes", "no"):
        raise InvalidInput(f"{field} must be yes or no", field=field)
    return value == "yes"


def build_request(
    *,
    country: str,
    on: str,
    mode: str,
    amount: str,
    expenses: str | None = None,
    worker: str | None = None,
    category: str | None = None,
    headcount: str | None = None,
    marital: str | None = None,
    partner_income: str | None = None,
    children: str | None = None,
    single_parent: bool = False,
    tax_table: str | None = None,
    quick_estimate: bool = False,
) -> SimulationRequest:
    """The request for these texts, or InvalidInput naming the first bad field."""
    situation = Situation(
        worker=worker or "employee",
        category=category or "non-cadre",
        marital=marital or "single",
        partner_income=parse_yes_no(partner_income, "partner_income"),
        children=parse_count(children, "children", 0),
        single_parent=single_parent,
        tax_table=parse_count(tax_table, "tax_table", 0) or None,
        quick_estimate=quick_estimate,
    )
    return SimulationRequest(
        country=(country or "").strip().upper(),
        on=parse_date(on),
        mode=mode,
        amount=parse_amount(amount, "amount"),
        expenses=parse_amount(expenses, "expenses") if expenses not in (None, "") else Decimal("0"),
        situation=situation,
        employer=EmployerProfile(headcount=parse_count(headcount, "headcount", 1)),
    )

"""The annual report's figures for the general assembly (members, shareholders, capital,
turnover, jobs, fund) and their PDF, rendered offline by WeasyPrint in the reader's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import translation

from mutua.core import clock
from mutua.core.pdf import html_to_pdf
from mutua.entities.models import Entity
from mutua.governance.models import ShareMovement
from mutua.ledger.models import Balance, PostingRule
from mutua.reporting.indicators import Indicators, entity_indicators

TEMPLATE = "reporting/documents/annual_report.html"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class AnnualReport:
    entity: Entity
    year: int
    figures: Indicators
    shareholders: int
    shares: int
    capital_in_register: Decimal
    capital_in_books: Decimal


def annual_report(entity: Entity, year: int) -> AnnualReport:
    end = dt.date(year, 12, 31)
    held = (
        ShareMovement.objects.filter(entity=entity, date__lte=end)
        .values("holder_id")
        .annotate(held=Sum("quantity"), paid_in=Sum("paid_up"))
        .filter(held__gt=0)
        .aggregate(holders=Count("holder_id"), shares=Sum("held"), paid=Sum("paid_in"))
    )
    return AnnualReport(
        entity=entity,
        year=year,
        figures=entity_indicators(entity, year),
        shareholders=held["holders"] or 0,
        shares=held["shares"] or 0,
        capital_in_register=Decimal(held["paid"] or 0).quantize(CENT),
        capital_in_books=_share_capital(entity, end),
    )


def _share_capital(entity: Entity, end: dt.date) -> Decimal:
    rule = PostingRule.objects.filter(entity=entity, event="share_capital").first()
    if rule is None:
        return Decimal("0.00")
    totals = Balance.objects.filter(
        entity=entity, dimension="", dimension_id=0, account_id=rule.account_id, day__lte=end
    ).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (Decimal(totals["c"] or 0) - Decimal(totals["d"] or 0)).quantize(CENT)


def _locale(language: str, country: str) -> Locale:
    try:
        return Locale.parse(f"{language}_{country}")
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def annual_report_html(report: AnnualReport, language: str) -> str:
    locale = _locale(language, report.entity.country)
    currency = report.entity.currency

    def money(amount: Decimal) -> str:
        return str(format_currency(amount, currency, locale=locale))

    def number(value: Any) -> str:
        return str(format_decimal(value, "#,##0.##", locale=locale))

    f = report.figures
    with translation.override(language):
        return render_to_string(
            TEMPLATE,
            {
                "report": report,
                "lang": language,
                "made": clock.today(),
                "members": [
                    number(f.members_active),
                    number(f.members_new),
                    number(f.members_leaving),
                ],
                "shares": [number(report.shareholders), number(report.shares)],
                "capital": [money(report.capital_in_register), money(report.capital_in_books)],
                "activity": [number(f.invoices_issued), money(f.turnover), money(f.fees)],
                "jobs": [
                    number(f.contracts),
                    number(f.paid_days),
                    number(f.full_time_equivalents),
                    money(f.gross_pay),
                    money(f.net_pay),
                ],
                "fund": [
                    money(f.fund_balance),
                    money(f.fund_fed),
                    money(f.fund_exposure),
                    money(f.fund_losses),
                ],
                "sectors": [(s, money(t)) for s, t in f.sectors],
            },
        )


def annual_report_pdf(report: AnnualReport, language: str) -> bytes:
    result: bytes = html_to_pdf(annual_report_html(report, language))
    return result

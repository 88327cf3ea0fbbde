"""The indicators as rows for CSV/XLSX exports (written by mutua.core.spreadsheets)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mutua.core.spreadsheets import Cell, csv_bytes, xlsx_bytes
from mutua.reporting.indicators import Indicators


def indicator_rows(figures: Indicators) -> list[tuple[str, Cell]]:
    rows: list[tuple[str, Cell]] = [
        (_("Entity"), figures.name),
        (_("Year"), figures.year),
        (_("Currency"), figures.currency),
        (_("Active members at year end"), figures.members_active),
        (_("New members"), figures.members_new),
        (_("Members who left"), figures.members_leaving),
        (_("Invoices issued"), figures.invoices_issued),
        (_("Turnover excl. VAT"), figures.turnover),
        (_("Fees"), figures.fees),
        (_("Contracts"), figures.contracts),
        (_("Contracted working days"), figures.contract_days),
        (_("Payslips"), figures.payslips),
        (_("Paid working days"), figures.paid_days),
        (_("Full-time days of the year"), figures.full_time_days),
        (_("Full-time equivalents"), figures.full_time_equivalents),
        (_("Gross pay"), figures.gross_pay),
        (_("Net pay"), figures.net_pay),
        (_("Employer contributions"), figures.employer_contributions),
        (_("Expenses"), figures.expenses),
        (_("Guarantee fund balance"), figures.fund_balance),
        (_("Guarantee fund fed"), figures.fund_fed),
        (_("Guarantee fund losses"), figures.fund_losses),
        (_("Guarantee fund exposure"), figures.fund_exposure),
        (_("Receivables at year end"), figures.receivables),
        (_("Days sales outstanding"), figures.days_sales_outstanding),
        (_("Average payment delay (days)"), figures.average_payment_delay),
    ]
    rows.append((_("Turnover per sector"), None))
    rows += list(figures.sectors)  # sector names are members' text: the writer neutralises them
    return rows


def _table(figures: Indicators) -> tuple[list[str], list[list[Cell]]]:
    header = [_("Indicator"), _("Value")]
    body: list[list[Cell]] = [[label, value] for label, value in indicator_rows(figures)]
    body += [
        [_("Month %(month)s: turnover") % {"month": f"{m.month:%Y-%m}"}, m.turnover]
        for m in figures.months
    ]
    return header, body


def indicators_csv(figures: Indicators) -> bytes:
    return csv_bytes(*_table(figures))


def indicators_xlsx(figures: Indicators) -> bytes:
    return xlsx_bytes(f"{figures.entity} {figures.year}", *_table(figures))

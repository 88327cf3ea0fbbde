"""The cooperative's indicators for one entity and year, read set-based from the source records
(memberships, invoices, contracts, payslips, bank allocations) and from the ledger's balance
aggregate — a fixed number of queries whatever the size of the entity; amounts come from the
books' aggregate wherever the books hold them (fast at any size), counts from the records.

Definitions (shown to staff on the dashboard too):
- active members: approved memberships not ended at the end of the year; new: approved during the
  year; leaving: ended during the year.
- turnover: the sales account of the year, i.e. invoices issued less credit notes, excluding
  VAT (the tests recompute it invoice by invoice); sectors: the same per activity's sector.
- full-time equivalents: paid working days (payslips of the year) divided by the full-time days
  of the year, here the weekdays Monday to Friday (261 in 2026).
- days sales outstanding: receivables at the end of the year / invoiced amount incl. VAT of the
  year (sales + VAT collected) × days in the year; average payment delay: days from issue to
  payment, weighted by the amounts paid during the year (from the monthly aggregate the bank
  reconciliation keeps, mutua.reporting.delays).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from mutua.contracts.models import Contract
from mutua.entities.models import Entity, NumberSequence
from mutua.ledger.models import Balance, PostingRule
from mutua.members.models import Membership
from mutua.payroll.models import Payslip
from mutua.reporting.models import PaymentDelayMonth

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
LEDGER_EVENTS = (
    "sales",
    "fee_income",
    "gross_pay",
    "employer_contributions",
    "expenses",
    "guarantee_fund",
    "fund_exposure",
    "bad_debts",
    "receivable",
    "vat_collected",
)


@dataclass(frozen=True)
class Month:
    month: dt.date
    turnover: Decimal
    fees: Decimal
    gross_pay: Decimal


@dataclass
class Indicators:
    entity: str
    name: str
    currency: str
    year: int
    members_active: int = 0
    members_new: int = 0
    members_leaving: int = 0
    invoices_issued: int = 0
    turnover: Decimal = ZERO
    vat_collected: Decimal = ZERO
    fees: Decimal = ZERO
    contracts: int = 0
    contract_days: Decimal = ZERO
    payslips: int = 0
    paid_days: Decimal = ZERO
    full_time_days: int = 0
    full_time_equivalents: Decimal = ZERO
    gross_pay: Decimal = ZERO
    net_pay: Decimal = ZERO
    employer_contributions: Decimal = ZERO
    expenses: Decimal = ZERO
    fund_balance: Decimal = ZERO
    fund_fed: Decimal = ZERO
    fund_losses: Decimal = ZERO
    fund_exposure: Decimal = ZERO
    receivables: Decimal = ZERO
    days_sales_outstanding: Decimal = ZERO
    average_payment_delay: Decimal = ZERO
    sectors: list[tuple[str, Decimal]] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Amounts as decimal strings (the CLI's stable JSON)."""
        data = asdict(self)
        data["sectors"] = [{"sector": s, "turnover": str(t)} for s, t in self.sectors]
        data["months"] = [
            {
                "month": m.month.strftime("%Y-%m"),
                "turnover": str(m.turnover),
                "fees": str(m.fees),
                "gross_pay": str(m.gross_pay),
            }
            for m in self.months
        ]
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in data.items()}


def weekdays_in(year: int) -> int:
    """Monday to Friday days of the year: the full-time days an FTE is counted against."""
    day, count = dt.date(year, 1, 1), 0
    while day.year == year:
        count += day.weekday() < 5
        day += dt.timedelta(days=1)
    return count


def ledger_indicators(entity: Entity, year: int) -> Indicators:
    """Only the figures the books hold (turnover, fees, fund, receivables): the cheap part."""
    result = Indicators(entity.code, entity.name, entity.currency, year)
    _ledger(result, entity, dt.date(year, 1, 1), dt.date(year, 12, 31), sectors=False)
    return result


def entity_indicators(entity: Entity, year: int) -> Indicators:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    result = Indicators(entity.code, entity.name, entity.currency, year)
    _members(result, entity, start, end)
    _ledger(result, entity, start, end)
    _invoices(result, entity, start, end)
    _work(result, entity, start, end)
    _collection(result, entity, start, end)
    return result


# --- source records -----------------------------------------------------------------------------
def _members(result: Indicators, entity: Entity, start: dt.date, end: dt.date) -> None:
    approved = Membership.objects.filter(entity=entity, number__isnull=False)
    counts = approved.aggregate(
        active=Count(
            "pk",
            filter=Q(decided_at__date__lte=end)
            & (Q(ended_at__isnull=True) | Q(ended_at__date__gt=end)),
        ),
        new=Count("pk", filter=Q(decided_at__date__range=(start, end))),
        leaving=Count("pk", filter=Q(ended_at__date__range=(start, end))),
    )
    result.members_active = counts["active"]
    result.members_new = counts["new"]
    result.members_leaving = counts["leaving"]


def _invoices(result: Indicators, entity: Entity, start: dt.date, end: dt.date) -> None:
    """Invoice numbers are gapless per entity and year of issue: the year's sequence counts the
    invoices issued (amounts come from the books, see _ledger)."""
    sequence = NumberSequence.objects.filter(entity=entity, key="invoice", year=start.year).first()
    result.invoices_issued = sequence.last if sequence else 0


SECTORS_SQL = """
SELECT COALESCE(a.sector, ''), SUM(b.credit) - SUM(b.debit)
FROM ledger_balance b JOIN activities_activity a ON a.id = b.dimension_id
WHERE b.entity_id = %s AND b.dimension = 'activity' AND b.account_id = %s AND b.currency = %s
  AND b.day BETWEEN %s AND %s
GROUP BY COALESCE(a.sector, '')
"""


def _sectors(entity: Entity, sales: int | None, start: dt.date, end: dt.date) -> list[Any]:
    """Sales of the year per activity sector: the balance aggregate's monthly activity rows
    joined to their activity in one grouped query (the ORM has no relation on a dimension)."""
    if sales is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(SECTORS_SQL, [entity.pk, sales, entity.currency, start, end])
        rows = cursor.fetchall()
    by_sector = [(sector or "—", db_cents(net)) for sector, net in rows]
    return sorted(by_sector, key=lambda pair: (-pair[1], pair[0]))


def _work(result: Indicators, entity: Entity, start: dt.date, end: dt.date) -> None:
    contracts = Contract.objects.filter(
        entity=entity, start_date__range=(start, end), parent__isnull=True
    ).exclude(status="cancelled")
    totals = contracts.aggregate(count=Count("pk"), days=Sum("days"))
    result.contracts = totals["count"]
    result.contract_days = db_cents(totals["days"])
    slips = Payslip.objects.filter(entity=entity, period__range=(start, end)).aggregate(
        count=Count("pk"),
        days=Sum("days"),
        gross=Sum("gross"),
        net=Sum("net"),
        employer=Sum("employer_contributions"),
    )
    result.payslips = slips["count"]
    result.paid_days = db_cents(slips["days"])
    result.gross_pay = db_cents(slips["gross"])
    result.net_pay = db_cents(slips["net"])
    result.employer_contributions = db_cents(slips["employer"])
    result.full_time_days = weekdays_in(start.year)
    result.full_time_equivalents = (result.paid_days / result.full_time_days).quantize(
        TENTH, ROUND_HALF_UP
    )


def _collection(result: Indicators, entity: Entity, start: dt.date, end: dt.date) -> None:
    billed = result.turnover + result.vat_collected
    days = (end - start).days + 1
    if billed > 0:
        result.days_sales_outstanding = (result.receivables / billed * days).quantize(
            TENTH, ROUND_HALF_UP
        )
    months = PaymentDelayMonth.objects.filter(entity=entity, month__range=(start, end)).aggregate(
        paid=Sum("paid"), weighted=Sum("weighted_days")
    )
    paid = db_cents(months["paid"])
    if paid:
        result.average_payment_delay = (db_cents(months["weighted"]) / paid).quantize(
            TENTH, ROUND_HALF_UP
        )


# --- ledger -------------------------------------------------------------------------------------
def event_accounts(entity: Entity) -> dict[str, int]:
    return dict(
        PostingRule.objects.filter(entity=entity, event__in=LEDGER_EVENTS).values_list(
            "event", "account_id"
        )
    )


def _ledger(
    result: Indicators, entity: Entity, start: dt.date, end: dt.date, *, sectors: bool = True
) -> None:
    accounts = event_accounts(entity)
    rows = Balance.objects.filter(
        entity=entity,
        dimension="",
        dimension_id=0,
        currency=entity.currency,
        account_id__in=accounts.values(),
        day__lte=end,
    )
    flows = _by_account(rows.filter(day__gte=start))
    stocks = _by_account(rows)

    def credit(event: str, totals: dict[int, tuple[Decimal, Decimal]]) -> Decimal:
        debit, credit_ = totals.get(accounts.get(event, -1), (ZERO, ZERO))
        return credit_ - debit

    result.turnover = credit("sales", flows)
    result.vat_collected = credit("vat_collected", flows)
    if sectors:
        result.sectors = _sectors(entity, accounts.get("sales"), start, end)
    result.fees = credit("fee_income", flows)
    result.expenses = -credit("expenses", flows)
    result.fund_balance = credit("guarantee_fund", stocks)
    fund = flows.get(accounts.get("guarantee_fund", -1), (ZERO, ZERO))
    result.fund_losses, result.fund_fed = fund
    result.fund_exposure = -credit("fund_exposure", stocks)
    result.receivables = -credit("receivable", stocks)
    result.months = _months(rows.filter(day__gte=start), accounts, start)


def _by_account(rows: QuerySet[Balance]) -> dict[int, tuple[Decimal, Decimal]]:
    totals = rows.values("account_id").annotate(d=Sum("debit"), c=Sum("credit"))
    return {t["account_id"]: (db_cents(t["d"]), db_cents(t["c"])) for t in totals}


def _months(rows: QuerySet[Balance], accounts: dict[str, int], start: dt.date) -> list[Month]:
    wanted = {accounts[e]: e for e in ("sales", "fee_income", "gross_pay") if e in accounts}
    totals = (
        rows.filter(account_id__in=wanted)
        .annotate(month=TruncMonth("day"))
        .values("month", "account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    by_month: dict[tuple[dt.date, str], Decimal] = {}
    for row in totals:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        by_month[(month, wanted[row["account_id"]])] = db_cents(row["c"]) - db_cents(row["d"])
    months = [dt.date(start.year, m, 1) for m in range(1, 13)]
    return [
        Month(
            m,
            by_month.get((m, "sales"), ZERO),
            by_month.get((m, "fee_income"), ZERO),
            -by_month.get((m, "gross_pay"), ZERO),
        )
        for m in months
    ]


def db_cents(total: Any) -> Decimal:
    """Database sums back in cents (SQLite sums decimals in binary floating point)."""
    return Decimal(total or 0).quantize(CENT, ROUND_HALF_UP)

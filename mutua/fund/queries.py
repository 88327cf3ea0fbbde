"""Reads of the guarantee fund: the policy in force, what it can cover, its exposure, balance,
ageing and losses, and the access functions that guard them.

Staff (accountants, administrators, board) of an entity see its fund in detail; members of
the entity see only the aggregate figures (`public_figures`), never another member's advances.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth

from mutua.activities.budget import month_ends
from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.countries.vat import EU_COUNTRIES
from mutua.entities.models import Entity
from mutua.fund import rules
from mutua.fund.models import FundAdvance, FundPolicy, WriteOff
from mutua.invoicing.models import Invoice, InvoiceKind
from mutua.invoicing.queries import OPEN_STATUSES
from mutua.ledger.models import Balance
from mutua.ledger.queries import posting_account
from mutua.members.models import MembershipStatus
from mutua.members.queries import staff_entities

FUND_STAFF = (Role.ACCOUNTANT, Role.ADMINISTRATOR)
FUND_READERS = (Role.ACCOUNTANT, Role.ADMINISTRATOR, Role.BOARD)
POLICY_MAKERS = (Role.ADMINISTRATOR,)
CONFIRMED_ORDER = ("confirmed", "validated", "invoiced")
ZERO = Decimal("0")
MONEY = DecimalField(max_digits=18, decimal_places=2)


# --- access -------------------------------------------------------------------------------------
def fund_entities(user: Any) -> QuerySet[Entity]:
    return staff_entities(user, FUND_READERS)


def access_fund(user: Any, entity_id: int) -> Entity:
    """The entity whose fund the user may read in detail (staff), else NotFound."""
    entity = fund_entities(user).filter(pk=entity_id).first()
    if entity is None:
        raise NotFound("no such entity")
    return entity


def access_fund_summary(user: Any, entity_id: int) -> Entity:
    """The entity whose aggregate fund figures the user may read: its staff and its members."""
    if fund_entities(user).filter(pk=entity_id).exists():
        return Entity.objects.get(pk=entity_id)
    entity = Entity.objects.filter(
        pk=entity_id,
        memberships__person__user=user,
        memberships__status=MembershipStatus.ACTIVE,
    ).first()
    if entity is None or not getattr(user, "is_authenticated", False):
        raise NotFound("no such entity")
    return entity


def access_invoice_for_write_off(user: Any, invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.select_related("entity", "client", "activity")
        .filter(
            pk=invoice_id, kind=InvoiceKind.INVOICE, entity__in=staff_entities(user, FUND_STAFF)
        )
        .first()
    )
    if invoice is None:
        raise NotFound("no such invoice")
    return invoice


# --- policy -------------------------------------------------------------------------------------
def policy_row(entity: Entity, on: dt.date) -> FundPolicy | None:
    return (
        FundPolicy.objects.filter(entity=entity, valid_from__lte=on).order_by("-valid_from").first()
    )


def policy_for(entity: Entity, on: dt.date) -> rules.Policy:
    """The policy in force on `on`; an entity without one guarantees nothing."""
    row = policy_row(entity, on)
    if row is None:
        return rules.NO_POLICY
    return rules.Policy(
        pay_within_working_days=row.pay_within_working_days,
        require_confirmed_order=row.require_confirmed_order,
        require_eu_client=row.require_eu_client,
        limit_per_client=row.limit_per_client,
        limit_per_activity=row.limit_per_activity,
        fee_share=row.fee_share,
        order_advance_share=row.order_advance_share,
    )


# --- what the fund can cover --------------------------------------------------------------------
def _open_expr() -> Any:
    return F("amount") - F("released") - F("written_off")


def open_advances(entity: Entity) -> QuerySet[FundAdvance]:
    return FundAdvance.objects.filter(entity=entity).filter(
        amount__gt=F("released") + F("written_off")
    )


def _advanced_on_invoice() -> Subquery:
    rows = (
        FundAdvance.objects.filter(invoice=OuterRef("pk"))
        .values("invoice")
        .annotate(total=Sum(_open_expr()))
        .values("total")
    )
    return Subquery(rows, output_field=MONEY)


def _received_on_invoice() -> Subquery:
    from mutua.banking.models import Allocation

    rows = (
        Allocation.objects.filter(invoice=OuterRef("pk"))
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(rows, output_field=MONEY)


def unpaid_invoices(entity: Entity) -> QuerySet[Invoice]:
    """Open invoices not written off, annotated with what they received and what the fund
    advanced on them, and whether their client confirmed an order form."""
    from mutua.engagements.models import OrderForm

    confirmed = OrderForm.objects.filter(invoice=OuterRef("pk"), status__in=CONFIRMED_ORDER)
    return (
        Invoice.objects.filter(entity=entity, kind=InvoiceKind.INVOICE, status__in=OPEN_STATUSES)
        .exclude(Exists(WriteOff.objects.filter(invoice=OuterRef("pk"))))
        .annotate(
            paid_in=Coalesce(_received_on_invoice(), ZERO, output_field=MONEY),
            fund_open=Coalesce(_advanced_on_invoice(), ZERO, output_field=MONEY),
            order_confirmed=Exists(confirmed),
        )
    )


def _as_open(row: dict[str, Any]) -> rules.OpenInvoice:
    due = row["total_gross"] - cents(row["paid_in"])
    return rules.OpenInvoice(
        invoice_id=row["id"],
        number=row["number"] or "",
        activity_id=row["activity_id"],
        client_id=row["client_id"],
        uncollected=rules.activity_share(
            row["total_net"], row["fee_amount"], row["total_gross"], due
        ),
        advanced=cents(row["fund_open"]),
        confirmed_order=row["order_confirmed"],
        client_in_eu=row["client__country"] in EU_COUNTRIES,
        client_blocked=row["client__blocked"],
        disputed=row["disputed_at"] is not None,
    )


OPEN_FIELDS = (
    "id",
    "number",
    "activity_id",
    "client_id",
    "total_net",
    "fee_amount",
    "total_gross",
    "paid_in",
    "fund_open",
    "order_confirmed",
    "client__country",
    "client__blocked",
    "disputed_at",
)


def cover_book(entity: Entity, activity_ids: Iterable[int], on: dt.date) -> rules.CoverBook:
    """The fund's planning state for these activities, in three queries."""
    ids = list(set(activity_ids))
    rows = (
        unpaid_invoices(entity)
        .filter(activity_id__in=ids)
        .order_by("issue_date", "id")
        .values(*OPEN_FIELDS)
    )
    invoices: dict[int, list[rules.OpenInvoice]] = defaultdict(list)
    for row in rows:
        invoices[row["activity_id"]].append(_as_open(row))
    clients = {i.client_id for found in invoices.values() for i in found}
    used_by_client = _open_by(entity, "client_id", clients)
    used_by_activity = _open_by(entity, "activity_id", ids)
    return rules.CoverBook(policy_for(entity, on), dict(invoices), used_by_client, used_by_activity)


def _open_by(entity: Entity, column: str, ids: Iterable[int]) -> dict[int, Decimal]:
    rows = (
        open_advances(entity)
        .filter(**{f"{column}__in": list(ids)})
        .values(column)
        .annotate(total=Sum(_open_expr()))
        .values_list(column, "total")
    )
    return {key: cents(total) for key, total in rows}


# --- the fund's figures -------------------------------------------------------------------------
def cents(total: Decimal | float | None) -> Decimal:
    """A database sum as exact cents (SQLite's SUM is binary floating point)."""
    return Decimal(str(total or 0)).quantize(rules.CENT)


def _ledger_total(entity: Entity, event: str, on: dt.date | None = None) -> Decimal:
    """Debit − credit of the event's account (day rows, no dimension)."""
    rows = Balance.objects.filter(
        entity=entity, account=posting_account(entity, event), dimension=""
    )
    if on is not None:
        rows = rows.filter(day__lte=on)
    sums = rows.aggregate(d=Sum("debit"), c=Sum("credit"))
    return cents(sums["d"]) - cents(sums["c"])


def fund_balance(entity: Entity, on: dt.date | None = None) -> Decimal:
    """What the fund holds: the credit balance of the guarantee fund account."""
    return -_ledger_total(entity, "guarantee_fund", on)


def fund_exposure(entity: Entity, on: dt.date | None = None) -> Decimal:
    """What the fund advanced and was not repaid yet: the fund_exposure memo account."""
    return _ledger_total(entity, "fund_exposure", on)


def open_exposure(entity: Entity) -> Decimal:
    """The same figure from the advances themselves (the ledger must agree)."""
    return cents(open_advances(entity).aggregate(t=Sum(_open_expr()))["t"])


@dataclass(frozen=True)
class FundFigures:
    currency: str
    balance: Decimal
    exposure: Decimal
    coverage: Decimal | None
    ageing: dict[str, Decimal]
    losses: Decimal  # absorbed by the fund
    charged_to_activities: Decimal
    write_offs: int
    open_advances: int
    history: list[tuple[str, Decimal, Decimal]]  # month, balance, exposure

    def as_json(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "balance": str(self.balance),
            "exposure": str(self.exposure),
            "coverage_ratio": None if self.coverage is None else str(self.coverage),
            "ageing": {k: f"{v:.2f}" for k, v in self.ageing.items()},
            "losses": str(self.losses),
            "charged_to_activities": str(self.charged_to_activities),
            "write_offs": self.write_offs,
            "open_advances": self.open_advances,
            "history": [
                {"month": m, "balance": str(b), "exposure": str(e)} for m, b, e in self.history
            ],
        }


def fund_figures(entity: Entity, on: dt.date, months: int = 12) -> FundFigures:
    balance, exposure = fund_balance(entity), fund_exposure(entity)
    rows = [
        (granted_on, cents(amount))
        for granted_on, amount in open_advances(entity)
        .annotate(open=_open_expr())
        .values_list("granted_on", "open")
    ]
    losses = WriteOff.objects.filter(entity=entity).aggregate(
        covered=Sum("covered"), uncovered=Sum("uncovered")
    )
    return FundFigures(
        currency=entity.currency,
        balance=balance,
        exposure=exposure,
        coverage=rules.coverage_ratio(balance, exposure),
        ageing=rules.ageing(rows, on),
        losses=cents(losses["covered"]),
        charged_to_activities=cents(losses["uncovered"]),
        write_offs=WriteOff.objects.filter(entity=entity).count(),
        open_advances=len(rows),
        history=history(entity, on, months),
    )


def history(entity: Entity, on: dt.date, months: int) -> list[tuple[str, Decimal, Decimal]]:
    """Fund balance and exposure at the end of each of the last `months` months, from the
    ledger's day balances of the two accounts (one query)."""
    fund = posting_account(entity, "guarantee_fund")
    memo = posting_account(entity, "fund_exposure")
    rows = (
        Balance.objects.filter(entity=entity, dimension="", account__in=[fund, memo], day__lte=on)
        .annotate(month=TruncMonth("day"))
        .values("account_id", "month")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    moves: dict[tuple[int, dt.date], Decimal] = {}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        moves[(row["account_id"], month)] = cents(row["d"]) - cents(row["c"])
    starts = month_ends(on, months)
    series, bal, exp = [], cents(0), cents(0)
    for (account_id, month), amount in moves.items():
        if month < starts[0]:
            bal, exp = (bal - amount, exp) if account_id == fund.pk else (bal, exp + amount)
    for start in starts:
        bal -= moves.get((fund.pk, start), ZERO)
        exp += moves.get((memo.pk, start), ZERO)
        series.append((start.strftime("%m/%y"), bal, exp))
    return series


def public_figures(entity: Entity, on: dt.date) -> dict[str, Any]:
    """What every member of the entity may see: aggregates only (transparency page)."""
    figures = fund_figures(entity, on)
    data = figures.as_json()
    return {
        key: data[key]
        for key in (
            "currency",
            "balance",
            "exposure",
            "coverage_ratio",
            "losses",
            "write_offs",
            "history",
        )
    }


def write_off_candidates(entity: Entity) -> QuerySet[Invoice]:
    """Open invoices whose dunning reached its last stage, not written off yet."""
    last_stage = len(entity.dunning_days)
    return (
        unpaid_invoices(entity)
        .filter(Q(dunning_stage__gte=last_stage) if last_stage else Q())
        .select_related("client", "activity")
        .order_by("due_date", "id")
    )


def advances_of(entity: Entity) -> QuerySet[FundAdvance]:
    return (
        open_advances(entity)
        .select_related("invoice", "activity", "client")
        .annotate(open=_open_expr())
        .order_by("granted_on", "id")
    )


def may_act(user: Any, entity: Entity) -> bool:
    """Accountants and administrators write off and feed; the board only reads."""
    return staff_entities(user, FUND_STAFF).filter(pk=entity.pk).exists()

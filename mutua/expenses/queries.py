"""Reads of expense claims and the access functions that guard them.

A member sees the claims they made; advisers and administrators see the claims of the entities
where they hold the role. Anything else is NotFound, so a guessed id reveals nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum

from mutua.activities.models import Activity
from mutua.core.errors import InvalidInput, NotFound
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.expenses import rules as calc
from mutua.expenses.models import ApprovalLimit, Claim, ClaimStatus, ExpenseRules, Receipt
from mutua.invoicing.models import Invoice
from mutua.invoicing.queries import OPEN_STATUSES
from mutua.ledger.queries import activity_balance
from mutua.members.models import StaffRole
from mutua.members.queries import staff_entities

APPROVERS = (Role.ADVISER, Role.ADMINISTRATOR)
ZERO = Decimal("0")


# --- access -------------------------------------------------------------------------------------
def expense_staff_entities(user: Any) -> QuerySet[Entity]:
    return staff_entities(user, APPROVERS)


def visible_claims(user: Any) -> QuerySet[Claim]:
    if not getattr(user, "is_authenticated", False):
        return Claim.objects.none()
    return Claim.objects.filter(
        Q(person__user=user) | Q(entity__in=expense_staff_entities(user))
    ).select_related("entity", "activity", "person")


def access_claim(user: Any, claim_id: int) -> Claim:
    claim = visible_claims(user).filter(pk=claim_id).first()
    if claim is None:
        raise NotFound("no such expense claim")
    return claim


def own_claims(user: Any) -> QuerySet[Claim]:
    """The member's own claims (not the staff view)."""
    if not getattr(user, "is_authenticated", False):
        return Claim.objects.none()
    return Claim.objects.filter(person__user=user).select_related("entity", "activity")


def access_receipt(user: Any, receipt_id: int) -> Receipt:
    receipt = (
        Receipt.objects.filter(pk=receipt_id, claim__in=visible_claims(user), purged_at=None)
        .select_related("claim")
        .first()
    )
    if receipt is None:
        raise NotFound("no such receipt")
    return receipt


def approval_queue(user: Any) -> QuerySet[Claim]:
    """Submitted claims of the entities where the user approves, oldest first."""
    return (
        Claim.objects.filter(status=ClaimStatus.SUBMITTED, entity__in=expense_staff_entities(user))
        .select_related("entity", "activity", "person")
        .order_by("submitted_at", "id")
    )


def claimable_activities(user: Any) -> QuerySet[Activity]:
    """Open activities the member takes part in as holder or co-manager."""
    return (
        Activity.objects.filter(
            participants__person__user=user,
            participants__role__in=("holder", "co_manager"),
            closed_at__isnull=True,
        )
        .select_related("entity")
        .distinct()
        .order_by("entity__code", "number")
    )


# --- rules --------------------------------------------------------------------------------------
def rules_for(entity: Entity, on: dt.date) -> calc.ExpenseRules:
    """The entity's rules in force on `on`: its own latest row, else its country's defaults;
    approval limits likewise (the entity's own per role override the country's)."""
    return rules_lookup(entity)(on)


def rules_lookup(entity: Entity) -> Callable[[dt.date], calc.ExpenseRules]:
    """Read the entity's rule rows and limits once (two queries), then answer for any date in
    memory: a claim's lines of many dates cost no query each."""
    rows = list(ExpenseRules.objects.filter(entity=entity).order_by("-valid_from"))
    limits = list(ApprovalLimit.objects.filter(entity=entity).order_by("role", "-valid_from"))

    def at(on: dt.date) -> calc.ExpenseRules:
        row = next((r for r in rows if r.valid_from <= on), None)
        base = calc.country_rules(entity.country, on) if row is None else _from_row(row, entity, on)
        merged = dict(base.approval_limits)
        seen: set[str] = set()
        for limit in limits:
            if limit.valid_from <= on and limit.role not in seen:
                merged[limit.role] = limit.limit
                seen.add(limit.role)
        return replace(base, approval_limits=merged)

    return at


def _from_row(row: ExpenseRules, entity: Entity, on: dt.date) -> calc.ExpenseRules:
    try:
        defaults = dict(calc.country_rules(entity.country, on).approval_limits)
    except InvalidInput:  # an entity's own rules may start before the country's table
        defaults = {}
    names = [
        "valid_from",
        "mileage_rate",
        "per_diem_full",
        "per_diem_travel",
        "accommodation_ceiling",
        "deadline_month",
        "deadline_day",
        "refund_only_collected",
        "self_approval_allowed",
        "self_approval_threshold",
        "retention_years",
        "source",
    ]
    return calc.ExpenseRules(
        **{name: getattr(row, name) for name in names}, approval_limits=defaults
    )


def approval_roles(user: Any, entity: Entity) -> list[str]:
    if getattr(user, "is_superuser", False):
        return [Role.ADMINISTRATOR]
    return list(
        StaffRole.objects.filter(user=user, role__in=APPROVERS)
        .filter(Q(entity=entity) | Q(entity__isnull=True))
        .values_list("role", flat=True)
    )


# --- budget -------------------------------------------------------------------------------------
def uncollected(activity: Activity) -> Decimal:
    """The part of the activity's income clients have not paid yet: for each open invoice, its
    amount net of VAT and fee in proportion of what is still due (one query)."""
    rows = (
        Invoice.objects.filter(activity=activity, kind="invoice", status__in=OPEN_STATUSES)
        .annotate(received=Sum("allocations__amount"))
        .values("total_net", "fee_amount", "total_gross", "received")
    )
    total = ZERO
    for row in rows:
        if not row["total_gross"]:
            continue
        due = row["total_gross"] - (row["received"] or ZERO)
        total += (row["total_net"] - row["fee_amount"]) * due / row["total_gross"]
    return calc.cents(total)


def available_for_claims(activity: Activity, *, collected_only: bool) -> Decimal:
    """What the activity can still spend on expenses; only from money clients paid if asked."""
    balance = activity_balance(activity)
    return balance - uncollected(activity) if collected_only else balance


def pending_charges(activity: Activity, *, excluding: Claim | None = None) -> Decimal:
    """Submitted claims not yet approved: they will be charged to the activity."""
    claims = Claim.objects.filter(activity=activity, status=ClaimStatus.SUBMITTED)
    if excluding is not None:
        claims = claims.exclude(pk=excluding.pk)
    total = claims.aggregate(t=Sum(F("total") - F("vat_recoverable")))["t"]
    return calc.cents(total or ZERO)


def receipts_to_purge(entity: Entity, today: dt.date, retention_years: int) -> QuerySet[Receipt]:
    """Receipts kept past the legal period: counted from the end of the year the claim was
    decided (or, never decided, the receipt uploaded)."""
    last_year = today.year - retention_years - 1  # kept through the end of year + N
    return Receipt.objects.filter(entity=entity, purged_at=None).filter(
        Q(claim__decided_at__year__lte=last_year)
        | Q(claim__decided_at=None, uploaded_at__year__lte=last_year)
    )

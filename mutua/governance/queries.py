"""Reads and access functions of governance.

Members see their own holdings, votes and ballots; the board, administrators (and accountants for
the register) see those of their entities. Anything else is NotFound, so a guessed id reveals
nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from mutua.core.errors import NotFound
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.governance.models import (
    ApprovedAccounts,
    Exit,
    GovernanceRules,
    ShareClass,
    Shareholder,
    ShareMovement,
    Subscription,
)
from mutua.members.models import Person
from mutua.members.queries import has_role, person_of, staff_entities

REGISTER_ROLES = (Role.BOARD, Role.ADMINISTRATOR, Role.ACCOUNTANT)
BOARD_ROLES = (Role.BOARD, Role.ADMINISTRATOR)


def rules_of(entity: Entity) -> GovernanceRules:
    """The entity's governance rules, or the defaults when none were set."""
    found = GovernanceRules.objects.filter(entity=entity).first()
    return found or GovernanceRules(entity=entity)


def is_board(user: Any, entity: Entity) -> bool:
    return has_role(user, BOARD_ROLES, entity)


# --- share register ----------------------------------------------------------------------------
def register_entities(user: Any) -> QuerySet[Entity]:
    return staff_entities(user, REGISTER_ROLES)


def access_register(user: Any, entity_id: int) -> Entity:
    entity = register_entities(user).filter(pk=entity_id).first()
    if entity is None:
        raise NotFound("no such register")
    return entity


def access_shareholder(user: Any, holder_id: int) -> Shareholder:
    """A holder's file: the holder themselves or staff of the register's entity."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("no such shareholder")
    holder = (
        Shareholder.objects.select_related("entity", "person")
        .filter(pk=holder_id)
        .filter(Q(person__user=user) | Q(entity__in=register_entities(user)))
        .first()
    )
    if holder is None:
        raise NotFound("no such shareholder")
    return holder


def access_subscription(user: Any, subscription_id: int) -> Subscription:
    found = (
        Subscription.objects.select_related("holder", "entity", "share_class")
        .filter(pk=subscription_id)
        .filter(Q(holder__person__user=user) | Q(entity__in=register_entities(user)))
        .first()
    )
    if found is None or not getattr(user, "is_authenticated", False):
        raise NotFound("no such subscription")
    return found


def access_exit(user: Any, exit_id: int) -> Exit:
    found = (
        Exit.objects.select_related("holder", "entity")
        .filter(pk=exit_id, entity__in=register_entities(user))
        .first()
    )
    if found is None:
        raise NotFound("no such withdrawal")
    return found


def share_classes(entity: Entity) -> QuerySet[ShareClass]:
    return ShareClass.objects.filter(entity=entity).order_by("code")


def holder_of(person: Person, entity: Entity) -> Shareholder | None:
    return Shareholder.objects.filter(entity=entity, person=person).first()


def my_holders(user: Any) -> QuerySet[Shareholder]:
    person = person_of(user)
    if person is None:
        return Shareholder.objects.none()
    return Shareholder.objects.filter(person=person).select_related("entity")


@dataclass
class Holding:
    share_class: ShareClass
    quantity: int
    paid_up: Decimal


def holdings(holder: Shareholder) -> list[Holding]:
    """What a holder holds per class, summed from the register's movements."""
    classes = {c.pk: c for c in share_classes(holder.entity)}
    sums = (
        ShareMovement.objects.filter(holder=holder)
        .values("share_class")
        .annotate(quantity=Sum("quantity"), paid_up=Sum("paid_up"))
        .order_by("share_class")
    )
    return [
        Holding(classes[row["share_class"]], row["quantity"], _cents(row["paid_up"]))
        for row in sums
        if row["quantity"]
    ]


def shares_held(holder: Shareholder) -> int:
    total = ShareMovement.objects.filter(holder=holder).aggregate(n=Sum("quantity"))["n"]
    return int(total or 0)


def capital_paid_up(entity: Entity) -> Decimal:
    total = ShareMovement.objects.filter(entity=entity).aggregate(s=Sum("paid_up"))["s"]
    return _cents(total)


def latest_accounts(entity: Entity, on: Any) -> ApprovedAccounts | None:
    return (
        ApprovedAccounts.objects.filter(entity=entity, approved_on__lte=on)
        .order_by("-approved_on")
        .first()
    )


def _cents(total: Decimal | None) -> Decimal:
    return Decimal(total or 0).quantize(Decimal("0.01"))


@dataclass
class RegisterRow:
    holder: Shareholder
    quantities: dict[int, int] = field(default_factory=dict)
    paid_up: Decimal = Decimal("0.00")

    @property
    def total(self) -> int:
        return sum(self.quantities.values())


def register_rows(entity: Entity, *, include_former: bool = True) -> list[RegisterRow]:
    """Every holder with shares per class and paid-up capital: two queries, whatever the size."""
    rows = {
        holder.pk: RegisterRow(holder)
        for holder in Shareholder.objects.filter(entity=entity).select_related("sister_entity")
    }
    sums = (
        ShareMovement.objects.filter(entity=entity)
        .values("holder", "share_class")
        .annotate(quantity=Sum("quantity"), paid_up=Sum("paid_up"))
        .order_by()
    )
    for row in sums:
        target = rows[row["holder"]]
        target.quantities[row["share_class"]] = int(row["quantity"] or 0)
        target.paid_up += _cents(row["paid_up"])
    ordered = sorted(rows.values(), key=lambda row: row.holder.number)
    return [row for row in ordered if include_former or row.total]


def register_movements(entity: Entity) -> QuerySet[ShareMovement]:
    return (
        ShareMovement.objects.filter(entity=entity)
        .select_related("holder", "share_class", "counterpart")
        .order_by("date", "id")
    )


def movements_of(holder: Shareholder) -> QuerySet[ShareMovement]:
    return (
        ShareMovement.objects.filter(holder=holder)
        .select_related("share_class", "counterpart")
        .order_by("date", "id")
    )


def open_subscriptions(entity: Entity) -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(entity=entity, status="requested")
        .select_related("holder", "share_class")
        .order_by("requested_on", "id")
    )


def open_exits(entity: Entity) -> QuerySet[Exit]:
    return (
        Exit.objects.filter(entity=entity)
        .exclude(status="settled")
        .select_related("holder")
        .order_by("requested_on", "id")
    )

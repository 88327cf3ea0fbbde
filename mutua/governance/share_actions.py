"""Actions of the share register: classes, holders, subscriptions paid and issued, transfers,
withdrawals, exclusions and deaths, and the repayments they owe (paid through mutua.banking)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum

from mutua.core import audit
from mutua.core.audit import action, snapshot
from mutua.core.errors import (
    AccessDenied,
    DuplicateRequest,
    InvalidInput,
    StateConflict,
)
from mutua.countries.registry import vat_rules_for
from mutua.entities.models import Entity
from mutua.entities.queries import take_number
from mutua.governance import share_rules
from mutua.governance.common import parse_amount, replayed, require_role
from mutua.governance.models import (
    HolderKind,
    MovementKind,
    PaymentMethod,
    ShareClass,
    Shareholder,
    ShareMovement,
    Subscription,
    SubscriptionStatus,
)
from mutua.governance.queries import (
    BOARD_ROLES,
    REGISTER_ROLES,
    holder_of,
)
from mutua.invoicing.documents.payment import rf_creditor_reference, structured_communication
from mutua.ledger.actions import post_entry
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.queries import journal_for, posting_account
from mutua.members.models import MembershipStatus, Person
from mutua.members.queries import person_of


# --- classes and holders ----------------------------------------------------------------------
@action("governance.define_share_class")
def define_share_class(
    *,
    entity: Entity,
    code: str,
    name: str,
    nominal_value: Decimal,
    acting_user: Any,
    voting_rights: str = "",
    profit_rights: str = "",
    transfer_restrictions: str = "",
    open_to_members: bool = True,
) -> ShareClass:
    require_role(acting_user, BOARD_ROLES, entity, "only the board defines share classes")
    value = parse_amount(nominal_value, "nominal_value")
    if value <= 0:
        raise InvalidInput("the nominal value must be positive", field="nominal_value")
    if not code.strip() or ShareClass.objects.filter(entity=entity, code=code.strip()).exists():
        raise InvalidInput("a new, unused class code is required", field="code")
    share_class = ShareClass.objects.create(
        entity=entity,
        code=code.strip(),
        name=name,
        nominal_value=value,
        currency=entity.currency,
        voting_rights=voting_rights,
        profit_rights=profit_rights,
        transfer_restrictions=transfer_restrictions,
        open_to_members=open_to_members,
    )
    audit.record(
        actor=acting_user,
        action="governance.define_share_class",
        subject=share_class,
        entity_id=entity.pk,
        after=snapshot(share_class, ["code", "name", "nominal_value", "currency"]),
    )
    return share_class


def _person_address(person: Person) -> str:
    parts = [person.street, f"{person.postcode} {person.city}".strip(), person.country]
    return ", ".join(part for part in parts if part)


def _new_holder(entity: Entity, on: dt.date, **fields: Any) -> Shareholder:
    number = take_number(entity, "shareholder")
    return Shareholder.objects.create(entity=entity, number=number, registered_on=on, **fields)


@action("governance.register_shareholder")
def register_shareholder(
    *,
    entity: Entity,
    on: dt.date,
    acting_user: Any,
    person: Person | None = None,
    sister_entity: Entity | None = None,
    name: str = "",
    company_number: str = "",
    address: str = "",
    iban: str = "",
) -> Shareholder:
    """Enter a holder in the register: a person, or a legal person (a client, a partner, a sister
    entity of the federation). The register lists name and domicile, or name, seat and number."""
    require_role(acting_user, REGISTER_ROLES, entity, "only the board keeps the register")
    if person is not None:
        if holder_of(person, entity) is not None:
            raise StateConflict("this person is already in the register")
        holder = _new_holder(
            entity,
            on,
            kind=HolderKind.PERSON,
            person=person,
            name=person.full_name,
            address=address or _person_address(person),
            iban=iban or person.iban,
        )
    else:
        holder = _legal_holder(entity, on, sister_entity, name, company_number, address, iban)
    _audit_holder(acting_user, holder)
    return holder


def _legal_holder(
    entity: Entity,
    on: dt.date,
    sister: Entity | None,
    name: str,
    company_number: str,
    address: str,
    iban: str,
) -> Shareholder:
    if sister is not None:
        if sister.pk == entity.pk:
            raise InvalidInput("a cooperative does not hold its own shares", field="sister_entity")
        if Shareholder.objects.filter(entity=entity, sister_entity=sister).exists():
            raise StateConflict("this entity is already in the register")
        name = name or sister.legal_name
        company_number = company_number or sister.company_number
        seat = (sister.street, f"{sister.postcode} {sister.city}".strip(), sister.country)
        address = address or ", ".join(part for part in seat if part)
        iban = iban or sister.iban
    if not name.strip() or not company_number.strip():
        raise InvalidInput("a legal person needs its name and company number", field="name")
    if not address.strip():
        raise InvalidInput("the register lists the seat of a legal person", field="address")
    return _new_holder(
        entity,
        on,
        kind=HolderKind.LEGAL,
        sister_entity=sister,
        name=name.strip(),
        company_number=company_number.strip(),
        address=address.strip(),
        iban=iban,
    )


def _audit_holder(actor: Any, holder: Shareholder) -> None:
    audit.record(
        actor=actor,
        action="governance.register_shareholder",
        subject=holder,
        entity_id=holder.entity_id,
        after=snapshot(holder, ["number", "kind", "name", "company_number"]),
    )


# --- subscriptions -----------------------------------------------------------------------------
@action("governance.request_subscription")
def request_subscription(
    *,
    entity: Entity,
    share_class: ShareClass,
    quantity: int,
    method: str,
    on: dt.date,
    acting_user: Any,
    holder: Shareholder | None = None,
) -> Subscription:
    """Ask for shares. A member subscribes for themselves (entered in the register on the way);
    the board may subscribe for any holder and for classes closed to self-subscription."""
    if share_class.entity_id != entity.pk:
        raise InvalidInput("this class belongs to another entity", field="share_class")
    if not isinstance(quantity, int) or quantity < 1 or quantity > 100_000:
        raise InvalidInput("ask for 1 to 100,000 shares", field="quantity")
    if method not in PaymentMethod.values:
        raise InvalidInput("pay by bank transfer or by deduction from pay", field="method")
    holder = holder or _own_holder(entity, share_class, on, acting_user)
    if holder.entity_id != entity.pk:
        raise InvalidInput("this holder is in another register")
    if holder.person is None or holder.person.user_id != getattr(acting_user, "pk", None):
        require_role(acting_user, REGISTER_ROLES, entity, "you subscribe only for yourself")
    if method == PaymentMethod.PAYROLL and holder.person is None:
        raise InvalidInput("only a person paid by the cooperative can pay from pay", field="method")
    # One subscription awaiting payment per holder and class (the database keeps it: a partial
    # unique constraint). The same request again (a double click, parallel posts) answers the one
    # waiting; another request is refused until that one is paid or cancelled.
    Shareholder.objects.select_for_update().filter(pk=holder.pk).first()
    pending = _pending_subscription(holder, share_class)
    if pending is not None:
        return _requested_again(pending, quantity, method, acting_user)
    try:
        with transaction.atomic():  # a savepoint: a parallel request's row refuses this one
            subscription = Subscription.objects.create(
                entity=entity,
                holder=holder,
                share_class=share_class,
                quantity=quantity,
                amount=share_class.nominal_value * quantity,
                currency=share_class.currency,
                method=method,
                requested_on=on,
            )
    except IntegrityError:
        pending = _pending_subscription(holder, share_class)
        if pending is None:
            raise
        return _requested_again(pending, quantity, method, acting_user)
    subscription.payment_reference = _payment_reference(entity, subscription.pk)
    subscription.save(update_fields=["payment_reference"])
    audit.record(
        actor=acting_user,
        action="governance.request_subscription",
        subject=subscription,
        entity_id=entity.pk,
        after=snapshot(subscription, ["holder_id", "quantity", "amount", "method"]),
    )
    return subscription


def _pending_subscription(holder: Shareholder, share_class: ShareClass) -> Subscription | None:
    return Subscription.objects.filter(
        holder=holder, share_class=share_class, status=SubscriptionStatus.REQUESTED
    ).first()


def _requested_again(pending: Subscription, quantity: int, method: str, actor: Any) -> Subscription:
    if pending.quantity == quantity and pending.method == method:
        return replayed(actor, "governance.request_subscription", pending)
    raise DuplicateRequest(
        f"{pending.quantity} share(s) of this class already await payment (reference "
        f"{pending.payment_reference}): pay or cancel that subscription first",
        field="quantity",
    )


def _own_holder(entity: Entity, share_class: ShareClass, on: dt.date, actor: Any) -> Shareholder:
    person = person_of(actor)
    if (
        person is None
        or not person.memberships.filter(entity=entity, status=MembershipStatus.ACTIVE).exists()
    ):
        raise AccessDenied("only an active member subscribes shares here")
    if not share_class.open_to_members:
        raise AccessDenied("the board issues this class", field="share_class")
    # Parallel first subscriptions of one person wait here, so one holder is entered, not two.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    holder = holder_of(person, entity)
    if holder is None:
        holder = _new_holder(
            entity,
            on,
            kind=HolderKind.PERSON,
            person=person,
            name=person.full_name,
            address=_person_address(person),
            iban=person.iban,
        )
        _audit_holder(actor, holder)
    return holder


def _payment_reference(entity: Entity, subscription_id: int) -> str:
    base = share_rules.subscription_reference_base(subscription_id)
    if vat_rules_for(entity.country).payment_reference_scheme == "structured":
        return structured_communication(base)
    return rf_creditor_reference(str(base))


@action("governance.confirm_share_payment")
def confirm_share_payment(
    *, subscription: Subscription, paid_on: dt.date, acting_user: Any
) -> Subscription:
    """Book the payment and issue the shares: Dr bank (or members payable when deducted from
    pay) / Cr share capital. Safe to repeat: a subscription is issued once."""
    entity = subscription.entity
    require_role(acting_user, REGISTER_ROLES, entity, "only the register's staff confirm payments")
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if locked.status == SubscriptionStatus.ISSUED:
        return replayed(acting_user, "governance.confirm_share_payment", locked)
    if locked.status != SubscriptionStatus.REQUESTED:
        raise StateConflict("this subscription was cancelled")
    entry = post_entry(
        _payment_draft(locked, paid_on),
        acting_user=acting_user,
        idempotency_key=f"shares:subscription:{locked.pk}",
    )
    ShareMovement.objects.create(
        entity=entity,
        holder=locked.holder,
        share_class=locked.share_class,
        kind=MovementKind.ISSUE,
        quantity=locked.quantity,
        paid_up=locked.amount,
        date=paid_on,
        key=f"subscription:{locked.pk}",
        entry_id=entry.pk,
    )
    before = snapshot(locked, ["status"])
    locked.status, locked.paid_on, locked.entry_id = SubscriptionStatus.ISSUED, paid_on, entry.pk
    locked.save(update_fields=["status", "paid_on", "entry_id"])
    audit.record(
        actor=acting_user,
        action="governance.confirm_share_payment",
        subject=locked,
        entity_id=entity.pk,
        before=before,
        after=snapshot(locked, ["status", "paid_on", "entry_id"]),
    )
    return locked


def _payment_draft(subscription: Subscription, paid_on: dt.date) -> EntryDraft:
    entity, holder = subscription.entity, subscription.holder
    by_pay = subscription.method == PaymentMethod.PAYROLL
    source = posting_account(entity, "members_payable" if by_pay else "bank")
    capital = posting_account(entity, "share_capital")
    member_id = holder.person_id
    label = f"Shares {subscription.share_class.code} x{subscription.quantity} {holder.name}"[:200]
    return EntryDraft(
        entity_id=entity.pk,
        journal=journal_for(entity, "miscellaneous" if by_pay else "bank").code,
        date=paid_on,
        label=label,
        piece_ref=subscription.payment_reference,
        lines=(
            LineDraft(
                source.code, debit=subscription.amount, member_id=member_id if by_pay else None
            ),
            LineDraft(capital.code, credit=subscription.amount, member_id=member_id),
        ),
    )


@action("governance.cancel_subscription")
def cancel_subscription(*, subscription: Subscription, acting_user: Any) -> Subscription:
    own = subscription.holder.person and subscription.holder.person.user_id == getattr(
        acting_user, "pk", None
    )
    if not own:
        require_role(acting_user, REGISTER_ROLES, subscription.entity, "not your subscription")
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if locked.status != SubscriptionStatus.REQUESTED:
        raise StateConflict("only a subscription awaiting payment can be cancelled")
    locked.status = SubscriptionStatus.CANCELLED
    locked.save(update_fields=["status"])
    audit.record(
        actor=acting_user,
        action="governance.cancel_subscription",
        subject=locked,
        entity_id=locked.entity_id,
        after={"status": locked.status},
    )
    return locked


# --- transfers ---------------------------------------------------------------------------------
@action("governance.transfer_shares")
def transfer_shares(
    *,
    source: Shareholder,
    target: Shareholder,
    share_class: ShareClass,
    quantity: int,
    on: dt.date,
    acting_user: Any,
) -> tuple[ShareMovement, ShareMovement]:
    """Shares pass from one holder to another (the board approves: capital does not change)."""
    entity = source.entity
    require_role(acting_user, BOARD_ROLES, entity, "only the board records transfers")
    if target.entity_id != entity.pk or share_class.entity_id != entity.pk or source == target:
        raise InvalidInput("a transfer is between two holders of one register")
    held = _held(source, share_class)
    if quantity < 1 or quantity > held[0]:
        raise InvalidInput(f"the holder has {held[0]} shares of this class", field="quantity")
    paid = (held[1] * quantity / held[0]).quantize(Decimal("0.01"))
    key = uuid.uuid4().hex[:20]
    common = {"entity": entity, "share_class": share_class, "date": on}
    out = ShareMovement.objects.create(
        holder=source,
        counterpart=target,
        kind=MovementKind.TRANSFER_OUT,
        quantity=-quantity,
        paid_up=-paid,
        key=f"transfer:{key}:out",
        **common,
    )
    came = ShareMovement.objects.create(
        holder=target,
        counterpart=source,
        kind=MovementKind.TRANSFER_IN,
        quantity=quantity,
        paid_up=paid,
        key=f"transfer:{key}:in",
        **common,
    )
    audit.record(
        actor=acting_user,
        action="governance.transfer_shares",
        subject=out,
        entity_id=entity.pk,
        after={"from": source.pk, "to": target.pk, "class": share_class.code, "quantity": quantity},
    )
    return out, came


def _held(holder: Shareholder, share_class: ShareClass) -> tuple[int, Decimal]:
    sums = ShareMovement.objects.filter(holder=holder, share_class=share_class).aggregate(
        quantity=Sum("quantity"), paid_up=Sum("paid_up")
    )
    return int(sums["quantity"] or 0), Decimal(sums["paid_up"] or 0)

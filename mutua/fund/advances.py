"""Advances on a confirmed order form: a member asks for part of the pay of work the client
confirmed before the work ends; staff approve within the policy's limit.

Design (issue 6): the advance is *prepaid net pay*, paid as a payout.
- Approval records a fund advance against the order form's invoice (the exposure memo pair,
  released when the client pays, like any advance) and the amount becomes a payout item
  (source `advance`) in the next SEPA batch.
- The batch's confirmation books Dr net_pay_payable (the member) / Cr suspense: the member's net
  pay account shows the advance as prepaid.
- The member's next payslips take it back: their payout is the net pay less what is still
  outstanding (AdvanceRecovery, once per request and payslip), so the member is never paid
  twice and the net pay account returns to zero.
Limit: the policy's `order_advance_share` of the activity's share of the invoice still unpaid,
within the client's limit, counting what was already asked on the order form.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import F, Sum

from mutua.banking.models import Payout, PayoutSource
from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import AccessDenied, InvalidAmount, InvalidInput, StateConflict
from mutua.core.permissions import Role
from mutua.engagements.models import OrderForm
from mutua.entities.models import Entity
from mutua.fund import queries, rules
from mutua.fund.actions import fund_accounts, fund_journal
from mutua.fund.models import (
    AdvanceKind,
    AdvanceRecovery,
    AdvanceRequest,
    FundAdvance,
    RequestStatus,
)
from mutua.fund.posting import exposure_entry
from mutua.ledger.actions import post_entry
from mutua.members.models import Person
from mutua.members.queries import has_role, person_of

ZERO = Decimal("0")
APPROVERS = (Role.ADVISER, Role.PAYROLL_OFFICER, Role.ADMINISTRATOR)


def order_advance_key(request_id: int) -> str:
    return f"fund-order-advance:{request_id}"


def _open_invoice(order: OrderForm) -> rules.OpenInvoice:
    if order.invoice_id is None:
        raise StateConflict("the order form is not invoiced yet: ask again once it is")
    row = (
        queries.unpaid_invoices(order.entity)
        .filter(pk=order.invoice_id)
        .values(*queries.OPEN_FIELDS)
    )
    found = list(row)
    if not found:
        raise StateConflict("the order form's invoice is paid or closed: nothing to advance")
    return queries._as_open(found[0])


def advance_room(order: OrderForm, *, on: dt.date, excluding: int | None = None) -> Decimal:
    """What may still be advanced on the order form on `on`, besides request `excluding`;
    refused outright when the fund does not cover it or the work has ended."""
    policy = queries.policy_for(order.entity, on)
    invoice = _open_invoice(order)
    why = rules.why_not_covered(policy, invoice)
    if why is not None:
        raise StateConflict(f"the guarantee fund does not cover this order form: {why}")
    if order.end_date < on:
        raise StateConflict("the work has ended: its pay comes with the payroll")
    asked = (
        AdvanceRequest.objects.filter(
            order_form=order, status__in=(RequestStatus.PENDING, RequestStatus.APPROVED)
        )
        .exclude(pk=excluding or 0)
        .aggregate(total=Sum("amount"))["total"]
    )
    used = queries._open_by(order.entity, "client_id", [invoice.client_id])
    client_room = rules._room(policy.limit_per_client, used.get(invoice.client_id, ZERO))
    return rules.order_advance_room(policy, invoice.uncollected, queries.cents(asked), client_room)


@action("fund.request_advance")
def request_advance(*, actor: Any, order: OrderForm, amount: Decimal) -> AdvanceRequest:
    """A participant of the order form's activity asks for an advance within the limit."""
    person = person_of(actor)
    if person is None or not order.activity.participants.filter(person=person).exists():
        raise AccessDenied("only a member of the activity asks for an advance on its work")
    if amount <= 0 or amount != amount.quantize(rules.CENT):
        raise InvalidAmount("give a positive amount in cents", field="amount")
    room = advance_room(order, on=clock.today())
    if amount > room:
        raise InvalidInput(f"at most {room} can be advanced on this order form", field="amount")
    if AdvanceRequest.objects.filter(
        order_form=order, person=person, status=RequestStatus.PENDING
    ).exists():
        raise StateConflict("you already have a request waiting on this order form")
    request = AdvanceRequest.objects.create(
        entity=order.entity, order_form=order, person=person, amount=amount
    )
    audit.record(
        actor=actor,
        action="fund.request_advance",
        subject=request,
        entity_id=order.entity_id,
        after={"order_form": order.pk, "amount": str(amount), "room": str(room)},
    )
    return request


def _pending(actor: Any, request: AdvanceRequest) -> AdvanceRequest:
    request = (
        AdvanceRequest.objects.select_for_update()
        .select_related("order_form__entity", "order_form__activity", "entity")
        .get(pk=request.pk)
    )
    if actor is not None and not has_role(actor, APPROVERS, request.entity):
        raise AccessDenied("only an adviser or payroll officer of the entity decides")
    if request.status != RequestStatus.PENDING:
        raise StateConflict("this request is already decided")
    return request


@action("fund.approve_advance")
def approve_advance(*, actor: Any, request: AdvanceRequest) -> AdvanceRequest:
    """Approve within the limit as it stands now: the fund advances against the invoice (memo
    pair) and the amount waits in the payouts as prepaid net pay."""
    request = _pending(actor, request)
    order = request.order_form
    today = clock.today()
    room = advance_room(order, on=today, excluding=request.pk)
    if request.amount > room:
        raise StateConflict(f"at most {room} can be advanced on this order form now")
    invoice = _open_invoice(order)
    if request.amount > invoice.uncollected - invoice.advanced:
        raise StateConflict("the invoice has not enough left unpaid to cover this advance")
    key = order_advance_key(request.pk)
    advance = FundAdvance.objects.create(
        entity=request.entity,
        activity_id=order.activity_id,
        invoice_id=invoice.invoice_id,
        client_id=invoice.client_id,
        kind=AdvanceKind.ORDER_FORM,
        key=key,
        amount=request.amount,
        granted_on=today,
    )
    post_entry(
        exposure_entry(
            entity_id=request.entity_id,
            journal=fund_journal(request.entity),
            accounts=fund_accounts(request.entity),
            date=today,
            activity_id=advance.activity_id,
            client_id=advance.client_id,
            amount=advance.amount,
            label=f"Guarantee fund advance on order form {order.pk}",
            piece_ref=key,
        ),
        acting_user=actor,
        idempotency_key=key,
    )
    return _decide(actor, request, RequestStatus.APPROVED)


@action("fund.refuse_advance")
def refuse_advance(*, actor: Any, request: AdvanceRequest, reason: str) -> AdvanceRequest:
    if not reason.strip():
        raise InvalidInput("say why the advance is refused", field="reason")
    request = _pending(actor, request)
    request.refusal_reason = reason.strip()[:300]
    return _decide(actor, request, RequestStatus.REFUSED)


def _decide(actor: Any, request: AdvanceRequest, status: str) -> AdvanceRequest:
    request.status, request.decided_at = status, clock.now()
    request.decided_by = person_acting(actor)
    request.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
    audit.record(
        actor=actor,
        action=f"fund.{status}_advance",
        subject=request,
        entity_id=request.entity_id,
        after={"status": status, "amount": str(request.amount), "reason": request.refusal_reason},
    )
    return request


# --- paying and taking back ---------------------------------------------------------------------
def collect_advances(entity: Entity) -> list[Payout]:
    """Approved advances not yet in the payouts (the banking app's collector for `advance`)."""
    known = Payout.objects.filter(entity=entity, source=PayoutSource.ADVANCE).values("source_id")
    requests = (
        AdvanceRequest.objects.filter(entity=entity, status=RequestStatus.APPROVED)
        .exclude(pk__in=known)
        .select_related("person", "order_form")
    )
    return [
        Payout(
            entity=entity,
            key=f"{PayoutSource.ADVANCE}:{r.pk}",
            source=PayoutSource.ADVANCE,
            source_id=r.pk,
            person=r.person,
            amount=r.amount,
            currency=entity.currency,
            remittance=f"Advance on order form {r.order_form_id}",
            due_date=(r.decided_at or r.created_at).date(),
        )
        for r in requests
    ]


def recover_from_payslips(entity: Entity, slips: Sequence[Any]) -> dict[int, Decimal]:
    """Take outstanding advances back from these payslips' net pay, oldest advance first;
    returns what each payslip gives back (including what it gave in an earlier collection).
    Called while collecting payouts (banking.collect_payouts, the action that owns it)."""
    if not slips:
        return {}
    earlier: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for slip_id, amount in AdvanceRecovery.objects.filter(
        payslip_id__in=[s.pk for s in slips]
    ).values_list("payslip_id", "amount"):
        earlier[slip_id] += amount
    owed = _outstanding(entity, {s.person_id for s in slips if s.pk not in earlier})
    if not owed:
        return dict(earlier)
    taken: dict[int, Decimal] = dict(earlier)
    rows: list[AdvanceRecovery] = []
    for slip in slips:
        if slip.pk in earlier:
            continue
        left = slip.net
        for request in owed.get(slip.person_id, []):
            part = min(request.amount - request.recovered, left)
            if part <= 0:
                continue
            rows.append(AdvanceRecovery(request=request, payslip_id=slip.pk, amount=part))
            request.recovered += part
            left -= part
        if left != slip.net:
            taken[slip.pk] = slip.net - left
    AdvanceRecovery.objects.bulk_create(rows)
    changed = {row.request.pk: row.request for row in rows}
    AdvanceRequest.objects.bulk_update(list(changed.values()), ["recovered"])
    return taken


def _outstanding(entity: Entity, person_ids: set[int]) -> dict[int, list[AdvanceRequest]]:
    """Approved advances not fully taken back yet, per person (paid out or about to be: the
    member gets the advance and the rest of the net, never both in full)."""
    rows = (
        AdvanceRequest.objects.select_for_update()
        .filter(
            entity=entity,
            status=RequestStatus.APPROVED,
            person_id__in=person_ids,
            amount__gt=F("recovered"),
        )
        .order_by("decided_at", "pk")
    )
    owed: dict[int, list[AdvanceRequest]] = defaultdict(list)
    for request in rows:
        owed[request.person_id].append(request)
    return owed


def requests_of(person: Person) -> list[AdvanceRequest]:
    return list(AdvanceRequest.objects.filter(person=person).select_related("order_form"))


# --- access -------------------------------------------------------------------------------------
def access_order_form_for_advance(user: Any, order_form_id: int) -> OrderForm:
    """An order form of an activity the user takes part in, else NotFound."""
    from mutua.core.errors import NotFound

    order = (
        OrderForm.objects.select_related("entity", "activity", "client")
        .filter(pk=order_form_id, activity__participants__person__user=user)
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if order is None:
        raise NotFound("no such order form")
    return order


def visible_requests(user: Any) -> Any:
    """The user's own requests, and those of the entities where they decide."""
    from django.db.models import Q

    from mutua.members.queries import staff_entities

    if not getattr(user, "is_authenticated", False):
        return AdvanceRequest.objects.none()
    return AdvanceRequest.objects.filter(
        Q(person__user=user) | Q(entity__in=staff_entities(user, APPROVERS))
    ).select_related("order_form", "person", "entity")


def access_advance_request(user: Any, request_id: int) -> AdvanceRequest:
    from mutua.core.errors import NotFound

    found = visible_requests(user).filter(pk=request_id).first()
    if found is None:
        raise NotFound("no such advance request")
    return found


def pending_for(entity: Entity) -> Any:
    return (
        AdvanceRequest.objects.filter(entity=entity, status=RequestStatus.PENDING)
        .select_related("order_form__client", "order_form__activity", "person")
        .order_by("created_at", "pk")
    )


def access_decider_entity(user: Any, entity_id: int) -> Entity:
    """An entity where the user decides advances, else NotFound."""
    from mutua.core.errors import NotFound
    from mutua.members.queries import staff_entities

    entity = staff_entities(user, APPROVERS).filter(pk=entity_id).first()
    if entity is None:
        raise NotFound("no such entity")
    return entity

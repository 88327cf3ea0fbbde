"""Copyright payments (droits d'auteur): reads, access, actions and the payout collector.

A member asks an activity they take part in to pay them copyright fees for a work. Staff check
that the work qualifies and approve: the payment is then booked (Dr copyright fees on the
activity, Cr withholding tax, Cr copyright payable to the member) and its net becomes a SEPA
payout. Every request and approval is held to three limits: the activity's available budget,
the entity's share of what the activity invoiced, and the country's yearly ceiling per
beneficiary. Requests still waiting count against all three, so two requests cannot together
pass a limit that each passes alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from mutua.activities.models import Activity
from mutua.core import audit, clock
from mutua.core.audit import action, person_acting
from mutua.core.errors import AccessDenied, InvalidInput, NotFound, StateConflict
from mutua.core.pay import ZERO
from mutua.core.permissions import Role
from mutua.countries.registry import rules_for
from mutua.entities.models import Entity
from mutua.expenses.queries import claimable_activities
from mutua.ledger.actions import post_entry
from mutua.ledger.drafts import EntryDraft, LineDraft
from mutua.ledger.models import Balance
from mutua.ledger.queries import activity_balance, journal_for, posting_account
from mutua.members.models import Person
from mutua.members.queries import has_role, person_of, staff_entities
from mutua.payroll.copyright_calc import (
    CopyrightFigures,
    CopyrightRoom,
    check_within_limits,
    copyright_figures,
)
from mutua.payroll.models import CopyrightPayment, CopyrightShare, CopyrightStatus

COPYRIGHT_STAFF = (Role.ADVISER, Role.PAYROLL_OFFICER, Role.ADMINISTRATOR)
LIVE = (CopyrightStatus.REQUESTED, CopyrightStatus.APPROVED)


# --- reads --------------------------------------------------------------------------------------
def share_on(entity: Entity, on: dt.date) -> Decimal:
    """The entity's copyright share in force on a date, or its country's default."""
    row = CopyrightShare.objects.filter(entity=entity, valid_from__lte=on).first()
    if row is not None:
        return row.share
    return rules_for(entity.country).copyright_default_share()


def invoiced_by(activity: Activity) -> Decimal:
    """What the activity invoiced excl. VAT, net of credit notes: its sales on the ledger."""
    sales = posting_account(activity.entity, "sales")
    row = Balance.objects.filter(
        dimension="activity", dimension_id=activity.pk, account=sales
    ).aggregate(d=Sum("debit"), c=Sum("credit"))
    return (row["c"] or ZERO) - (row["d"] or ZERO)


def _live(exclude: CopyrightPayment | None) -> QuerySet[CopyrightPayment]:
    rows = CopyrightPayment.objects.filter(status__in=LIVE)
    return rows.exclude(pk=exclude.pk) if exclude is not None else rows


def _total(rows: QuerySet[CopyrightPayment]) -> Decimal:
    return rows.aggregate(total=Sum("gross"))["total"] or ZERO


def received_in_year(
    person: Person, country: str, year: int, *, exclude: CopyrightPayment | None = None
) -> Decimal:
    """Copyright the person received (or asked for) in an income year from the entities of a
    country: the ceiling is per beneficiary and tax system, not per activity."""
    rows = _live(exclude).filter(person=person, entity__country=country, paid_on__year=year)
    return _total(rows)


def copyright_room(
    activity: Activity, person: Person, on: dt.date, *, exclude: CopyrightPayment | None = None
) -> CopyrightRoom:
    regime = rules_for(activity.entity.country).copyright(on.year)
    waiting = _total(_live(exclude).filter(activity=activity, status=CopyrightStatus.REQUESTED))
    from_activity = _total(_live(exclude).filter(activity=activity))
    return CopyrightRoom(
        budget=activity_balance(activity) - waiting,
        share_left=(invoiced_by(activity) * share_on(activity.entity, on)).quantize(Decimal("0.01"))
        - from_activity,
        ceiling_left=regime.ceiling
        - received_in_year(person, activity.entity.country, on.year, exclude=exclude),
    )


@dataclass(frozen=True)
class CopyrightPreview:
    figures: CopyrightFigures
    room: CopyrightRoom
    share: Decimal


def preview_copyright(
    activity: Activity,
    person: Person,
    gross: Decimal,
    on: dt.date,
    *,
    exclude: CopyrightPayment | None = None,
) -> CopyrightPreview:
    """The figures of a payment and the room left, without checking the limits."""
    regime = rules_for(activity.entity.country).copyright(on.year)
    earlier = received_in_year(person, activity.entity.country, on.year, exclude=exclude)
    return CopyrightPreview(
        figures=copyright_figures(regime, gross, earlier),
        room=copyright_room(activity, person, on, exclude=exclude),
        share=share_on(activity.entity, on),
    )


def member_copyright_payments(user: Any) -> QuerySet[CopyrightPayment]:
    if not getattr(user, "is_authenticated", False):
        return CopyrightPayment.objects.none()
    return CopyrightPayment.objects.filter(person__user=user).select_related("activity", "entity")


def staff_copyright_payments(user: Any) -> QuerySet[CopyrightPayment]:
    entities = staff_entities(user, COPYRIGHT_STAFF)
    return CopyrightPayment.objects.filter(entity__in=entities).select_related(
        "activity", "entity", "person"
    )


def access_copyright_payment(user: Any, payment_id: int) -> CopyrightPayment:
    """A payment its member or staff of its entity may open; anything else is not found."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("no such copyright payment")
    entities = staff_entities(user, COPYRIGHT_STAFF)
    payment = (
        CopyrightPayment.objects.select_related("activity", "entity", "person")
        .filter(pk=payment_id)
        .filter(Q(person__user=user) | Q(entity__in=entities))
        .first()
    )
    if payment is None:
        raise NotFound("no such copyright payment")
    return payment


# --- actions ------------------------------------------------------------------------------------
def _store_figures(payment: CopyrightPayment, figures: CopyrightFigures) -> None:
    payment.gross, payment.flat_costs = figures.gross, figures.flat_costs
    payment.taxable, payment.withholding, payment.net = (
        figures.taxable,
        figures.withholding,
        figures.net,
    )


def _checked_preview(
    activity: Activity, person: Person, gross: Decimal, on: dt.date, exclude: Any = None
) -> CopyrightPreview:
    # Serialise the checks of one activity and one beneficiary: limits are sums over rows.
    Activity.objects.select_for_update().filter(pk=activity.pk).first()
    Person.objects.select_for_update().filter(pk=person.pk).first()
    preview = preview_copyright(activity, person, gross, on, exclude=exclude)
    check_within_limits(gross, preview.room, share=preview.share)
    return preview


@action("payroll.request_copyright_payment")
def request_copyright_payment(
    *, acting_user: Any, activity: Activity, gross: Decimal, work: str, on: dt.date | None = None
) -> CopyrightPayment:
    """A member of the activity asks it to pay them copyright fees for a work (art. 17 §1 5°
    CIR 92), within the budget, the entity's share of the invoiced amount and the ceiling."""
    person = person_of(acting_user)
    # The rule of every money request (an expense claim likewise): a participant who runs the
    # open activity, its holder or a co-manager; a viewer only looks at it.
    if person is None or not claimable_activities(acting_user).filter(pk=activity.pk).exists():
        raise NotFound("no such activity")
    work = (work or "").strip()
    if not work:
        raise InvalidInput("name the work whose rights are paid", field="work")
    on = on or clock.today()
    preview = _checked_preview(activity, person, gross, on)
    payment = CopyrightPayment(
        entity=activity.entity,
        person=person,
        activity=activity,
        work=work[:200],
        paid_on=on,
        currency=activity.entity.currency,
        requested_by=acting_user,
    )
    _store_figures(payment, preview.figures)
    payment.save()
    audit.record(
        actor=acting_user,
        action="payroll.request_copyright_payment",
        subject=payment,
        entity_id=activity.entity_id,
        after={"gross": gross, "activity": activity.pk, "work": payment.work},
    )
    return payment


def _check_staff(actor: Any, entity: Entity) -> None:
    if actor is not None and not has_role(actor, COPYRIGHT_STAFF, entity):
        raise AccessDenied("only an adviser or payroll officer of the entity decides")


@action("payroll.approve_copyright_payment")
def approve_copyright_payment(
    *, acting_user: Any, payment: CopyrightPayment, on: dt.date | None = None
) -> CopyrightPayment:
    """Book a requested payment on `on` (today): the limits are checked again, the figures are
    final (the year's earlier payments set the flat-rate costs), and the entry is posted."""
    payment = (
        CopyrightPayment.objects.select_for_update()
        .select_related("activity", "entity")
        .get(pk=payment.pk)
    )
    _check_staff(acting_user, payment.entity)
    if payment.status != CopyrightStatus.REQUESTED:
        raise StateConflict(f"{payment.reference} is already {payment.get_status_display()}")
    on = on or clock.today()
    preview = _checked_preview(payment.activity, payment.person, payment.gross, on, payment)
    _store_figures(payment, preview.figures)
    payment.paid_on, payment.status = on, CopyrightStatus.APPROVED
    payment.decided_by, payment.decided_at = person_acting(acting_user), clock.now()
    payment.save()
    post_entry(
        copyright_entry(payment), acting_user=acting_user, idempotency_key=payment.ledger_key
    )
    audit.record(
        actor=acting_user,
        action="payroll.approve_copyright_payment",
        subject=payment,
        entity_id=payment.entity_id,
        after={"gross": payment.gross, "withholding": payment.withholding, "net": payment.net},
    )
    return payment


@action("payroll.refuse_copyright_payment")
def refuse_copyright_payment(
    *, acting_user: Any, payment: CopyrightPayment, reason: str
) -> CopyrightPayment:
    payment = (
        CopyrightPayment.objects.select_for_update().select_related("entity").get(pk=payment.pk)
    )
    _check_staff(acting_user, payment.entity)
    if payment.status != CopyrightStatus.REQUESTED:
        raise StateConflict(f"{payment.reference} is already {payment.get_status_display()}")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("say why the request is refused", field="reason")
    payment.status, payment.refusal_reason = CopyrightStatus.REFUSED, reason[:300]
    payment.decided_by, payment.decided_at = person_acting(acting_user), clock.now()
    payment.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    audit.record(
        actor=acting_user,
        action="payroll.refuse_copyright_payment",
        subject=payment,
        entity_id=payment.entity_id,
        after={"reason": payment.refusal_reason},
    )
    return payment


@action("payroll.set_copyright_share")
def set_copyright_share(
    *, acting_user: Any, entity: Entity, valid_from: dt.date, share: Decimal, source: str = ""
) -> CopyrightShare:
    """An administrator sets the most of an activity's invoiced amount that may be paid as
    copyright, from a date on. Only from today on: requests already checked keep their share."""
    if acting_user is not None and not has_role(acting_user, (Role.ADMINISTRATOR,), entity):
        raise AccessDenied("only an administrator of the entity sets the copyright share")
    rules_for(entity.country).copyright_default_share()  # refuses countries without the regime
    if not share.is_finite() or not ZERO <= share <= 1:
        raise InvalidInput("the share is between 0 and 1 (0.5 for 50 %)", field="share")
    if valid_from < clock.today():
        raise InvalidInput(
            "a share applies from today or later, never to the past", field="valid_from"
        )
    if CopyrightShare.objects.filter(entity=entity, valid_from=valid_from).exists():
        raise StateConflict(f"a share already starts on {valid_from}: choose another day")
    row = CopyrightShare.objects.create(
        entity=entity, valid_from=valid_from, share=share, source=(source or "")[:200]
    )
    audit.record(
        actor=acting_user,
        action="payroll.set_copyright_share",
        subject=row,
        entity_id=entity.pk,
        after={"valid_from": valid_from, "share": share, "source": row.source},
    )
    return row


def copyright_entry(payment: CopyrightPayment) -> EntryDraft:
    """Dr copyright fees (activity, member) = Cr withholding tax + Cr copyright payable."""
    entity = payment.entity

    def code(event: str) -> str:
        return posting_account(entity, event).code

    label = f"Copyright {payment.reference} {payment.work}"[:200]
    lines = [
        LineDraft(
            code("copyright_fees"),
            debit=payment.gross,
            activity_id=payment.activity_id,
            member_id=payment.person_id,
            label=label,
        ),
        LineDraft(code("copyright_payable"), credit=payment.net, member_id=payment.person_id),
    ]
    if payment.withholding:
        lines.append(
            LineDraft(
                code("copyright_withholding"),
                credit=payment.withholding,
                member_id=payment.person_id,
            )
        )
    return EntryDraft(
        entity_id=entity.pk,
        journal=journal_for(entity, "miscellaneous").code,
        date=payment.paid_on,
        label=label,
        lines=tuple(lines),
        piece_ref=payment.reference,
    )


# --- payouts ------------------------------------------------------------------------------------
def collect_copyright_payouts(entity: Entity) -> list[Any]:
    """Approved payments with a net to pay and no payout item yet (registered in apps.py)."""
    from mutua.banking.models import Payout, PayoutSource

    known = Payout.objects.filter(entity=entity, source=PayoutSource.COPYRIGHT).values("source_id")
    due = (
        CopyrightPayment.objects.filter(entity=entity, status=CopyrightStatus.APPROVED, net__gt=0)
        .exclude(pk__in=known)
        .select_related("person")
        .order_by("paid_on", "pk")
    )
    return [
        Payout(
            entity=entity,
            key=f"{PayoutSource.COPYRIGHT}:{payment.pk}",
            source=PayoutSource.COPYRIGHT,
            source_id=payment.pk,
            person=payment.person,
            amount=payment.net,
            currency=payment.currency,
            remittance=f"Copyright {payment.reference} {payment.work}"[:140],
            due_date=payment.paid_on,
        )
        for payment in due
    ]

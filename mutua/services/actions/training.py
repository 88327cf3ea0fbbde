"""Training actions: sessions, enrolment with a waiting list, attendance.

The session row is locked by every action that changes its seats, so two members taking the
last seat at once, or a cancellation and an enrolment together, leave exactly `capacity`
enrolled and the waiting list in order. A paid seat is charged when it is taken (at enrolment
or at promotion from the waiting list), never while waiting.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.activities.models import Activity
from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, DomainError, InvalidInput, StateConflict
from mutua.core.money import checked_cents
from mutua.entities.models import Entity
from mutua.members.queries import member_entities, person_of
from mutua.services.charges import charge_activity, refund_charge
from mutua.services.models import Enrolment, EnrolmentStatus, Place, TrainingSession
from mutua.services.pricing import cancellation_is_free
from mutua.services.queries import is_service_staff, may_charge, require_service_staff

ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)


@action("services.schedule_session")
def schedule_session(
    *,
    actor: Any,
    entity: Entity,
    topic: str,
    trainer: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    price: Decimal,
    place: Place | None = None,
    online_url: str = "",
    description: str = "",
) -> TrainingSession:
    require_service_staff(actor, entity.pk)
    if not topic.strip() or not trainer.strip():
        raise InvalidInput(_("Give the topic and the trainer."), field="topic")
    if ends_at <= starts_at:
        raise InvalidInput(_("The end must come after the start."), field="ends_at")
    if starts_at <= clock.now():
        raise InvalidInput(_("A session is scheduled in the future."), field="starts_at")
    if capacity < 1:
        raise InvalidInput(_("A session has at least one seat."), field="capacity")
    if place is None and not online_url:
        raise InvalidInput(_("Choose a place or give the online link."), field="place")
    if place is not None and place.entity_id != entity.pk:
        raise InvalidInput(_("Choose a place of this entity."), field="place")
    session = TrainingSession.objects.create(
        entity=entity,
        topic=topic.strip(),
        trainer=trainer.strip(),
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        price=checked_cents(price, field="price"),
        place=place,
        online_url=online_url,
    )
    audit.record(
        actor=actor,
        action="services.schedule_session",
        subject=session,
        entity_id=entity.pk,
        after={"topic": session.topic, "capacity": capacity, "price": session.price},
    )
    return session


def _locked(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _seats_taken(session: TrainingSession) -> int:
    return Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED).count()


@action("services.enrol")
def enrol(
    *,
    actor: Any,
    session: TrainingSession,
    activity: Activity | None = None,
    now: dt.datetime | None = None,
) -> Enrolment:
    """Take a seat (charged to the activity if the session is not free) or, when the session is
    full, a place on the waiting list. One active enrolment per person and session."""
    now = now or clock.now()
    session = _locked(session)
    person = person_of(actor)
    if person is None or not member_entities(actor).filter(pk=session.entity_id).exists():
        raise AccessDenied(_("Only members of the entity may enrol."))
    _check_open(session, now)
    if Enrolment.objects.filter(session=session, person=person, status__in=ACTIVE).exists():
        raise StateConflict(_("You are already enrolled or on the waiting list."))
    _check_payer(actor, session, activity)
    full = _seats_taken(session) >= session.capacity
    enrolment = Enrolment.objects.create(
        session=session,
        person=person,
        activity=activity,
        status=EnrolmentStatus.WAITING if full else EnrolmentStatus.ENROLLED,
    )
    if not full:
        _take_seat(actor, enrolment, now)
    audit.record(
        actor=actor,
        action="services.enrol",
        subject=enrolment,
        entity_id=session.entity_id,
        after={"status": enrolment.status, "price": enrolment.price},
    )
    return enrolment


def _check_open(session: TrainingSession, now: dt.datetime) -> None:
    if session.cancelled_at is not None:
        raise StateConflict(_("This session is cancelled."))
    if session.starts_at <= now:
        raise StateConflict(_("This session has started: enrolment is closed."))


def _check_payer(actor: Any, session: TrainingSession, activity: Activity | None) -> None:
    """A paid seat needs an activity; any activity named must be one the member may charge."""
    if activity is None:
        if session.price > 0:
            raise InvalidInput(_("Choose the activity that pays for the seat."), field="activity")
        return
    if activity.entity_id != session.entity_id:
        raise InvalidInput(_("Choose an activity of the same entity."), field="activity")
    if not may_charge(actor, activity):
        raise AccessDenied(_("Only a manager of the activity may charge a seat to it."))


def _take_seat(actor: Any, enrolment: Enrolment, now: dt.datetime) -> None:
    session = enrolment.session
    price = session.price if enrolment.activity_id else Decimal("0")
    if session.price > 0 and enrolment.activity is not None:
        enrolment.charge_entry_id = charge_activity(
            actor=actor,
            activity=enrolment.activity,
            amount=session.price,
            label=f"Training: {session.topic} {timezone.localtime(session.starts_at):%Y-%m-%d}",
            key=f"services:enrolment:{enrolment.pk}",
            on=timezone.localdate(now),
        )
    enrolment.price = price
    enrolment.status = EnrolmentStatus.ENROLLED
    enrolment.enrolled_at = now
    enrolment.save(update_fields=["price", "status", "enrolled_at", "charge_entry_id"])


@action("services.cancel_enrolment")
def cancel_enrolment(
    *, actor: Any, enrolment: Enrolment, now: dt.datetime | None = None
) -> Enrolment:
    """Leave a session or its waiting list before it starts. A seat is refunded until the
    session's notice period (or when staff cancel it); the freed seat goes to the first on the
    waiting list whose activity can pay."""
    now = now or clock.now()
    session = _locked(enrolment.session)
    enrolment = Enrolment.objects.select_related("person").get(pk=enrolment.pk)
    by_staff = is_service_staff(actor, session.entity_id)
    if not by_staff and enrolment.person.user_id != actor.pk:
        raise AccessDenied(_("Only the participant or staff may cancel this enrolment."))
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise StateConflict(_("This enrolment is already cancelled."))
    if session.starts_at <= now:
        raise StateConflict(_("This session has started: the enrolment can no longer change."))
    held_seat = enrolment.status == EnrolmentStatus.ENROLLED
    free = by_staff or cancellation_is_free(session.starts_at, now, session.free_cancellation_hours)
    if held_seat and free:
        enrolment.refund_entry_id = refund_charge(
            actor=actor,
            entry_id=enrolment.charge_entry_id,
            on=timezone.localdate(now),
            label=f"Training cancelled: {session.topic}",
        )
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.cancelled_at = now
    enrolment.save(update_fields=["status", "cancelled_at", "refund_entry_id"])
    promoted = promote_waiting(actor, session, now) if held_seat else []
    audit.record(
        actor=actor,
        action="services.cancel_enrolment",
        subject=enrolment,
        entity_id=session.entity_id,
        after={"refunded": enrolment.refund_entry_id is not None, "promoted": promoted},
    )
    return enrolment


def promote_waiting(actor: Any, session: TrainingSession, now: dt.datetime) -> list[int]:
    """Give free seats to the waiting list in order; call with the session locked. Someone whose
    activity cannot pay right now stays waiting and the next one gets the seat."""
    free_seats = session.capacity - _seats_taken(session)
    promoted: list[int] = []
    if free_seats <= 0:
        return promoted
    waiting = Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITING)
    for candidate in waiting.select_related("activity", "session").order_by("created_at", "id"):
        try:
            _take_seat(actor, candidate, now)
        except DomainError:
            continue
        promoted.append(candidate.pk)
        if len(promoted) == free_seats:
            break
    return promoted


@action("services.record_attendance")
def record_attendance(
    *, actor: Any, session: TrainingSession, present: set[int], now: dt.datetime | None = None
) -> int:
    """Mark who came among the enrolled (the others are marked absent); from the start on."""
    now = now or clock.now()
    require_service_staff(actor, session.entity_id)
    if session.starts_at > now or session.cancelled_at is not None:
        raise StateConflict(_("Attendance is recorded once the session has started."))
    enrolled = Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
    unknown = present - set(enrolled.values_list("pk", flat=True))
    if unknown:
        raise InvalidInput(_("Only enrolled participants can be marked present."))
    came = enrolled.filter(pk__in=present).update(attended=True)
    enrolled.exclude(pk__in=present).update(attended=False)
    audit.record(
        actor=actor,
        action="services.record_attendance",
        subject=session,
        entity_id=session.entity_id,
        after={"present": sorted(present)},
    )
    return came


@action("services.cancel_session")
def cancel_session(*, actor: Any, session: TrainingSession, now: dt.datetime | None = None) -> int:
    """The cooperative cancels a session: every seat is refunded and every enrolment ends."""
    now = now or clock.now()
    require_service_staff(actor, session.entity_id)
    session = _locked(session)
    if session.cancelled_at is not None:
        raise StateConflict(_("This session is already cancelled."))
    active = list(Enrolment.objects.filter(session=session, status__in=ACTIVE))
    for enrolment in active:
        enrolment.refund_entry_id = refund_charge(
            actor=actor,
            entry_id=enrolment.charge_entry_id,
            on=timezone.localdate(now),
            label=f"Training cancelled: {session.topic}",
        )
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.cancelled_at = now
    Enrolment.objects.bulk_update(active, ["refund_entry_id", "status", "cancelled_at"])
    session.cancelled_at = now
    session.save(update_fields=["cancelled_at"])
    audit.record(
        actor=actor,
        action="services.cancel_session",
        subject=session,
        entity_id=session.entity_id,
        after={"enrolments_cancelled": len(active)},
    )
    return len(active)

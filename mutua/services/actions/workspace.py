"""Workspace actions: places and resources, booking a slot, cancelling it.

Overlaps are refused by the database (migration 0002), so two members who book the same slot
at the same instant cannot both win; the look-up before the insert only gives the kinder message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutua.activities.models import Activity
from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.inputs import BOOKING_DATES, check_date_range
from mutua.core.money import checked_cents
from mutua.entities.models import Entity
from mutua.services.charges import charge_activity, refund_charge
from mutua.services.models import Booking, BookingStatus, Place, Resource
from mutua.services.pricing import booking_price, cancellation_is_free
from mutua.services.queries import is_service_staff, may_charge, require_service_staff

LONGEST_BOOKING = dt.timedelta(days=31)
BOOKING_FIELDS = ("resource_id", "activity_id", "starts_at", "ends_at", "price", "status")


@action("services.add_place")
def add_place(*, actor: Any, entity: Entity, name: str, address: str = "") -> Place:
    require_service_staff(actor, entity.pk)
    if not name.strip():
        raise InvalidInput(_("Give the place a name."), field="name")
    place = Place.objects.create(entity=entity, name=name.strip(), address=address.strip())
    audit.record(actor=actor, action="services.add_place", subject=place, entity_id=entity.pk)
    return place


@action("services.add_resource")
def add_resource(
    *,
    actor: Any,
    place: Place,
    kind: str,
    name: str,
    hourly_price: Decimal,
    daily_price: Decimal,
    free_cancellation_hours: int = 24,
    description: str = "",
) -> Resource:
    require_service_staff(actor, place.entity_id)
    if not name.strip():
        raise InvalidInput(_("Give the resource a name."), field="name")
    resource = Resource.objects.create(
        place=place,
        kind=kind,
        name=name.strip(),
        description=description,
        hourly_price=checked_cents(hourly_price, field="hourly_price"),
        daily_price=checked_cents(daily_price, field="daily_price"),
        free_cancellation_hours=free_cancellation_hours,
    )
    audit.record(
        actor=actor,
        action="services.add_resource",
        subject=resource,
        entity_id=place.entity_id,
        after={"name": resource.name, "hourly": hourly_price, "daily": daily_price},
    )
    return resource


@action("services.set_resource_bookable")
def set_resource_bookable(*, actor: Any, resource: Resource, bookable: bool) -> Resource:
    """Open or close a resource to new bookings; those already made stay."""
    require_service_staff(actor, resource.place.entity_id)
    resource.active = bookable
    resource.save(update_fields=["active"])
    audit.record(
        actor=actor,
        action="services.set_resource_bookable",
        subject=resource,
        entity_id=resource.place.entity_id,
        after={"bookable": bookable},
    )
    return resource


@action("services.book_resource")
def book_resource(
    *,
    actor: Any,
    resource: Resource,
    activity: Activity,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a free slot and charge its price to the activity (refused above its budget)."""
    now = now or clock.now()
    entity_id = resource.place.entity_id
    _check_bookable(actor, resource, activity)
    _check_slot(starts_at, ends_at, now)
    if _overlapping(resource, starts_at, ends_at).exists():
        raise StateConflict(
            _("This slot is already booked: choose another time."), field="starts_at"
        )
    price = booking_price(resource.hourly_price, resource.daily_price, ends_at - starts_at)
    booking = _insert(
        Booking(
            entity_id=entity_id,
            resource=resource,
            activity=activity,
            booked_by=actor,
            starts_at=starts_at,
            ends_at=ends_at,
            price=price,
        )
    )
    booking.charge_entry_id = charge_activity(
        actor=actor,
        activity=activity,
        amount=price,
        label=f"Workspace: {resource.name} {timezone.localtime(starts_at):%Y-%m-%d %H:%M}",
        key=f"services:booking:{booking.pk}",
        on=timezone.localdate(now),
    )
    booking.save(update_fields=["charge_entry_id"])
    audit.record(
        actor=actor,
        action="services.book_resource",
        subject=booking,
        entity_id=entity_id,
        after=audit.snapshot(booking, BOOKING_FIELDS),
    )
    return booking


def _check_bookable(actor: Any, resource: Resource, activity: Activity) -> None:
    if not (resource.active and resource.place.active):
        raise StateConflict(_("This resource cannot be booked at the moment."))
    if activity.entity_id != resource.place.entity_id:
        raise InvalidInput(_("Choose an activity of the same entity."), field="activity")
    if not may_charge(actor, activity):
        raise AccessDenied(_("Only a manager of the activity may charge a booking to it."))


def _check_slot(starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise InvalidInput(_("Give the times with their time zone."), field="starts_at")
    if ends_at <= starts_at:
        raise InvalidInput(_("The end must come after the start."), field="ends_at")
    if starts_at < now:
        raise InvalidInput(_("This time has already passed."), field="starts_at")
    if ends_at - starts_at > LONGEST_BOOKING:
        raise InvalidInput(_("A booking lasts 31 days at most."), field="ends_at")
    # The booking horizon (a year ahead): a booking is charged when made, so 9999-12-31 is not
    # a slot but a charge that never ends.
    try:
        first, last = timezone.localdate(starts_at), timezone.localdate(ends_at)
    except OverflowError as exc:  # 9999-12-31 23:30 UTC is in year 10000 in Brussels
        raise InvalidInput(_("This time is too far away."), field="starts_at") from exc
    check_date_range(
        first,
        last,
        window=BOOKING_DATES,
        start_field="starts_at",
        end_field="ends_at",
        today=timezone.localdate(now),
    )
    if starts_at.second or starts_at.microsecond or ends_at.second or ends_at.microsecond:
        raise InvalidInput(_("Book whole minutes."), field="starts_at")


def _overlapping(resource: Resource, starts_at: dt.datetime, ends_at: dt.datetime) -> Any:
    return Booking.objects.filter(
        resource=resource,
        status=BookingStatus.CONFIRMED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


def _insert(booking: Booking) -> Booking:
    try:
        with transaction.atomic():  # a savepoint: the database's refusal leaves the rest usable
            booking.save()
    except (IntegrityError, OperationalError) as exc:
        # Two bookings checking the exclusion constraint at once may also end in a deadlock
        # (PostgreSQL SQLSTATE 40P01): one of them is refused either way, with the same answer.
        if isinstance(exc, OperationalError) and not _deadlock(exc):
            raise
        raise StateConflict(
            _("This slot has just been booked by someone else: choose another time."),
            field="starts_at",
        ) from exc
    return booking


@action("services.cancel_booking")
def cancel_booking(*, actor: Any, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """Cancel before the start. Free (the charge is reversed) until the resource's notice
    period, or whenever the cooperative cancels; later, the charge stays."""
    now = now or clock.now()
    booking = (
        Booking.objects.select_for_update()
        .select_related("resource", "activity")
        .get(pk=booking.pk)
    )
    by_staff = is_service_staff(actor, booking.entity_id)
    if not (by_staff or may_charge(actor, booking.activity)):
        raise AccessDenied(_("Only a manager of the activity may cancel this booking."))
    if booking.status != BookingStatus.CONFIRMED:
        raise StateConflict(_("This booking is already cancelled."))
    if booking.starts_at <= now:
        raise StateConflict(_("This booking has started: it can no longer be cancelled."))
    free = by_staff or cancellation_is_free(
        booking.starts_at, now, booking.resource.free_cancellation_hours
    )
    if free:
        booking.refund_entry_id = refund_charge(
            actor=actor,
            entry_id=booking.charge_entry_id,
            on=timezone.localdate(now),
            label=f"Workspace cancelled: {booking.resource.name}",
        )
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at", "refund_entry_id"])
    audit.record(
        actor=actor,
        action="services.cancel_booking",
        subject=booking,
        entity_id=booking.entity_id,
        after={"free": free, "refund_entry_id": booking.refund_entry_id},
    )
    return booking


def _deadlock(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == "40P01"

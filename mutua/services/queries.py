"""Who may see and do what in the services, and the reads behind the pages.

Members see the catalogues of the entities they belong to and only their own bookings,
enrolments, loans, covers and advice requests (through their activities or their person);
staff see those of the entities where they hold a services role. Anything else is NotFound.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from mutua.activities.models import Activity, ActivityParticipant
from mutua.core.errors import AccessDenied, NotFound
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.members.queries import member_entities, staff_entities
from mutua.services.models import (
    AdviceAttachment,
    AdviceRequest,
    Booking,
    Enrolment,
    Loan,
    Policy,
    PolicyCover,
    Resource,
    TrainingSession,
)

SERVICE_STAFF = (Role.ADVISER, Role.ADMINISTRATOR)
LOAN_STAFF = (Role.ADVISER, Role.ACCOUNTANT, Role.ADMINISTRATOR)
MANAGING_ROLES = ("holder", "co_manager")
M = TypeVar("M", bound=Model)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def service_staff_entities(user: Any) -> QuerySet[Entity]:
    return staff_entities(user, SERVICE_STAFF)


def is_service_staff(user: Any, entity_id: int) -> bool:
    return service_staff_entities(user).filter(pk=entity_id).exists()


def require_service_staff(user: Any, entity_id: int) -> None:
    if not is_service_staff(user, entity_id):
        raise AccessDenied(_("Only the entity's advisers and administrators manage services."))


def access_staff_entity(
    user: Any, entity_id: int, roles: tuple[str, ...] = SERVICE_STAFF
) -> Entity:
    entity = staff_entities(user, roles).filter(pk=entity_id).first()
    if entity is None:
        raise NotFound("no such entity")
    return entity


def catalogue_entities(user: Any) -> QuerySet[Entity]:
    """Entities whose services the user may browse: where they are a member or staff."""
    if not _signed_in(user):
        return Entity.objects.none()
    ids = set(member_entities(user).values_list("pk", flat=True))
    ids |= set(service_staff_entities(user).values_list("pk", flat=True))
    return Entity.objects.filter(pk__in=ids)


def managed_activities(user: Any, entity: Entity | None = None) -> QuerySet[Activity]:
    """Activities the user may charge a service to: those they hold or co-manage, open ones."""
    if not _signed_in(user):
        return Activity.objects.none()
    found = Activity.objects.filter(
        participants__person__user=user,
        participants__role__in=MANAGING_ROLES,
        closed_at__isnull=True,
    ).select_related("entity")
    return found.filter(entity=entity) if entity is not None else found


def may_charge(user: Any, activity: Activity) -> bool:
    if ActivityParticipant.objects.filter(
        activity=activity, person__user=user, role__in=MANAGING_ROLES
    ).exists():
        return activity.closed_at is None
    return is_service_staff(user, activity.entity_id)


def _one(found: QuerySet[M], pk: int, noun: str) -> M:
    item = found.filter(pk=pk).first()
    if item is None:
        raise NotFound(f"no such {noun}")
    return item


def _by_activity(user: Any, staff: QuerySet[Entity]) -> Q:
    """Rows whose activity the user takes part in, or of an entity where they are staff."""
    return Q(activity__participants__person__user=user) | Q(activity__entity__in=staff)


# --- workspace --------------------------------------------------------------------------------


def visible_resources(user: Any) -> QuerySet[Resource]:
    return Resource.objects.filter(place__entity__in=catalogue_entities(user)).select_related(
        "place", "place__entity"
    )


def access_resource(user: Any, resource_id: int) -> Resource:
    return _one(visible_resources(user), resource_id, "resource")


def visible_bookings(user: Any) -> QuerySet[Booking]:
    if not _signed_in(user):
        return Booking.objects.none()
    found = Booking.objects.filter(_by_activity(user, service_staff_entities(user)))
    return Booking.objects.filter(pk__in=found.values("pk")).select_related(
        "resource", "resource__place", "activity", "entity"
    )


def access_booking(user: Any, booking_id: int) -> Booking:
    return _one(visible_bookings(user), booking_id, "booking")


# --- training ---------------------------------------------------------------------------------


def visible_sessions(user: Any) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.filter(entity__in=catalogue_entities(user)).select_related(
        "entity", "place"
    )


def access_session(user: Any, session_id: int) -> TrainingSession:
    return _one(visible_sessions(user), session_id, "training session")


def visible_enrolments(user: Any) -> QuerySet[Enrolment]:
    if not _signed_in(user):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        Q(person__user=user) | Q(session__entity__in=service_staff_entities(user))
    ).select_related("session", "session__entity", "person", "activity")


def access_enrolment(user: Any, enrolment_id: int) -> Enrolment:
    return _one(visible_enrolments(user), enrolment_id, "enrolment")


# --- loans ------------------------------------------------------------------------------------


def visible_loans(user: Any) -> QuerySet[Loan]:
    if not _signed_in(user):
        return Loan.objects.none()
    found = Loan.objects.filter(_by_activity(user, staff_entities(user, LOAN_STAFF)))
    return Loan.objects.filter(pk__in=found.values("pk")).select_related("activity", "entity")


def access_loan(user: Any, loan_id: int) -> Loan:
    return _one(visible_loans(user), loan_id, "loan")


# --- insurance --------------------------------------------------------------------------------


def visible_policies(user: Any) -> QuerySet[Policy]:
    return Policy.objects.filter(entity__in=catalogue_entities(user)).select_related("entity")


def access_policy(user: Any, policy_id: int) -> Policy:
    return _one(visible_policies(user), policy_id, "policy")


def visible_covers(user: Any) -> QuerySet[PolicyCover]:
    if not _signed_in(user):
        return PolicyCover.objects.none()
    found = PolicyCover.objects.filter(_by_activity(user, service_staff_entities(user)))
    return PolicyCover.objects.filter(pk__in=found.values("pk")).select_related(
        "policy", "policy__entity", "activity"
    )


def access_cover(user: Any, cover_id: int) -> PolicyCover:
    return _one(visible_covers(user), cover_id, "cover")


# --- advice -----------------------------------------------------------------------------------


def visible_advice(user: Any) -> QuerySet[AdviceRequest]:
    if not _signed_in(user):
        return AdviceRequest.objects.none()
    return AdviceRequest.objects.filter(
        Q(person__user=user) | Q(entity__in=service_staff_entities(user))
    ).select_related("entity", "person", "assigned_to")


def access_advice(user: Any, request_id: int) -> AdviceRequest:
    return _one(visible_advice(user), request_id, "advice request")


def access_attachment(user: Any, attachment_id: int) -> AdviceAttachment:
    found = AdviceAttachment.objects.filter(
        message__request__in=visible_advice(user)
    ).select_related("message__request")
    return _one(found, attachment_id, "file")


def advice_waiting(user: Any) -> QuerySet[AdviceRequest]:
    """Requests waiting for an adviser's answer in the user's entities, oldest first (the
    back-office queue)."""
    return (
        AdviceRequest.objects.filter(
            entity__in=service_staff_entities(user), status__in=("new", "assigned")
        )
        .select_related("entity", "person")
        .order_by("created_at", "id")
    )

"""Advice requests: a member asks the cooperative (legal, tax, financial, social), an adviser of
the entity answers. Each topic has a first-answer target; the staff queue shows what is overdue.
Only the member who asked and the entity's advisers and administrators see a request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from mutua.core import audit, clock
from mutua.core.audit import action
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.permissions import Role
from mutua.entities.models import Entity
from mutua.members.queries import has_role, member_entities, person_of
from mutua.services.models import (
    AdviceAttachment,
    AdviceMessage,
    AdviceRequest,
    AdviceStatus,
    AdviceTarget,
    AdviceTopic,
)
from mutua.services.queries import is_service_staff, require_service_staff
from mutua.services.uploads import MAX_FILES, CheckedFile, store

# First-answer targets when the entity has set none (calendar hours).
DEFAULT_TARGET_HOURS = {"legal": 120, "tax": 120, "financial": 72, "social": 48}


def target_hours(entity: Entity, topic: str) -> int:
    found = AdviceTarget.objects.filter(entity=entity, topic=topic).first()
    return found.hours if found else DEFAULT_TARGET_HOURS[topic]


@action("services.set_advice_target")
def set_advice_target(*, actor: Any, entity: Entity, topic: str, hours: int) -> AdviceTarget:
    require_service_staff(actor, entity.pk)
    if topic not in AdviceTopic.values or hours < 1:
        raise InvalidInput(_("Choose a topic and a target of one hour or more."), field="hours")
    target, _created = AdviceTarget.objects.update_or_create(
        entity=entity, topic=topic, defaults={"hours": hours}
    )
    audit.record(
        actor=actor,
        action="services.set_advice_target",
        subject=target,
        entity_id=entity.pk,
        after={"topic": topic, "hours": hours},
    )
    return target


@action("services.ask_advice")
def ask_advice(
    *,
    actor: Any,
    entity: Entity,
    topic: str,
    subject: str,
    body: str,
    files: Sequence[CheckedFile] = (),
    now: dt.datetime | None = None,
) -> AdviceRequest:
    now = now or clock.now()
    person = person_of(actor)
    if person is None or not member_entities(actor).filter(pk=entity.pk).exists():
        raise AccessDenied(_("Only members of the entity may ask its advisers."))
    if topic not in AdviceTopic.values:
        raise InvalidInput(_("Choose a topic."), field="topic")
    if not subject.strip():
        raise InvalidInput(_("Give your question a subject."), field="subject")
    request = AdviceRequest.objects.create(
        entity=entity,
        person=person,
        topic=topic,
        subject=subject.strip()[:200],
        created_at=now,
        due_at=now + dt.timedelta(hours=target_hours(entity, topic)),
    )
    _add_message(request, actor, body, files, now, from_staff=False)
    audit.record(
        actor=actor,
        action="services.ask_advice",
        subject=request,
        entity_id=entity.pk,
        after={"topic": topic, "files": len(files)},
    )
    return request


@action("services.reply_advice")
def reply_advice(
    *,
    actor: Any,
    request: AdviceRequest,
    body: str,
    files: Sequence[CheckedFile] = (),
    now: dt.datetime | None = None,
) -> AdviceMessage:
    """A message on an open request: from staff it answers (the first one stops the clock),
    from the member it asks again."""
    now = now or clock.now()
    request = AdviceRequest.objects.select_for_update().get(pk=request.pk)
    from_staff = is_service_staff(actor, request.entity_id)
    if not from_staff and request.person.user_id != actor.pk:
        raise AccessDenied(_("Only the member who asked and the advisers may write here."))
    if request.status == AdviceStatus.CLOSED:
        raise StateConflict(_("This request is closed: ask a new question."))
    message = _add_message(request, actor, body, files, now, from_staff=from_staff)
    if from_staff:
        request.status = AdviceStatus.ANSWERED
        request.first_response_at = request.first_response_at or now
    else:
        request.status = AdviceStatus.ASSIGNED if request.assigned_to_id else AdviceStatus.NEW
    request.save(update_fields=["status", "first_response_at"])
    audit.record(
        actor=actor,
        action="services.reply_advice",
        subject=request,
        entity_id=request.entity_id,
        after={"from_staff": from_staff, "files": len(files)},
    )
    return message


def _add_message(
    request: AdviceRequest,
    actor: Any,
    body: str,
    files: Sequence[CheckedFile],
    now: dt.datetime,
    *,
    from_staff: bool,
) -> AdviceMessage:
    if not body.strip():
        raise InvalidInput(_("Write your message."), field="body")
    if len(files) > MAX_FILES:
        raise InvalidInput(_("Attach five files at most."), field="attachments")
    message = AdviceMessage.objects.create(
        request=request, author=actor, from_staff=from_staff, body=body.strip(), created_at=now
    )
    # Bytes are written last, once every check passed; a later rollback leaves an orphan file
    # at worst, never a row without its file.
    AdviceAttachment.objects.bulk_create(
        AdviceAttachment(
            message=message,
            name=f.name,
            content_type=f.content_type,
            size=len(f.content),
            sha256=f.sha256,
            path=store(f),
        )
        for f in files
    )
    return message


@action("services.assign_advice")
def assign_advice(*, actor: Any, request: AdviceRequest, adviser: Any) -> AdviceRequest:
    require_service_staff(actor, request.entity_id)
    if not has_role(adviser, [Role.ADVISER], request.entity):
        raise InvalidInput(_("Choose an adviser of this entity."), field="adviser")
    if request.status == AdviceStatus.CLOSED:
        raise StateConflict(_("This request is closed."))
    request.assigned_to = adviser
    if request.status == AdviceStatus.NEW:
        request.status = AdviceStatus.ASSIGNED
    request.save(update_fields=["assigned_to", "status"])
    audit.record(
        actor=actor,
        action="services.assign_advice",
        subject=request,
        entity_id=request.entity_id,
        after={"assigned_to": adviser.pk},
    )
    return request


@action("services.close_advice")
def close_advice(
    *, actor: Any, request: AdviceRequest, now: dt.datetime | None = None
) -> AdviceRequest:
    if not (is_service_staff(actor, request.entity_id) or request.person.user_id == actor.pk):
        raise AccessDenied(_("Only the member who asked and the advisers may close it."))
    if request.status == AdviceStatus.CLOSED:
        raise StateConflict(_("This request is already closed."))
    request.status = AdviceStatus.CLOSED
    request.closed_at = now or clock.now()
    request.save(update_fields=["status", "closed_at"])
    audit.record(
        actor=actor, action="services.close_advice", subject=request, entity_id=request.entity_id
    )
    return request


@action("services.rate_advice")
def rate_advice(
    *, actor: Any, request: AdviceRequest, rating: int, comment: str = ""
) -> AdviceRequest:
    """The member who asked rates the answer once, after the request is closed."""
    if request.person.user_id != actor.pk:
        raise AccessDenied(_("Only the member who asked may rate the answer."))
    if request.status != AdviceStatus.CLOSED or request.rating is not None:
        raise StateConflict(_("A request is rated once, after it is closed."))
    if not 1 <= rating <= 5:
        raise InvalidInput(_("Give a rating from 1 to 5."), field="rating")
    request.rating, request.rating_comment = rating, comment.strip()
    request.save(update_fields=["rating", "rating_comment"])
    audit.record(
        actor=actor,
        action="services.rate_advice",
        subject=request,
        entity_id=request.entity_id,
        after={"rating": rating},
    )
    return request


@dataclass(frozen=True)
class QueuedAdvice:
    request: AdviceRequest
    overdue: bool


def staff_queue(entity: Entity, now: dt.datetime | None = None) -> list[QueuedAdvice]:
    """Open requests, the most urgent first, each marked overdue when its first answer is late."""
    now = now or clock.now()
    rows = (
        AdviceRequest.objects.filter(entity=entity)
        .exclude(status=AdviceStatus.CLOSED)
        .select_related("person", "assigned_to")
        .order_by("due_at", "id")
    )
    return [QueuedAdvice(r, r.first_response_at is None and r.due_at < now) for r in rows]


@dataclass(frozen=True)
class TopicIndicators:
    topic: str
    label: str
    asked: int
    answered: int
    on_time: int
    rated: int
    average_rating: Decimal | None


def advice_indicators(entity: Entity) -> list[TopicIndicators]:
    """Per topic, in one query: questions asked, answered, answered within the target, and the
    average satisfaction of the rated ones (to one decimal)."""
    rows = (
        AdviceRequest.objects.filter(entity=entity)
        .values("topic")
        .annotate(
            asked=Count("id"),
            answered=Count("id", filter=Q(first_response_at__isnull=False)),
            on_time=Count("id", filter=Q(first_response_at__lte=F("due_at"))),
            rated=Count("rating"),
            rating_sum=Sum("rating"),
        )
    )
    found: dict[str, dict[str, Any]] = {row["topic"]: dict(row) for row in rows}
    result = []
    for topic, label in AdviceTopic.choices:
        row = found.get(topic, {})
        rated = row.get("rated", 0)
        average = (Decimal(row["rating_sum"]) / rated).quantize(Decimal("0.1")) if rated else None
        result.append(
            TopicIndicators(
                topic,
                str(label),
                row.get("asked", 0),
                row.get("answered", 0),
                row.get("on_time", 0),
                rated,
                average,
            )
        )
    return result

"""Append-only audit log and the `@action` decorator that makes every action write to it.

An action is a verb of the domain (`approve_membership`, `post_entry`): keyword-only, one
transaction, at least one audit event. The decorator enforces the last two, so an action that
forgets to audit fails loudly in tests instead of silently leaving no trace.
"""

from __future__ import annotations

import contextvars
import functools
import json
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

P = ParamSpec("P")
R = TypeVar("R")

ACTIONS: dict[str, Callable[..., Any]] = {}
_recorded: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "mutua_audit_recorded", default=None
)


class MissingAuditEvent(RuntimeError):
    pass


def action(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run the decorated function in one transaction and require one audit event or more."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with transaction.atomic():
                token = _recorded.set([])
                try:
                    result = fn(*args, **kwargs)
                    if not _recorded.get():
                        raise MissingAuditEvent(f"action {name} wrote no audit event")
                finally:
                    _recorded.reset(token)
            return result

        ACTIONS[name] = run
        return run

    return decorate


def person_acting(actor: Any) -> Any:
    """The signed-in user behind an action, or None for the system (commands, the worker, demo):
    what `created_by`-style foreign keys store."""
    return actor if getattr(actor, "is_authenticated", False) else None


def snapshot(instance: models.Model | None, fields: Iterable[str]) -> dict[str, Any] | None:
    """A JSON-safe picture of some fields of an object, for before/after in the audit log."""
    if instance is None:
        return None
    data = {name: getattr(instance, name) for name in fields}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(
    *,
    actor: Any,
    action: str,
    subject: models.Model | None = None,
    entity_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> Any:
    """Write one audit event; call it inside the action's transaction."""
    from mutua.core.models import AuditEvent

    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent.objects.create(
        actor=user,
        actor_label=str(actor) if actor is not None else "system",
        action=action,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        entity_id=entity_id,
        before=json.loads(json.dumps(before, cls=DjangoJSONEncoder)),
        after=json.loads(json.dumps(after, cls=DjangoJSONEncoder)),
        ip_address=ip_address,
    )
    recorded = _recorded.get()
    if recorded is not None:
        recorded.append(event.pk)
    return event

"""The approved parameter sets as the countries' books read them, and how fresh the books stay.

`loaded_sets(country)` is registered with mutua.countries.parameters: each time a country's
book is built it reads the shipped files and these sets. A process learns of an approval:

- at once in the process that approved it: the action calls `parameters.invalidate()` after
  its commit;
- in every other process (web workers, `mutua worker`, a long command) within
  MUTUA_RULES_REFRESH_SECONDS (30 by default): before a lookup, `refresh_if_stale` compares the
  count and the last id of the approved uploads with what it saw last, at most that often, and
  forgets the books when they changed. Approved rows are never changed or removed, so a new
  approval always moves one of the two.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from time import monotonic
from typing import Any, TypeVar

from django.conf import settings
from django.db import OperationalError, ProgrammingError, transaction
from django.db.models import Count, Max

from mutua.countries import parameters
from mutua.countries.parameters import ParameterBook, ParameterSet, read_set
from mutua.countries.registry import parameters_for
from mutua.rules.models import ParameterSetUpload, UploadState

T = TypeVar("T")
REFRESH_SECONDS = 30
# The database cannot answer: not migrated yet (a fresh install, `mutua migrate` itself, a
# deployment check), or no database access in this process (the pure-calculation tests run
# under pytest-django's blocker, which raises RuntimeError). The shipped files answer alone.
UNREADABLE = (OperationalError, ProgrammingError, RuntimeError)

_lock = threading.Lock()
_seen: tuple[int, int] | None = None  # (count, last id) of the approved uploads, last read
_checked_at: float | None = None


def _read(query: Callable[[], T]) -> T | None:
    """Run a read, or None when the database cannot answer. The savepoint keeps a failed read
    from spoiling the caller's transaction (PostgreSQL refuses anything after an error)."""
    try:
        with transaction.atomic():
            return query()
    except UNREADABLE:
        return None


def approved_uploads(country: str) -> list[ParameterSetUpload] | None:
    """The approved uploads of a country, oldest first; None when the database cannot answer."""
    approved = ParameterSetUpload.objects.filter(country=country, state=UploadState.APPROVED)
    return _read(lambda: list(approved.order_by("id")))


def as_set(upload: ParameterSetUpload) -> ParameterSet:
    declared = parameters_for(upload.country)
    return read_set(upload.text, declared.schema, country=upload.country, origin=upload.origin)


def loaded_sets(country: str) -> list[ParameterSet]:
    """The provider registered with the books: the approved sets of `country`."""
    global _seen
    uploads = approved_uploads(country)
    if uploads is None:
        _seen = None  # read again at the next check, and rebuild once the database answers
        return []
    return [as_set(upload) for upload in uploads]


def fresh_book(country: str) -> ParameterBook:
    """The book as the database says now, not as this process cached it (for decisions)."""
    declared = parameters_for(country)
    return ParameterBook(declared.country, declared.shipped() + loaded_sets(declared.country))


def database_readable() -> bool:
    return _read(ParameterSetUpload.objects.exists) is not None


def _refresh_seconds() -> float:
    return float(getattr(settings, "MUTUA_RULES_REFRESH_SECONDS", REFRESH_SECONDS))


def _approved_state() -> tuple[int, int] | None:
    found: dict[str, Any] | None = _read(
        lambda: ParameterSetUpload.objects.filter(state=UploadState.APPROVED).aggregate(
            count=Count("id"), last=Max("id")
        )
    )
    return None if found is None else (found["count"], found["last"] or 0)


def refresh_if_stale() -> None:
    """Forget the books when the approved uploads changed since the last look (another process
    approved a set); looks at most every MUTUA_RULES_REFRESH_SECONDS, so lookups stay cheap."""
    global _seen, _checked_at
    now = monotonic()
    if _checked_at is not None and now - _checked_at < _refresh_seconds():
        return
    with _lock:
        _checked_at = now
        state = _approved_state()
        if state is None or state == _seen:
            return
        # Read before the books are rebuilt: they are at least as new as `_seen`.
        _seen = state
    parameters.invalidate()

"""Open N signed-in sessions for the demo's active members and print their keys, one a line.

The load test starts from these sessions instead of signing in through the form: hundreds of
sign-ins from one address at once meet allauth's rate limit (30 a minute per address) and
measure the password hasher, not the pages. Run with the load test's environment (run.sh)."""

from __future__ import annotations

import itertools
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutua.settings")
django.setup()

from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

BACKEND = "django.contrib.auth.backends.ModelBackend"


def active_members() -> list[object]:
    members = get_user_model().objects.filter(
        person__memberships__status="active", staff_roles__isnull=True, is_superuser=False
    )
    return list(members.distinct().order_by("pk"))


def main(count: int) -> None:
    users = active_members()
    if not users:
        sys.exit("no active member: load the demo first (SETUP=1)")
    for user in itertools.islice(itertools.cycle(users), count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
        session[BACKEND_SESSION_KEY] = BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
        session.create()
        print(session.session_key)


if __name__ == "__main__":
    main(int(sys.argv[1]))

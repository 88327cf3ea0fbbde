"""The product's one source of "now" and "today".

Every date the product reasons with (what is due, which rules are in force, what "next month"
means) starts here, so a test, a replay or a moved clock changes it in one place. Django's own
`timezone.now` is what this reads: the tests move that one function (tests/conftest.py), and
Django's stamps (sessions, `auto_now`) move with the product's dates.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current instant, aware (UTC)."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in the product's time zone (settings.TIME_ZONE)."""
    return timezone.localdate(timezone.now())

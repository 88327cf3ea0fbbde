"""Prices and cancellation rules of the workspace and training. Pure: no ORM.

A booking is priced per started day (24 hours from its start): the hours of that day at the
hourly price, never more than the day price when the resource has one. Hours are counted
started, so 90 minutes costs two hours; a resource with only a day price costs it per started day.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

HOUR = dt.timedelta(hours=1)
DAY_HOURS = 24
ZERO = Decimal("0")


def booking_price(hourly: Decimal, daily: Decimal, duration: dt.timedelta) -> Decimal:
    """What a booking of `duration` costs; exact in cents (prices are in cents, hours whole)."""
    if duration <= dt.timedelta(0):
        raise ValueError("a booking lasts more than zero")
    hours = math.ceil(duration / HOUR)
    full_days, rest = divmod(hours, DAY_HOURS)
    chunks = [DAY_HOURS] * full_days + ([rest] if rest else [])
    return sum((_day_cost(hourly, daily, h) for h in chunks), ZERO)


def _day_cost(hourly: Decimal, daily: Decimal, hours: int) -> Decimal:
    if hourly == 0:
        return daily
    by_hour = hourly * hours
    return min(by_hour, daily) if daily > 0 else by_hour


def cancellation_is_free(starts_at: dt.datetime, now: dt.datetime, free_hours: int) -> bool:
    """Free until `free_hours` before the start (inclusive); afterwards the charge stays."""
    return now <= starts_at - dt.timedelta(hours=free_hours)

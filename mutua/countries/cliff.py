"""Warnings before the cliff: a country's official payroll tables are about to end, or have ended.

Past the last day covered by official values the book answers with the last values, flagged
provisional (countries/parameters.py), so pay never stops; but every payslip then needs an
approval and a regularisation later. Staff are warned from `WARNING_DAYS` before that day, so
the official set is loaded in time, and after it, so nobody forgets the provisional values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mutua.countries.parameters import WARNING_DAYS, book
from mutua.countries.registry import parameters_for


@dataclass(frozen=True, slots=True)
class Cliff:
    country: str
    last_official_day: dt.date
    days_left: int  # negative once the day has passed
    provisional_from: dt.date  # the first day computed on provisional values

    @property
    def passed(self) -> bool:
        """Provisional values are in use already."""
        return self.days_left < 0


def ending_soon(code: str, today: dt.date, days: int = WARNING_DAYS) -> Cliff | None:
    """The cliff of `code` if its official values end within `days` of `today`, or have ended."""
    last = book(parameters_for(code)).last_official_day
    left = (last - today).days
    if left > days:
        return None
    return Cliff(code.upper(), last, left, last + dt.timedelta(days=1))

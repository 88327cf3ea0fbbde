"""`mutua check` warns when a country's official payroll tables end within 60 days, or ended.

The warning speaks of the installation's data: the shipped files and the sets staff approved,
which live in the database. Where the database cannot be read (a deployment check run before
`migrate`, a build machine without the production database), nothing can be said about what
is in force, so nothing is said: a release built in November must not fail its deployment
check for tables the production database may already hold.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from mutua.core import clock
from mutua.countries.cliff import Cliff, ending_soon
from mutua.countries.registry import SUPPORTED
from mutua.rules.loaded import database_readable

WARNING_ID = "mutua.W001"


def _message(cliff: Cliff) -> str:
    if cliff.passed:
        return (
            f"the official payroll tables ended on {cliff.last_official_day}; "
            f"provisional values are in use since {cliff.provisional_from}."
        )
    return (
        f"the official payroll tables end on {cliff.last_official_day}, in {cliff.days_left} days."
    )


def tables_ending_soon(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not database_readable():
        return []
    today = clock.today()
    cliffs = [cliff for code in SUPPORTED if (cliff := ending_soon(code, today)) is not None]
    return [
        checks.Warning(
            _message(cliff),
            hint=(
                f"Load the official {cliff.provisional_from.year} set: back office, legal "
                f"parameters, or `mutua rules load FILE --country {cliff.country} --by EMAIL`."
            ),
            obj=cliff.country,
            id=WARNING_ID,
        )
        for cliff in cliffs
    ]

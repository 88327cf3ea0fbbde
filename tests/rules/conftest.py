"""Personas and files of the legal parameter tests. Every test ends with the books forgotten, so
a set approved here never leaks into another test's payroll."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mutua.core.permissions import Role
from mutua.countries import parameters
from mutua.countries.registry import parameters_for
from mutua.entities.models import Entity
from tests.conftest import make_staff

SHIPPED_BE_2027 = (parameters_for("BE").folder / "2027.yaml").read_text(encoding="utf-8")
# The official Belgian 2027 set as it could be published: one value differs from the shipped
# provisional file (the personal contribution, 13.07 % → 13.50 %).
OFFICIAL_BE_2027 = (
    SHIPPED_BE_2027.replace("status: provisional", "status: official", 1)
    .replace("issued: 2026-12-06", "issued: 2026-12-20", 1)
    .replace(
        "employee: {value: 0.1307, unit: rate, status: U}",
        "employee: {value: 0.135, unit: rate, status: V, source: ONSS instructions 2027/1}",
        1,
    )
)
EMPLOYEE_LINE = 14  # the line of social.employee in the 2027 file


@pytest.fixture(autouse=True)
def _forget_books() -> Iterator[None]:
    parameters.invalidate()
    yield
    parameters.invalidate()


@pytest.fixture
def officer(entity_be: Entity) -> Any:
    return make_staff(entity_be, Role.PAYROLL_OFFICER)


@pytest.fixture
def admin(entity_be: Entity) -> Any:
    return make_staff(entity_be, Role.ADMINISTRATOR)

"""Schemathesis over the whole OpenAPI schema (/api/v1/openapi.json), through the WSGI app with a
member's personal access token: no answer is a 5xx, and every answer matches the schema.

Bounded: a few generated requests per operation, so the whole run stays well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from mutua.members import actions as member_actions
from mutua.members.models import Membership
from mutua.wsgi import application
from tests.ledger.conftest import make_activity, make_client

EXAMPLES = 6


@contextmanager
def wsgi_in_test_transaction() -> Iterator[None]:
    """Requests through the real WSGI handler, without it closing the test's connection (the
    same thing Django's test client does, and undoes after each of its own requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def member_token(alice: Membership) -> str:
    # Something of hers to find, so generated ids sometimes hit real rows.
    make_activity(alice.entity, holder=alice.person)
    make_client(alice.entity)
    return member_actions.create_access_token(user=alice.person.user, name="fuzz")[1]


def test_the_api_never_fails_and_answers_what_it_documents(member_token: str) -> None:
    raw = Client().get("/api/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(raw)
    headers = {"Authorization": f"Bearer {member_token}"}
    failures: list[str] = []
    operations = 0
    with wsgi_in_test_transaction():
        for result in schema.get_all_operations():
            operation = result.ok()  # type: ignore[union-attr]  # an invalid schema raises here
            operations += 1
            failures += _fuzz(operation, GenerationMode.POSITIVE, headers)
            failures += _fuzz(operation, GenerationMode.NEGATIVE, headers)
    assert operations >= 50, "the schema lost its operations"
    assert not failures, "\n\n".join(failures)


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> list[str]:
    """Valid input must be answered as documented; invalid input is refused, never a 5xx."""
    checks: list[Any] = [not_a_server_error]
    if mode == GenerationMode.POSITIVE:
        checks.append(response_schema_conformance)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: Any) -> None:
        response = case.call(app=application, headers=headers)
        case.validate_response(response, checks=checks)

    try:
        fuzz()
    except Exception as error:  # collected, all reported together below
        return [f"{mode.value} {operation.method.upper()} {operation.path}: {error}"]
    return []

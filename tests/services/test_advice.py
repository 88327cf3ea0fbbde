"""Advice requests: private to the member and the entity's advisers, files checked by content,
a first-answer target per topic, satisfaction after closing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from mutua.core.errors import AccessDenied, InvalidInput, NotFound, StateConflict
from mutua.services.actions.advice import (
    advice_indicators,
    ask_advice,
    assign_advice,
    close_advice,
    rate_advice,
    reply_advice,
    set_advice_target,
    staff_queue,
)
from mutua.services.models import AdviceAttachment, AdviceRequest
from mutua.services.queries import access_advice, advice_waiting
from mutua.services.uploads import MAX_BYTES, checked_file
from tests.conftest import make_staff
from tests.services.conftest import Coop, coop

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def ask(c: Coop, **kw: Any) -> AdviceRequest:
    return ask_advice(
        actor=c.alice.person.user,
        entity=c.entity,
        topic=kw.pop("topic", "tax"),
        subject="VAT on a foreign client",
        body="My client is in Germany: do I charge VAT?",
        **kw,
    )


def test_a_request_stores_its_checked_file_under_the_private_root(be: Coop, settings: Any) -> None:
    request = ask(be, files=[checked_file("invoice.pdf", PDF)])
    stored = AdviceAttachment.objects.get(message__request=request)
    assert stored.content_type == "application/pdf"
    assert (Path(settings.MEDIA_ROOT) / stored.path).read_bytes() == PDF


def test_a_file_is_judged_by_its_content_not_its_name() -> None:
    with pytest.raises(InvalidInput, match="not a PDF"):
        checked_file("photo.jpg", b"<html><script>alert(1)</script>")
    with pytest.raises(InvalidInput, match="10 MB"):
        checked_file("big.pdf", b"%PDF-" + b"0" * MAX_BYTES)
    assert checked_file("scan.pdf", b"\xff\xd8\xff\xe0 jfif").content_type == "image/jpeg"


def test_only_the_member_and_the_entitys_advisers_see_a_request(be: Coop) -> None:
    request = ask(be)
    assert access_advice(be.staff, request.pk) == request
    with pytest.raises(NotFound):
        access_advice(be.bob.person.user, request.pk)
    other = coop("FR")
    with pytest.raises(NotFound):
        access_advice(other.staff, request.pk)
    with pytest.raises(AccessDenied):
        reply_advice(actor=be.bob.person.user, request=request, body="Me too")


def test_the_first_staff_answer_stops_the_clock_and_the_queue_shows_overdue(be: Coop) -> None:
    set_advice_target(actor=be.staff, entity=be.entity, topic="social", hours=24)
    late = ask(be, topic="social", now=timezone.now() - dt.timedelta(hours=30))
    fresh = ask(be, topic="legal")
    assert [(q.request.pk, q.overdue) for q in staff_queue(be.entity)] == [
        (late.pk, True),
        (fresh.pk, False),
    ]
    assign_advice(actor=be.staff, request=late, adviser=be.staff)
    reply_advice(actor=be.staff, request=late, body="You are covered by ...")
    late.refresh_from_db()
    assert late.status == "answered" and late.first_response_at is not None
    assert not staff_queue(be.entity)[0].overdue


def test_an_adviser_of_another_entity_cannot_be_assigned(be: Coop) -> None:
    request = ask(be)
    with pytest.raises(InvalidInput):
        assign_advice(actor=be.staff, request=request, adviser=make_staff(None, "accountant"))


def test_satisfaction_is_rated_once_after_closing(be: Coop) -> None:
    request = ask(be)
    with pytest.raises(StateConflict):
        rate_advice(actor=be.alice.person.user, request=request, rating=5)
    close_advice(actor=be.alice.person.user, request=request)
    with pytest.raises(AccessDenied):
        rate_advice(actor=be.bob.person.user, request=request, rating=1)
    with pytest.raises(InvalidInput):
        rate_advice(actor=be.alice.person.user, request=request, rating=6)
    rate_advice(actor=be.alice.person.user, request=request, rating=4, comment="Clear")
    with pytest.raises(StateConflict):
        rate_advice(actor=be.alice.person.user, request=request, rating=5)
    with pytest.raises(StateConflict):
        reply_advice(actor=be.alice.person.user, request=request, body="One more thing")


def test_indicators_count_answers_within_target_and_average_ratings(be: Coop) -> None:
    on_time, late = ask(be), ask(be, now=timezone.now() - dt.timedelta(days=10))
    for request in (on_time, late):
        reply_advice(actor=be.staff, request=request, body="Answer")
        close_advice(actor=be.alice.person.user, request=request)
    rate_advice(actor=be.alice.person.user, request=on_time, rating=5)
    rate_advice(actor=be.alice.person.user, request=late, rating=2)
    tax = next(i for i in advice_indicators(be.entity) if i.topic == "tax")
    assert (tax.asked, tax.answered, tax.on_time, tax.rated) == (2, 2, 1, 2)
    assert tax.average_rating == Decimal("3.5")


def test_the_back_office_counts_what_waits_for_an_answer(be: Coop) -> None:
    answered, waiting = ask(be), ask(be)
    reply_advice(actor=be.staff, request=answered, body="Answer")
    assert list(advice_waiting(be.staff)) == [waiting]
    assert not advice_waiting(be.alice.person.user).exists()
    assert not advice_waiting(coop("FR").staff).exists()

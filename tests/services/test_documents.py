"""Certificates: PDFs that say who, what and when, refused before attendance is known."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from mutua.core.errors import StateConflict
from mutua.services.actions.insurance import add_policy, join_policy
from mutua.services.actions.training import enrol, record_attendance, schedule_session
from mutua.services.documents import attendance_context, certificate_pdf, cover_context
from tests.services.conftest import Coop, later


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_attendance_certificate_names_the_member_the_training_and_its_length(
    be: Coop,
) -> None:
    session = schedule_session(
        actor=be.staff,
        entity=be.entity,
        topic="Copyright for makers",
        trainer="Sofia Lind",
        starts_at=later(days=2),
        ends_at=later(days=2) + dt.timedelta(hours=3, minutes=30),
        capacity=3,
        price=Decimal("0"),
        online_url="https://meet.example/copyright",
    )
    seat = enrol(actor=be.alice.person.user, session=session)
    with pytest.raises(StateConflict):
        attendance_context(seat)
    record_attendance(actor=be.staff, session=session, present={seat.pk}, now=session.ends_at)
    seat.refresh_from_db()
    text = text_of(certificate_pdf(attendance_context(seat)))
    assert be.alice.person.full_name in text
    assert "Copyright for makers" in text and "Sofia Lind" in text and "3.5" in text


def test_the_cover_certificate_gives_the_policy_and_its_dates(be: Coop) -> None:
    policy = add_policy(
        actor=be.staff,
        entity=be.entity,
        name="Equipment all risks",
        covers="Cameras and instruments",
        insurer="Mutual Insurance Co-op",
        policy_number="BE-EQ-7",
        annual_premium=Decimal("96.00"),
    )
    cover = join_policy(actor=be.alice.person.user, policy=policy, activity=be.alice_activity)
    text = text_of(certificate_pdf(cover_context(cover, be.alice.person)))
    assert "BE-EQ-7" in text and be.alice_activity.number in text
    assert str(cover.ends_on.year) in text

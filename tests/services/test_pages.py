"""Services pages: members reach only their own things (forged ids give 404 and change
nothing), staff pages check the role for the entity, documents and files are served guarded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutua.core.errors import AccessDenied, StateConflict
from mutua.core.permissions import Role
from mutua.services.actions.advice import ask_advice
from mutua.services.actions.insurance import add_policy, join_policy
from mutua.services.actions.training import enrol, record_attendance, schedule_session
from mutua.services.models import AdviceRequest, Booking, Enrolment, Loan
from mutua.services.uploads import checked_file
from tests.conftest import make_staff
from tests.services.conftest import Coop, budget, coop, later, make_resource
from tests.services.test_workspace import book

PDF = b"%PDF-1.7\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_every_member_page_renders(be: Coop, client_for: Any) -> None:
    studio = make_resource(be)
    client = client_for(be.alice.person.user)
    for name, args in [
        ("home", []),
        ("resources", []),
        ("resource", [studio.pk]),
        ("bookings", []),
        ("sessions", []),
        ("loans", []),
        ("loan_request", []),
        ("policies", []),
        ("advice_list", []),
        ("advice_new", []),
    ]:
        assert client.get(reverse(f"services:{name}", args=args)).status_code == 200, name


def test_a_member_books_through_the_page_and_sees_the_charge(be: Coop, client_for: Any) -> None:
    studio = make_resource(be)
    start = later()
    response = client_for(be.alice.person.user).post(
        reverse("services:resource", args=[studio.pk]),
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "activity": be.alice_activity.pk,
        },
    )
    assert response.status_code == 302
    assert budget(be.alice_activity) == Decimal("980.00")


def test_a_forged_activity_in_the_booking_form_is_refused(be: Coop, client_for: Any) -> None:
    studio = make_resource(be)
    start = later()
    response = client_for(be.bob.person.user).post(
        reverse("services:resource", args=[studio.pk]),
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "activity": be.alice_activity.pk,
        },
    )
    assert response.status_code == 400 and "activity" in response.context["form"].errors
    assert not Booking.objects.exists()


def test_bob_gets_404_for_alices_things_and_nothing_changes(be: Coop, client_for: Any) -> None:
    booking = book(be, make_resource(be), start=later(days=5))
    asked = ask_advice(
        actor=be.alice.person.user,
        entity=be.entity,
        topic="legal",
        subject="Contract",
        body="Please read",
        files=[checked_file("contract.pdf", PDF)],
    )
    attachment = asked.messages.get().files.get()
    bob = client_for(be.bob.person.user)
    post_404 = [
        reverse("services:cancel_booking", args=[booking.pk]),
        reverse("services:advice_close", args=[asked.pk]),
    ]
    for url in post_404:
        assert bob.post(url).status_code == 404, url
    get_404 = [
        reverse("services:advice", args=[asked.pk]),
        reverse("services:advice_file", args=[attachment.pk]),
        reverse("services:advice", args=[999999]),
        reverse("services:loan", args=[999999]),
        reverse("services:cover_certificate", args=[999999]),
    ]
    for url in get_404:
        assert bob.get(url).status_code == 404, url
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"
    asked.refresh_from_db()
    assert asked.status == "new"


def test_the_owner_and_the_adviser_download_the_file(be: Coop, client_for: Any) -> None:
    asked = ask_advice(
        actor=be.alice.person.user,
        entity=be.entity,
        topic="legal",
        subject="Contract",
        body="Please read",
        files=[checked_file("contract.pdf", PDF)],
    )
    attachment = asked.messages.get().files.get()
    url = reverse("services:advice_file", args=[attachment.pk])
    for user in (be.alice.person.user, be.staff):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")


def test_an_upload_that_is_not_what_it_claims_is_refused_on_the_page(
    be: Coop, client_for: Any
) -> None:
    response = client_for(be.alice.person.user).post(
        reverse("services:advice_new"),
        {
            "entity": be.entity.pk,
            "topic": "tax",
            "subject": "VAT",
            "body": "Question",
            "attachments": [SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf")],
        },
    )
    assert response.status_code == 400
    assert "not a PDF" in str(response.context["form"].errors)
    assert not AdviceRequest.objects.exists()


def test_staff_pages_check_the_role_for_the_entity(be: Coop, client_for: Any) -> None:
    other = coop("FR")
    adviser = client_for(be.staff)
    for name in (
        "staff_workspace",
        "staff_training",
        "staff_insurance",
        "staff_advice",
        "staff_loans",
    ):
        assert adviser.get(reverse(f"services:{name}", args=[be.entity.pk])).status_code == 200
        assert adviser.get(reverse(f"services:{name}", args=[other.entity.pk])).status_code == 404
    assert adviser.get(reverse("services:staff_home")).status_code == 200
    member = client_for(be.alice.person.user)
    assert member.get(reverse("services:staff_workspace", args=[be.entity.pk])).status_code == 403
    accountant = client_for(make_staff(be.entity, Role.ACCOUNTANT))
    assert accountant.get(reverse("services:staff_loans", args=[be.entity.pk])).status_code == 200
    assert accountant.get(reverse("services:staff_advice", args=[be.entity.pk])).status_code == 404


def test_staff_disburse_a_requested_loan_from_its_page(be: Coop, client_for: Any) -> None:
    client_for(be.alice.person.user).post(
        reverse("services:loan_request"),
        {
            "activity": be.alice_activity.pk,
            "kind": "bridge",
            "principal": "500.00",
            "months": "5",
            "method": "linear",
            "purpose": "Waiting for a grant",
        },
    )
    loan = Loan.objects.get()
    response = client_for(be.staff).post(
        reverse("services:staff_loan", args=[loan.pk]), {"decision": "disburse"}
    )
    assert response.status_code == 302
    assert budget(be.alice_activity) == Decimal("1500.00")
    page = client_for(be.alice.person.user).get(reverse("services:loan", args=[loan.pk]))
    assert page.status_code == 200 and len(page.context["schedule"]) == 5
    staff_page = client_for(be.staff).get(reverse("services:staff_loan", args=[loan.pk]))
    assert staff_page.status_code == 200


def test_certificates_are_pdfs_for_their_holder_only(be: Coop, client_for: Any) -> None:
    session = schedule_session(
        actor=be.staff,
        entity=be.entity,
        topic="Contracts",
        trainer="Tom",
        starts_at=later(days=2),
        ends_at=later(days=2) + dt.timedelta(hours=2),
        capacity=5,
        price=Decimal("0"),
        online_url="https://meet.example/x",
    )
    seat = enrol(actor=be.alice.person.user, session=session)
    record_attendance(actor=be.staff, session=session, present={seat.pk}, now=session.ends_at)
    staff_page = client_for(be.staff).get(reverse("services:staff_session", args=[session.pk]))
    assert staff_page.status_code == 200
    url = reverse("services:attendance_certificate", args=[seat.pk])
    response = client_for(be.alice.person.user).get(url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert client_for(be.bob.person.user).get(url).status_code == 404
    policy = add_policy(
        actor=be.staff,
        entity=be.entity,
        name="Equipment",
        covers="Cameras",
        insurer="Insurer",
        policy_number="P-1",
        annual_premium=Decimal("50.00"),
    )
    cover = join_policy(actor=be.alice.person.user, policy=policy, activity=be.alice_activity)
    url = reverse("services:cover_certificate", args=[cover.pk])
    assert client_for(be.alice.person.user).get(url).content.startswith(b"%PDF")
    assert client_for(be.bob.person.user).get(url).status_code == 404
    assert Enrolment.objects.get(pk=seat.pk).attended is True


def test_a_member_of_another_entity_sees_none_of_this_ones_services(
    be: Coop, client_for: Any
) -> None:
    studio = make_resource(be)
    session = schedule_session(
        actor=be.staff,
        entity=be.entity,
        topic="Contracts",
        trainer="Tom",
        starts_at=later(days=2),
        ends_at=later(days=2) + dt.timedelta(hours=2),
        capacity=5,
        price=Decimal("0"),
        online_url="https://meet.example/x",
    )
    stranger = coop("FR").alice.person.user
    client = client_for(stranger)
    assert client.get(reverse("services:resource", args=[studio.pk])).status_code == 404
    assert client.get(reverse("services:session", args=[session.pk])).status_code == 404
    assert client.post(reverse("services:session", args=[session.pk])).status_code == 404
    assert client.get(reverse("services:resources")).context["resources"].count() == 0
    with pytest.raises(AccessDenied):
        enrol(actor=stranger, session=session)
    assert not Enrolment.objects.exists()


def test_the_advice_conversation_through_the_pages(be: Coop, client_for: Any) -> None:
    alice, adviser = client_for(be.alice.person.user), client_for(be.staff)
    asked = alice.post(
        reverse("services:advice_new"),
        {"entity": be.entity.pk, "topic": "legal", "subject": "Lease", "body": "Can I sublet?"},
    )
    item = AdviceRequest.objects.get()
    assert asked.url == reverse("services:advice", args=[item.pk])
    queue = adviser.get(reverse("services:staff_advice", args=[be.entity.pk]))
    assert [q.request for q in queue.context["queue"]] == [item]
    adviser.post(reverse("services:staff_assign", args=[item.pk]), {"adviser": be.staff.pk})
    adviser.post(
        reverse("services:advice", args=[item.pk]),
        {"body": "See the lease", "attachments": [SimpleUploadedFile("note.png", PNG)]},
    )
    alice.post(reverse("services:advice_close", args=[item.pk]))
    alice.post(reverse("services:advice_rate", args=[item.pk]), {"rating": "5"})
    item.refresh_from_db()
    assert (item.assigned_to, item.status, item.rating) == (be.staff, "closed", 5)
    assert item.messages.get(from_staff=True).files.get().content_type == "image/png"


def test_the_booking_form_shows_the_price_live(be: Coop, client_for: Any) -> None:
    studio = make_resource(be)
    start = later()
    url = reverse("services:price", args=[studio.pk])
    slot = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
    }
    alice = client_for(be.alice.person.user)
    assert "30.00 EUR" in alice.get(url, slot, headers={"HX-Request": "true"}).content.decode()
    assert "Choose the start" in alice.get(url, {"starts_at": "soon"}).content.decode()
    stranger = client_for(coop("FR").alice.person.user)
    assert stranger.get(url, slot).status_code == 404


def test_list_pages_cost_the_same_queries_for_one_row_or_many(be: Coop, client_for: Any) -> None:
    studio = make_resource(be)
    alice, adviser = client_for(be.alice.person.user), client_for(be.staff)
    pages = [
        (alice, reverse("services:bookings")),
        (adviser, reverse("services:staff_workspace", args=[be.entity.pk])),
    ]

    def costs() -> list[int]:
        counts = []
        for client, url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    book(be, studio, start=later(days=2))
    one = costs()
    for day in range(3, 8):
        book(be, studio, start=later(days=day))
    assert costs() == one


def test_staff_close_a_resource_and_a_member_cannot(be: Coop, client_for: Any) -> None:
    studio = make_resource(be)
    url = reverse("services:staff_toggle_resource", args=[studio.pk])
    assert client_for(be.alice.person.user).post(url).status_code == 403
    assert client_for(coop("FR").staff).post(url).status_code == 404
    client_for(be.staff).post(url)
    studio.refresh_from_db()
    assert studio.active is False
    with pytest.raises(StateConflict):
        book(be, studio, start=later())

"""Every upload refuses a file whose content lies about its type, a file over the limit and an
empty file, with an error the user reads, and stores nothing (no row, no audit event).

Uploads: bank statements, expense receipts (page and API), advice attachments, the ECB rates
file, assembly documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from mutua.banking.forms import MAX_FILE_BYTES
from mutua.banking.models import Statement
from mutua.core.models import AuditEvent
from mutua.core.permissions import Role
from mutua.expenses import actions as expense_actions
from mutua.expenses.models import Receipt
from mutua.expenses.receipts import MAX_RECEIPT_BYTES
from mutua.governance.assembly_actions import MAX_DOCUMENT_BYTES, create_assembly
from mutua.governance.models import AssemblyDocument
from mutua.members import actions as member_actions
from mutua.reporting.models import ExchangeRate
from mutua.services.actions.advice import ask_advice
from mutua.services.models import AdviceMessage
from mutua.services.uploads import MAX_BYTES as MAX_ADVICE_BYTES
from tests.conftest import login, make_member, make_staff
from tests.expenses.conftest import meal
from tests.ledger.conftest import books, make_activity, post, sale

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<html><body><script>alert(1)</script></body></html>"


def lying(name: str, content_type: str) -> SimpleUploadedFile:
    """A page with a script, named and declared as the expected type."""
    return SimpleUploadedFile(name, HTML, content_type=content_type)


def oversize(name: str, content_type: str, limit: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * limit, content_type=content_type)


def empty(name: str, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"", content_type=content_type)


@pytest.fixture
def world(db: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    entity = books("BE", years=(today.year,))
    staff = {role: make_staff(entity, role) for role in (Role.ADVISER, Role.ACCOUNTANT)}
    staff[Role.BOARD] = make_staff(entity, Role.BOARD)
    alice = make_member(entity)
    activity = make_activity(entity, holder=alice.person)
    post(sale(entity, "1000.00", on=today.replace(day=1), activity=activity))
    claim = expense_actions.create_claim(
        actor=alice.person.user,
        activity=activity,
        title="Tour",
        lines=[meal(on=today.replace(day=1))],
    )
    advice = ask_advice(
        actor=alice.person.user, entity=entity, topic="legal", subject="Clause", body="Fair?"
    )
    assembly = create_assembly(
        entity=entity,
        kind="ordinary",
        title="AG",
        acting_user=staff[Role.BOARD],
        starts_at=timezone.now() + dt.timedelta(days=30),
        place="Brussels",
    )
    return {
        "entity": entity,
        "staff": staff,
        "alice": alice,
        "claim": claim,
        "advice": advice,
        "assembly": assembly,
    }


def errors_shown(response: Any) -> list[str]:
    """What the user is told: form errors on the page, or error messages after a redirect."""
    shown: list[str] = []
    context = response.context or {}
    form = context.get("form") if hasattr(context, "get") else None
    if form is not None:
        shown += [str(e) for errors in form.errors.values() for e in errors]
    shown += [str(m) for m in context.get("messages", []) if "error" in m.tags]
    return shown


Upload = Callable[[SimpleUploadedFile], Any]


def refused(send: Upload, files: list[SimpleUploadedFile], count: Callable[[], int]) -> None:
    for upload in files:
        before, audits = count(), AuditEvent.objects.count()
        response = send(upload)
        assert response.status_code in (200, 400, 422), (upload.name, response.status_code)
        assert errors_shown(response), f"{upload.name}: refused without a word"
        assert (count(), AuditEvent.objects.count()) == (before, audits), upload.name


def test_bank_statements(world: dict[str, Any]) -> None:
    browser = login(Client(), world["staff"][Role.ACCOUNTANT])
    url = reverse("banking:entity", args=[world["entity"].pk])
    refused(
        lambda f: browser.post(url, {"file": f}),
        [
            SimpleUploadedFile("statement.xml", PNG, content_type="application/xml"),
            SimpleUploadedFile("statement.cod", HTML, content_type="text/plain"),
            oversize("statement.xml", "application/xml", MAX_FILE_BYTES),
            empty("statement.xml", "application/xml"),
        ],
        Statement.objects.count,
    )


def test_expense_receipts_on_the_page(world: dict[str, Any]) -> None:
    browser = login(Client(), world["alice"].person.user)
    url = reverse("expenses:upload", args=[world["claim"].pk])
    refused(
        lambda f: browser.post(url, {"file": f}, follow=True),
        [
            lying("ticket.pdf", "application/pdf"),
            SimpleUploadedFile("ticket.jpg", PNG, content_type="image/jpeg"),
            oversize("ticket.pdf", "application/pdf", MAX_RECEIPT_BYTES),
            empty("ticket.pdf", "application/pdf"),
        ],
        Receipt.objects.count,
    )


def test_expense_receipts_through_the_api(world: dict[str, Any]) -> None:
    token = member_actions.create_access_token(user=world["alice"].person.user, name="up")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    url = f"/api/v1/expense-claims/{world['claim'].pk}/receipts"
    for upload in (
        lying("ticket.pdf", "application/pdf"),
        oversize("ticket.pdf", "application/pdf", MAX_RECEIPT_BYTES),
        empty("ticket.pdf", "application/pdf"),
    ):
        before = Receipt.objects.count()
        response = api.post(url, {"file": upload})
        assert response.status_code in (400, 422), (upload.name, response.status_code)
        assert response.json().get("message") or response.json().get("detail")
        assert Receipt.objects.count() == before


def test_advice_attachments(world: dict[str, Any]) -> None:
    browser = login(Client(), world["alice"].person.user)
    url = reverse("services:advice", args=[world["advice"].pk])
    refused(
        lambda f: browser.post(url, {"body": "Here it is", "attachments": [f]}),
        [
            lying("contract.pdf", "application/pdf"),
            oversize("contract.pdf", "application/pdf", MAX_ADVICE_BYTES),
            empty("contract.pdf", "application/pdf"),
        ],
        AdviceMessage.objects.count,
    )


def test_exchange_rates(world: dict[str, Any]) -> None:
    browser = login(Client(), world["staff"][Role.ACCOUNTANT])
    refused(
        lambda f: browser.post(reverse("reporting:rates"), {"file": f}),
        [
            SimpleUploadedFile("eurofxref.csv", PNG, content_type="text/csv"),
            lying("eurofxref.csv", "text/csv"),
            empty("eurofxref.csv", "text/csv"),
        ],
        ExchangeRate.objects.count,
    )


def test_assembly_documents(world: dict[str, Any]) -> None:
    browser = login(Client(), world["staff"][Role.BOARD])
    url = reverse("governance:add_document", args=[world["assembly"].pk])
    refused(
        lambda f: browser.post(url, {"title": "Accounts", "file": f}, follow=True),
        [
            oversize("accounts.pdf", "application/pdf", MAX_DOCUMENT_BYTES),
            empty("accounts.pdf", "application/pdf"),
        ],
        AssemblyDocument.objects.count,
    )


def test_an_oversize_rates_file_is_refused_before_it_is_read() -> None:
    from mutua.reporting.forms import RatesUploadForm

    upload = SimpleUploadedFile("eurofxref-hist.csv", b"Date,USD\n", content_type="text/csv")
    upload.size = 200 * 1024 * 1024  # what the browser announced: the form must not read it
    assert not RatesUploadForm({}, MultiValueDict({"file": [upload]})).is_valid()


def test_an_assembly_document_that_lies_about_its_type_is_refused(world: dict[str, Any]) -> None:
    browser = login(Client(), world["staff"][Role.BOARD])
    url = reverse("governance:add_document", args=[world["assembly"].pk])
    refused(
        lambda f: browser.post(url, {"title": "Accounts", "file": f}, follow=True),
        [lying("accounts.pdf", "application/pdf")],
        AssemblyDocument.objects.count,
    )

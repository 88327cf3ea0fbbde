"""Expense pages: a member writes, follows and downloads only their own claims; an adviser
decides from the queue of their entity (htmx); forged ids get 404 and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutua.expenses.models import Claim, ClaimStatus, Receipt
from mutua.expenses.receipts import absolute
from tests.conftest import TOTP_SECRET
from tests.expenses.conftest import draft, image, other_entity, pdf, submitted

Browser = Callable[[Any], Any]


def _new_claim_data(activity_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Festival in December",
        "activity": activity_id,
        "refund_mode": "payout",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-date": "2025-12-10",
        "lines-0-category": "meals",
        "lines-0-description": "Lunch",
        "lines-0-amount": "24.20",
        "lines-0-vat_rate": "21",
        "lines-1-date": "2025-12-11",
        "lines-1-category": "mileage",
        "lines-1-description": "Liège - Namur",
        "lines-1-quantity": "100",
        **extra,
    }


def test_a_member_writes_a_claim_with_its_receipt_and_submits_it(
    world: dict[str, Any], client_for: Browser
) -> None:
    browser = client_for(world["alice"].person.user)
    assert browser.get(reverse("expenses:create")).status_code == 200
    photo = SimpleUploadedFile("IMG_2001.jpg", image("JPEG"), content_type="image/jpeg")
    response = browser.post(
        reverse("expenses:create"), _new_claim_data(world["activity"].pk, receipt=photo)
    )
    claim = Claim.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "expenses:detail", args=[claim.pk]
    )
    assert claim.total.to_eng_string() == "68.69" and claim.receipts.count() == 1
    page = browser.get(response.url).content.decode()
    assert "IMG_2001.jpg" in page and "44.49" in page
    browser.post(reverse("expenses:submit", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.reference in browser.get(reverse("expenses:list")).content.decode()


def test_a_fake_receipt_on_the_form_leaves_no_claim(
    world: dict[str, Any], client_for: Browser
) -> None:
    fake = SimpleUploadedFile("ticket.png", b"GIF89a not a png", content_type="image/png")
    response = client_for(world["alice"].person.user).post(
        reverse("expenses:create"), _new_claim_data(world["activity"].pk, receipt=fake)
    )
    assert response.status_code == 400 and "PDF, JPEG or PNG" in response.content.decode()
    assert not Claim.objects.exists() and not Receipt.objects.exists()


def test_bob_gets_404_on_alices_claim_and_receipts_and_changes_nothing(
    world: dict[str, Any], client_for: Browser
) -> None:
    claim = draft(world["alice"], world["activity"])
    receipt = claim.receipts.get()
    bob = client_for(world["bob"].person.user)
    for name in ("detail", "edit"):
        assert bob.get(reverse(f"expenses:{name}", args=[claim.pk])).status_code == 404
    assert bob.get(reverse("expenses:receipt", args=[receipt.pk])).status_code == 404
    for name in ("submit", "approve"):
        assert bob.post(reverse(f"expenses:{name}", args=[claim.pk])).status_code == 404
    upload = SimpleUploadedFile("x.pdf", pdf(), content_type="application/pdf")
    assert (
        bob.post(reverse("expenses:upload", args=[claim.pk]), {"file": upload}).status_code == 404
    )
    assert bob.get(reverse("expenses:detail", args=[999999])).status_code == 404
    assert bob.get(reverse("expenses:receipt", args=[999999])).status_code == 404
    assert claim.reference not in bob.get(reverse("expenses:list")).content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT and claim.receipts.count() == 1


def test_the_receipt_is_served_only_to_who_may_see_it_as_an_attachment(
    world: dict[str, Any], client_for: Browser
) -> None:
    claim = draft(world["alice"], world["activity"])
    receipt = claim.receipts.get()
    url = reverse("expenses:receipt", args=[receipt.pk])
    for user in (world["alice"].person.user, world["adviser"]):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    _, foreign = other_entity()
    assert client_for(foreign).get(url).status_code == 404


def test_the_adviser_approves_and_rejects_from_the_queue_with_htmx(
    world: dict[str, Any], client_for: Browser
) -> None:
    one = submitted(world["alice"], world["activity"])
    two = submitted(world["bob"], world["bob_activity"])
    adviser = client_for(world["adviser"])
    queue = adviser.get(reverse("expenses:queue")).content.decode()
    assert one.reference in queue and two.reference in queue
    row = adviser.post(reverse("expenses:approve", args=[one.pk]), HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and f'id="claim-{one.pk}"' in row.content.decode()
    refused = adviser.post(
        reverse("expenses:reject", args=[two.pk]), {"reason": "No receipt"}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 200 and "No receipt" in refused.content.decode()
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.status, two.status) == (ClaimStatus.APPROVED, ClaimStatus.REJECTED)


def test_an_adviser_of_another_entity_sees_no_claim_and_cannot_decide(
    world: dict[str, Any], client_for: Browser
) -> None:
    claim = submitted(world["alice"], world["activity"])
    _, foreign = other_entity()
    browser = client_for(foreign)
    assert claim.reference not in browser.get(reverse("expenses:queue")).content.decode()
    assert browser.post(reverse("expenses:approve", args=[claim.pk])).status_code == 404
    reject = reverse("expenses:reject", args=[claim.pk])
    assert browser.post(reject, {"reason": "x"}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_a_member_cannot_open_the_queue(world: dict[str, Any], client_for: Browser) -> None:
    assert client_for(world["alice"].person.user).get(reverse("expenses:queue")).status_code == 403


def test_a_member_edits_a_draft_and_removes_a_receipt(
    world: dict[str, Any], client_for: Browser, django_capture_on_commit_callbacks: Any
) -> None:
    claim = draft(world["alice"], world["activity"])
    receipt = claim.receipts.get()
    browser = client_for(world["alice"].person.user)
    page = browser.get(reverse("expenses:edit", args=[claim.pk]))
    assert page.status_code == 200 and "Lunch with the stage manager" in page.content.decode()
    data = _new_claim_data(world["activity"].pk, title="Renamed")
    assert browser.post(reverse("expenses:edit", args=[claim.pk]), data).status_code == 302
    claim.refresh_from_db()
    assert claim.title == "Renamed" and claim.lines.count() == 2
    stored = absolute(receipt.path)
    assert (
        client_for(world["bob"].person.user)
        .post(reverse("expenses:remove_receipt", args=[receipt.pk]))
        .status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("expenses:remove_receipt", args=[receipt.pk]))
    assert not claim.receipts.exists() and not stored.exists()


def test_the_adviser_decides_from_the_claims_page(
    world: dict[str, Any], client_for: Browser
) -> None:
    claim = submitted(world["alice"], world["activity"])
    adviser = client_for(world["adviser"])
    page = adviser.get(reverse("expenses:detail", args=[claim.pk])).content.decode()
    assert reverse("expenses:reject", args=[claim.pk]) in page
    mine = client_for(world["alice"].person.user).get(reverse("expenses:detail", args=[claim.pk]))
    assert reverse("expenses:reject", args=[claim.pk]) not in mine.content.decode()
    adviser.post(reverse("expenses:reject", args=[claim.pk]), {"reason": "Private trip"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert (
        "Private trip"
        in client_for(world["alice"].person.user)
        .get(reverse("expenses:detail", args=[claim.pk]))
        .content.decode()
    )


def test_an_administrator_sets_the_rules_in_the_admin(
    world: dict[str, Any], client_for: Browser
) -> None:
    root = get_user_model().objects.create_superuser("root", "root@example.test", "x")
    TOTP.activate(root, TOTP_SECRET)  # staff pages need a second factor
    browser = client_for(root)
    for name in ("expenserules", "approvallimit", "claim"):
        assert browser.get(f"/admin/expenses/{name}/").status_code == 200
    assert browser.get("/admin/expenses/claim/add/").status_code == 403


def test_a_refusal_shows_in_the_queue_row(world: dict[str, Any], client_for: Browser) -> None:
    claim = submitted(world["alice"], world["activity"])
    row = client_for(world["adviser"]).post(
        reverse("expenses:reject", args=[claim.pk]), {"reason": " "}, HTTP_HX_REQUEST="true"
    )
    assert row.status_code == 200 and "say why the claim is refused" in row.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED

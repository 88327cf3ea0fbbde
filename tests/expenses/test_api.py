"""The expenses API: the member's claims only, the same actions and refusals as the pages."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as Browser

from mutua.expenses.models import Claim, ClaimStatus
from mutua.members import actions as member_actions
from tests.expenses.conftest import draft, other_entity, pdf

JSON = "application/json"


def api_client(user: Any) -> Browser:
    _token, plaintext = member_actions.create_access_token(user=user, name="api")
    return Browser(headers={"Authorization": f"Bearer {plaintext}"})


def _claim(activity_id: int, amount: str = "24.20") -> dict[str, Any]:
    return {
        "activity_id": activity_id,
        "title": "Tour",
        "lines": [
            {
                "date": "2025-12-10",
                "category": "meals",
                "description": "Lunch",
                "amount": amount,
                "vat_rate": "21",
            },
            {"date": "2025-12-11", "category": "mileage", "description": "Trip", "quantity": "10"},
        ],
    }


def test_a_member_claims_attaches_submits_and_an_adviser_approves(world: dict[str, Any]) -> None:
    api = api_client(world["alice"].person.user)
    created = api.post("/api/v1/expense-claims", _claim(world["activity"].pk), content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["total"] == "28.65" and body["status"] == "draft" and len(body["lines"]) == 2
    claim_id = body["id"]
    upload = SimpleUploadedFile("t.pdf", pdf(), content_type="application/pdf")
    attached = api.post(f"/api/v1/expense-claims/{claim_id}/receipts", {"file": upload})
    assert attached.status_code == 201 and attached.json()["content_type"] == "application/pdf"
    assert api.post(f"/api/v1/expense-claims/{claim_id}/submit").json()["status"] == "submitted"
    adviser = api_client(world["adviser"])
    approved = adviser.post(f"/api/v1/expense-claims/{claim_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_bad_input_gets_a_clear_error_and_nothing_is_written(world: dict[str, Any]) -> None:
    api = api_client(world["alice"].person.user)
    late = _claim(world["activity"].pk)
    late["lines"][0]["date"] = "2024-06-01"
    refused = api.post("/api/v1/expense-claims", late, content_type=JSON)
    assert refused.status_code == 422
    assert refused.json()["field"] == "date" and "claimed by" in refused.json()["message"]
    fake = SimpleUploadedFile("t.pdf", b"not a pdf", content_type="application/pdf")
    claim = draft(world["alice"], world["activity"], receipt=False)
    bad = api.post(f"/api/v1/expense-claims/{claim.pk}/receipts", {"file": fake})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_input"
    assert Claim.objects.count() == 1 and not claim.receipts.exists()


def test_bob_and_foreign_staff_never_see_or_touch_alices_claims(world: dict[str, Any]) -> None:
    claim = draft(world["alice"], world["activity"])
    bob = api_client(world["bob"].person.user)
    assert bob.get("/api/v1/expense-claims").json() == []
    for call in (
        bob.get(f"/api/v1/expense-claims/{claim.pk}"),
        bob.post(f"/api/v1/expense-claims/{claim.pk}/submit"),
        bob.post("/api/v1/expense-claims", _claim(world["activity"].pk), content_type=JSON),
    ):
        assert call.status_code == 404
    alice = api_client(world["alice"].person.user)
    alice.post(f"/api/v1/expense-claims/{claim.pk}/submit")
    _, foreign = other_entity()
    outsider = api_client(foreign)
    assert outsider.get("/api/v1/expense-claims").json() == []
    assert outsider.post(f"/api/v1/expense-claims/{claim.pk}/approve").status_code == 404
    rejected = outsider.post(
        f"/api/v1/expense-claims/{claim.pk}/reject", {"reason": "x"}, content_type=JSON
    )
    assert rejected.status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert api_client(world["adviser"]).get("/api/v1/expense-claims").json()[0]["id"] == claim.pk


def test_the_endpoints_are_in_the_openapi_schema(world: dict[str, Any]) -> None:
    schema = api_client(world["alice"].person.user).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ("", "/{claim_id}", "/{claim_id}/receipts", "/{claim_id}/approve"):
        assert f"/api/v1/expense-claims{path}" in paths

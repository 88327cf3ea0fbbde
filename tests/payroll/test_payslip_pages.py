"""Payslips for members (own ones only, PDF in their language) and the staff run pages."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from mutua.core.permissions import Role
from mutua.payroll.actions import run_payroll
from mutua.payroll.documents import payslip_pdf
from mutua.payroll.models import PayrollRun, Payslip
from tests.conftest import login, make_entity, make_staff
from tests.payroll.conftest import APRIL


@pytest.fixture
def paid(payroll_be: dict[str, Any]) -> dict[str, Any]:
    first, second, _ = payroll_be["people"]
    first.preferred_language = "fr"
    first.save()
    run_payroll(entity=payroll_be["entity"], period=APRIL)
    return {
        **payroll_be,
        "alice": first,
        "bob": second,
        "alice_slip": Payslip.objects.get(person=first),
        "bob_slip": Payslip.objects.get(person=second),
    }


def test_a_member_lists_and_opens_only_her_own_payslips(paid: dict[str, Any]) -> None:
    alice = login(Client(), paid["alice"].user)
    listing = alice.get(reverse("payroll:payslips")).content.decode()
    assert reverse("payroll:payslip", args=[paid["alice_slip"].pk]) in listing
    assert reverse("payroll:payslip", args=[paid["bob_slip"].pk]) not in listing
    assert alice.get(reverse("payroll:payslip", args=[paid["alice_slip"].pk])).status_code == 200
    # Forged ids: another member's payslip, and one that does not exist, are both "not found".
    for forged in (paid["bob_slip"].pk, 999_999):
        assert alice.get(reverse("payroll:payslip", args=[forged])).status_code == 404
        assert alice.get(reverse("payroll:payslip_pdf", args=[forged])).status_code == 404


def test_bob_cannot_open_alices_payslip_either(paid: dict[str, Any]) -> None:
    bob = login(Client(), paid["bob"].user)
    assert bob.get(reverse("payroll:payslip", args=[paid["alice_slip"].pk])).status_code == 404
    assert bob.get(reverse("payroll:payslip", args=[paid["bob_slip"].pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(paid: dict[str, Any]) -> None:
    response = Client().get(reverse("payroll:payslip", args=[paid["alice_slip"].pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_pdf_payslip_speaks_the_members_language(paid: dict[str, Any]) -> None:
    pdf = payslip_pdf(paid["alice_slip"])
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Fiche de paie" in text and "avril 2026" in text
    assert "Salaire brut" in text and "Cotisation personnelle ONSS" in text
    assert "Payslip" not in text


def test_a_payroll_officer_launches_follows_and_closes_a_run(
    payroll_be: dict[str, Any],
) -> None:
    officer = login(Client(), make_staff(payroll_be["entity"], Role.PAYROLL_OFFICER))
    response = officer.post(
        reverse("payroll:runs"), {"entity": payroll_be["entity"].pk, "period": "2026-04"}
    )
    run = PayrollRun.objects.get()
    assert response["Location"] == reverse("payroll:run", args=[run.pk])
    page = officer.get(response["Location"]).content.decode()
    assert 'hx-trigger="load"' in page  # the page advances the run itself
    fragment = officer.post(reverse("payroll:run_advance", args=[run.pk])).content.decode()
    assert "2 paid" in fragment and 'hx-trigger="load"' not in fragment
    officer.post(reverse("payroll:run_close", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == "closed"


def test_officers_of_another_entity_do_not_see_the_run(payroll_be: dict[str, Any]) -> None:
    run = run_payroll(entity=payroll_be["entity"], period=APRIL)
    stranger = login(Client(), make_staff(make_entity("BX"), Role.PAYROLL_OFFICER))
    assert stranger.get(reverse("payroll:run", args=[run.pk])).status_code == 404
    slip = Payslip.objects.first()
    assert slip is not None
    assert stranger.get(reverse("payroll:payslip", args=[slip.pk])).status_code == 404

"""Annual documents: figures add up the stored payslips and copyright payments; members see
only their own, payroll officers those of their entity."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D
from io import StringIO
from typing import Any

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from mutua.core.errors import InvalidInput
from mutua.core.permissions import Role
from mutua.payroll.actions import close_run, run_payroll
from mutua.payroll.annual import annual_document, annual_documents
from mutua.payroll.copyright import approve_copyright_payment, request_copyright_payment
from mutua.payroll.models import PayrollRun, Payslip
from tests.conftest import login, make_staff
from tests.ledger.conftest import books
from tests.payroll.conftest import APRIL, day_contracts

MAY = dt.date(2026, 5, 1)


@pytest.fixture
def year(payroll_be: dict[str, Any]) -> dict[str, Any]:
    """April paid in two runs for Alice (a late contract), May for Carol; Alice has copyright."""
    entity = payroll_be["entity"]
    alice, bob, carol = payroll_be["people"]
    alice.preferred_language = "fr"
    alice.save()
    close_run(run=run_payroll(entity=entity, period=APRIL))
    day_contracts(alice, payroll_be["activities"][0], ["300.00"], first=dt.date(2026, 4, 20))
    run_payroll(entity=entity, period=APRIL)
    run_payroll(entity=entity, period=MAY)
    adviser = make_staff(entity, Role.ADVISER)
    for gross in ("1000.00", "400.00"):
        payment = request_copyright_payment(
            acting_user=alice.user,
            activity=payroll_be["activities"][0],
            gross=D(gross),
            work="Songs",
            on=dt.date(2026, 6, 1),
        )
        approve_copyright_payment(acting_user=adviser, payment=payment, on=dt.date(2026, 6, 2))
    return {**payroll_be, "alice": alice, "bob": bob, "carol": carol}


def test_form_281_10_adds_up_the_years_payslips(year: dict[str, Any]) -> None:
    entity, alice = year["entity"], year["alice"]
    assert PayrollRun.objects.filter(period=APRIL).count() == 2
    slips = Payslip.objects.filter(entity=entity, person=alice)
    sums = slips.aggregate(g=Sum("gross"), t=Sum("withholding_tax"), n=Sum("net"))
    form = annual_document(entity, 2026, "281.10", alice.pk).figures
    assert (form["gross"], form["withholding_tax"], form["net"]) == (
        sums["g"],
        sums["t"],
        sums["n"],
    )
    # The fiscal work bonus is the month's, read from its last payslip (month-to-date lines).
    last = slips.order_by("id").last()
    assert last is not None
    fiscal = next(D(row[4]) for row in last.lines if row[0] == "fiscal_work_bonus")
    assert form["fiscal_work_bonus"] == fiscal
    everyone = annual_documents(entity, 2026, "281.10")
    assert {d.beneficiary.person_id for d in everyone} == {p.pk for p in year["people"]}
    total = sum((d.figures["gross"] for d in everyone), D(0))
    assert total == Payslip.objects.filter(entity=entity).aggregate(g=Sum("gross"))["g"]


def test_form_281_45_and_the_certificate(year: dict[str, Any]) -> None:
    entity, alice = year["entity"], year["alice"]
    form = annual_document(entity, 2026, "281.45", alice.pk).figures
    # 1,400 in the year: costs 700 (50 % bracket), withholding 15 % of 700 = 105.
    assert form == {
        "gross": D("1400.00"),
        "flat_costs": D("700.00"),
        "taxable": D("700.00"),
        "withholding": D("105.00"),
        "net": D("1295.00"),
    }
    certificate = annual_document(entity, 2026, "certificate", alice.pk)
    assert len(certificate.contracts) == 4 and certificate.figures["days"] == D("4")
    assert [m["month"] for m in certificate.months] == [APRIL]
    with pytest.raises(InvalidInput, match="does not issue"):
        annual_documents(books("FR", years=(2026,)), 2026, "281.10")


def test_members_open_only_their_own_documents(year: dict[str, Any]) -> None:
    entity, alice, bob = year["entity"], year["alice"], year["bob"]
    own = reverse("payroll:annual", args=[entity.pk, 2026, "281.10", alice.pk])
    theirs = reverse("payroll:annual", args=[entity.pk, 2026, "281.10", bob.pk])
    as_alice = login(Client(), alice.user)
    listing = as_alice.get(reverse("payroll:annual_list")).content.decode()
    assert own in listing and theirs not in listing
    assert as_alice.get(own).status_code == 200
    for forged in (theirs, own.replace(f"/{alice.pk}/", "/999999/"), own.replace("2026", "2019")):
        assert as_alice.get(forged).status_code == 404
        assert as_alice.get(forged + "pdf/").status_code == 404
    response = as_alice.get(own + "pdf/")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert response["Content-Type"] == "application/pdf"
    assert "Fiche fiscale 281.10" in text and "Précompte professionnel" in text


def test_payroll_officers_see_their_entitys_documents_only(year: dict[str, Any]) -> None:
    entity, bob = year["entity"], year["bob"]
    url = reverse("payroll:annual", args=[entity.pk, 2026, "281.10", bob.pk])
    officer = login(Client(), make_staff(entity, Role.PAYROLL_OFFICER))
    assert officer.get(url).status_code == 200
    page = officer.get(reverse("payroll:annual_list"), {"entity": entity.pk, "year": 2026})
    assert bob.full_name in page.content.decode()
    stranger = login(Client(), make_staff(books("FR", years=(2026,)), Role.PAYROLL_OFFICER))
    assert stranger.get(url).status_code == 404
    listing = stranger.get(reverse("payroll:annual_list"), {"entity": entity.pk, "year": 2026})
    assert listing.status_code == 404


def test_the_command_prints_the_documents_as_json(year: dict[str, Any], tmp_path: Any) -> None:
    out = StringIO()
    call_command("payroll", "annual", "--entity", "BE", "--year", "2026", "--json", stdout=out)
    documents = json.loads(out.getvalue())
    assert len(documents) == 3 and documents[0]["kind"] == "281.10"
    assert all(isinstance(d["figures"]["gross"], str) for d in documents)
    pdf = tmp_path / "281.45.pdf"
    call_command(
        "payroll",
        *("annual", "--entity", "BE", "--year", "2026", "--kind", "281.45"),
        *("--person", str(year["alice"].pk), "-o", str(pdf)),
        stdout=StringIO(),
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="does not issue"):
        call_command("payroll", "annual", "--entity", "BE", "--year", "2026", "--kind", "x")


def test_the_french_annual_statement_adds_up_the_csg_lines(
    db: Any, settings: Any, tmp_path: Any
) -> None:
    from mutua.contracts.actions import make_monthly_contract
    from tests.conftest import make_member
    from tests.ledger.conftest import make_activity, post, sale

    settings.MUTUA_DECLARATION_OUTBOX = str(tmp_path / "outbox")
    entity = books("FR", years=(2026,))
    person = make_member(entity).person
    activity = make_activity(entity, holder=person)
    post(
        sale(
            entity, "9000.00", on=dt.date(2026, 1, 5), activity=activity, codes=("411000", "706000")
        )
    )
    make_monthly_contract(
        acting_user=None,
        person=person,
        activity=activity,
        start=dt.date(2026, 1, 1),
        monthly_work_budget=D("2500.00"),
    )
    for month in (1, 2):
        run_payroll(entity=entity, period=dt.date(2026, month, 1))
    slips = list(Payslip.objects.filter(person=person))
    statement = annual_document(entity, 2026, "fr-annual", person.pk).figures
    assert len(slips) == 2 and statement["gross"] == sum(s.gross for s in slips)
    assert statement["taxable"] == sum(s.taxable for s in slips)
    crds = sum(-D(row[4]) for s in slips for row in s.lines if row[0] == "crds")
    assert statement["crds"] == crds > 0
    net = statement["gross"] - statement["employee_contributions"]
    assert statement["net"] == net
    assert statement["taxable"] == net + statement["csg_non_deductible"] + statement["crds"]

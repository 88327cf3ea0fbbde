"""The money loop through the pages, as its people click through it in a real browser.

A member signs up and is approved; opens an activity, adds a client and sends an order form; the
client confirms through the signed link; an adviser validates and the invoice is issued; an
accountant imports the bank statement that pays it; a payroll officer runs the month's payroll;
the member reads the payslip and the dashboard. The ORM only sets up the entity and its staff and
reads results.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from mutua.core.permissions import Role
from mutua.demo.identifiers import be_national_number, iban
from mutua.invoicing.models import Invoice
from mutua.members.models import Membership
from mutua.payroll.models import Payslip
from tests.banking.conftest import coda, ogm, paid, statement
from tests.conftest import PASSWORD, make_staff
from tests.e2e.people import sign_in
from tests.ledger.conftest import books

pytestmark = pytest.mark.django_db(transaction=True)

NEWCOMER = "ada.lovelace@example.test"
CLIENT_EMAIL = "booking@theatre-namur.test"


@pytest.fixture
def cooperative(transactional_db: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MUTUA_DECLARATION_OUTBOX = str(tmp_path / "declarations")
    entity = books("BE", years=(timezone.localdate().year,))
    entity.order_forms_need_validation = True
    entity.save()
    return {
        "entity": entity,
        "adviser": make_staff(entity, Role.ADVISER),
        "accountant": make_staff(entity, Role.ACCOUNTANT),
        "payroll": make_staff(entity, Role.PAYROLL_OFFICER),
    }


def sign_up(browse: Any, page: Any) -> None:
    page.goto("/accounts/signup/")
    browse.shot(page, "signup")
    page.get_by_label(re.compile("e-?mail", re.I)).first.fill(NEWCOMER)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form").filter(has=page.locator("input[name=password1]")).locator(
        "button[type=submit]"
    ).click()
    expect(page.locator("body")).to_contain_text(re.compile("verif", re.I))
    link = mailed_link(NEWCOMER, r"/accounts/confirm-email/\S+/")
    page.goto(link)
    browse.shot(page, "confirm-email")
    page.locator("main form button[type=submit]").first.click()


def mailed_link(to: str, path: str) -> str:
    """The link of the last e-mail sent to `to` (the site's mail goes to Django's outbox)."""
    (message, *_) = [m for m in reversed(mail.outbox) if to in m.to]
    found = re.search(r"https?://[^/\s]+" + path, str(message.body))
    assert found, message.body
    return found.group(0)


def apply(browse: Any, page: Any) -> None:
    sign_in(page, NEWCOMER)
    page.goto("/portal/join/")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Birth date").fill("1985-03-14")
    page.get_by_label("National number").fill(be_national_number(dt.date(1985, 3, 14), 7))
    page.get_by_label("Bank account (IBAN)").fill(iban("BE", random.Random(7)))
    browse.shot(page, "apply")
    page.get_by_role("button", name="Send my application").click()
    expect(page.locator("main")).to_contain_text(re.compile("adviser", re.I))
    browse.shot(page, "applied")


def approve(browse: Any, adviser: Any) -> None:
    adviser.goto("/backoffice/applications/")
    row = adviser.locator("tr", has_text="Lovelace")
    expect(row).to_be_visible()
    browse.shot(adviser, "applications")
    row.get_by_role("button", name="Approve").click()
    expect(adviser.locator("main")).to_contain_text(re.compile("approved|active", re.I))
    browse.shot(adviser, "approved")


def open_activity(browse: Any, page: Any) -> None:
    page.goto("/portal/activities/open/")
    page.get_by_label("Name").fill("Studio Lovelace")
    page.get_by_label("Sector").fill("music")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Studio Lovelace")
    browse.shot(page, "activity")


def add_client(browse: Any, page: Any) -> None:
    page.goto("/portal/clients/add/")
    page.get_by_label("Kind").select_option("company")
    page.get_by_label("Name").fill("Théâtre de Namur")
    page.get_by_label("VAT number").fill("BE0403170701")
    page.get_by_label("E-mail for invoices").fill(CLIENT_EMAIL)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Théâtre de Namur")
    browse.shot(page, "client")


def write_and_send_order_form(browse: Any, page: Any, day: dt.date) -> None:
    page.goto("/order-forms/new/")
    choose(page.get_by_label("Activity"), "Studio Lovelace")
    choose(page.get_by_label("Client"), "Théâtre de Namur")
    page.get_by_label("Work to be done").fill("Concert at the theatre")
    page.get_by_label("Place").fill("Namur")
    page.get_by_label("First day").fill(day.isoformat())
    page.get_by_label("Last day").fill(day.isoformat())
    page.get_by_label("Working days").fill("1")
    page.get_by_label(re.compile("Amount")).first.fill("1500")
    browse.shot(page, "order-form-new")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Concert at the theatre")
    page.get_by_role("button", name="Send to the client").click()
    expect(page.locator("main")).to_contain_text(re.compile("sent", re.I))
    browse.shot(page, "order-form-sent")


def choose(select: Any, text: str) -> None:
    """Pick the option of a <select> whose label contains `text`."""
    select.select_option(select.locator("option", has_text=text).get_attribute("value"))


def client_confirms(browse: Any, page: Any) -> None:
    page.goto(mailed_link(CLIENT_EMAIL, r"/order-forms/confirm/\S+/"))
    expect(page.locator("main")).to_contain_text("Concert at the theatre")
    browse.shot(page, "client-page")
    page.get_by_role("button", name="I confirm this order").click()
    expect(page.locator("main")).to_contain_text(re.compile("confirmed", re.I))
    browse.shot(page, "client-confirmed")


def validate(browse: Any, adviser: Any) -> None:
    adviser.goto("/order-forms/queue/")
    row = adviser.locator("tr", has_text="Théâtre de Namur")
    browse.shot(adviser, "validation-queue")
    row.get_by_role("button", name="Validate").click()
    expect(adviser.locator("main")).to_contain_text(re.compile(r"is invoiced: invoice \d"))
    browse.shot(adviser, "validated")


def import_statement(browse: Any, accountant: Any, invoice: Invoice, day: dt.date) -> None:
    entity = invoice.entity
    line = paid(str(invoice.total_gross), reference=ogm(invoice), on=day)
    data = coda(statement(entity, line, opened=day, closed=day))
    accountant.goto(f"/backoffice/bank/{entity.pk}/")
    accountant.locator("input[type=file]").set_input_files(
        {"name": "statement.cod", "mimeType": "text/plain", "buffer": data}
    )
    browse.shot(accountant, "statement-upload")
    accountant.get_by_role("button", name="Import").click()
    expect(accountant.locator("main")).to_contain_text("statement.cod")
    browse.shot(accountant, "statement-imported")


def run_payroll(browse: Any, officer: Any, entity: Any, month: dt.date) -> None:
    officer.goto("/pay/runs/")
    officer.get_by_label("Month").fill(month.strftime("%Y-%m"))
    officer.get_by_role("button", name="Launch the run").click()
    expect(officer.locator("#run-progress")).to_contain_text("1 paid, 0 refused, of 1")
    browse.shot(officer, "payroll-run")
    # The progress fragment does not bring the close button when it finishes: reload the page.
    officer.reload()
    expect(officer.locator("main")).to_contain_text("Lovelace")
    officer.get_by_role("button", name="Close the run").click()
    expect(officer.locator("main")).to_contain_text(re.compile("closed", re.I))


def read_payslip(browse: Any, page: Any, payslip: Payslip) -> None:
    page.goto("/pay/payslips/")
    browse.shot(page, "payslips")
    page.get_by_role("link", name=re.compile(payslip.period.strftime("%B %Y"))).click()
    # The payslip is written in the employer's number format (916,00 € in Belgium).
    net = re.escape(str(payslip.net)).replace(r"\.", "[.,]")
    expect(page.locator("main")).to_contain_text(re.compile(f"Net pay\\s*{net}"))
    browse.shot(page, "payslip")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert "Lovelace" in "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)


def see_my_money(browse: Any, page: Any, payslip: Payslip) -> None:
    page.goto("/portal/")
    money = page.locator("main")
    expect(money).to_contain_text("My money")
    expect(money).to_contain_text("Studio Lovelace")
    expect(money).to_contain_text(f"{payslip.net} EUR")
    browse.shot(page, "home")


def test_the_money_loop(browse: Any, cooperative: dict[str, Any]) -> None:
    entity = cooperative["entity"]
    today = timezone.localdate()
    member = browse.page()
    sign_up(browse, member)
    apply(browse, member)
    adviser = browse.page()
    sign_in(adviser, cooperative["adviser"].email, staff=True)
    approve(browse, adviser)
    assert Membership.objects.get(person__user__email=NEWCOMER).status == "active"

    open_activity(browse, member)
    add_client(browse, member)
    write_and_send_order_form(browse, member, today)
    client_confirms(browse, browse.page())
    validate(browse, adviser)
    invoice = Invoice.objects.get(entity=entity)
    assert invoice.status == "issued"
    member.goto(f"/portal/invoices/{invoice.pk}/")
    expect(member.locator("main")).to_contain_text(invoice.number)
    browse.shot(member, "invoice")

    accountant = browse.page()
    sign_in(accountant, cooperative["accountant"].email, staff=True)
    import_statement(browse, accountant, invoice, today)
    invoice.refresh_from_db()
    assert invoice.status == "paid"

    officer = browse.page()
    sign_in(officer, cooperative["payroll"].email, staff=True)
    run_payroll(browse, officer, entity, today)
    payslip = Payslip.objects.get(person__user__email=NEWCOMER)
    read_payslip(browse, member, payslip)
    see_my_money(browse, member, payslip)


def test_a_finished_run_offers_to_close_without_a_reload(browse: Any, settings: Any) -> None:
    from tests.payroll.conftest import scene

    settings.MUTUA_DECLARATION_OUTBOX = str(browse.folder / "declarations")
    april = scene("BE")
    officer = browse.page()
    sign_in(officer, make_staff(april["entity"], Role.PAYROLL_OFFICER).email, staff=True)
    officer.goto("/pay/runs/")
    officer.get_by_label("Month").fill("2026-04")
    officer.get_by_role("button", name="Launch the run").click()
    expect(officer.locator("#run-progress")).to_contain_text("2 paid, 0 refused, of 2")
    browse.shot(officer, "run-finished")
    expect(officer.get_by_role("button", name="Close the run")).to_be_visible(timeout=3000)

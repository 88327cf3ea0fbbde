"""A member's own money: the home page's figures and charts, and where an invoice's money goes,
seen only by who may see the invoice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from mutua.banking.actions import import_statements
from mutua.payroll.actions import run_payroll
from mutua.reporting.member import pay_this_year, where_the_money_goes
from tests.banking.conftest import coda, ogm, paid, shop_for, statement
from tests.conftest import login, make_member
from tests.payroll.conftest import APRIL, scene

pytestmark = pytest.mark.django_db


def test_the_invoice_money_follows_every_cent_to_net_pay() -> None:
    shop = shop_for("BE")
    invoice = shop.invoice("2000.00")
    seen, simulation = where_the_money_goes(shop.user, invoice.pk)
    assert seen == invoice
    assert simulation.invoiced == Decimal("2000.00")
    assert simulation.fee == invoice.fee_amount
    assert simulation.work_budget == simulation.invoiced - simulation.fee - simulation.expenses
    # At this low pay the work bonus cancels the contributions and no tax is due: net = gross.
    assert Decimal(0) < simulation.pay.net <= simulation.pay.gross < simulation.work_budget


def test_only_who_sees_the_invoice_sees_where_its_money_goes() -> None:
    shop = shop_for("BE")
    invoice = shop.invoice("2000.00")
    page = login(Client(), shop.user).get(f"/portal/money/invoices/{invoice.pk}/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode() and str(invoice.fee_amount) in page.content.decode()
    other = make_member(shop.entity).person.user
    assert login(Client(), other).get(f"/portal/money/invoices/{invoice.pk}/").status_code == 404
    assert login(Client(), shop.user).get("/portal/money/invoices/999999/").status_code == 404
    assert Client().get(f"/portal/money/invoices/{invoice.pk}/").status_code == 302


def test_pay_received_this_year_is_the_members_own() -> None:
    data: dict[str, Any] = scene("BE")
    run_payroll(entity=data["entity"], period=APRIL)
    first, second = data["people"][0], data["people"][1]
    mine = pay_this_year(first, 2026)
    assert len(mine) == 1 and mine[0].payslips == 1
    assert mine[0].net == first.payslips.get().net
    assert pay_this_year(second, 2026)[0].net == second.payslips.get().net


def test_the_home_page_shows_my_money_with_charts() -> None:
    shop = shop_for("BE")
    invoice = shop.invoice("1500.00")
    unpaid = login(Client(), shop.user).get("/portal/").content.decode()
    assert "next month" not in unpaid  # nothing collected and no fund policy: nothing to pay
    line = paid("1815.00", reference=ogm(invoice))
    import_statements(
        entity=shop.entity, content=coda(statement(shop.entity, line)), acting_user=shop.accountant
    )
    html = login(Client(), shop.user).get("/portal/").content.decode()
    assert "My money" in html and 'id="income-title"' in html and 'id="budget-title"' in html
    assert "next month" in html  # the budget's salary estimate
    assert "Guaranteed by the fund" in html


def test_members_see_where_their_entitys_fees_go_and_no_other_entity() -> None:
    be, fr = shop_for("BE"), shop_for("FR")
    be.invoice("1000.00")
    web = login(Client(), be.user)
    page = web.get("/portal/money/transparency/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fees collected" in html and str(be.invoices[0].fee_amount) in html
    assert web.get(f"/portal/money/transparency/?entity={fr.entity.pk}").status_code == 404
    assert web.get(f"/portal/money/transparency/?entity={be.entity.pk}&year=x").status_code == 404
    assert login(Client(), fr.accountant).get("/portal/money/transparency/").status_code == 200


def test_the_annual_report_pdf_carries_the_years_figures() -> None:
    from pypdf import PdfReader

    be = shop_for("BE")
    be.invoice("1000.00")
    response = login(Client(), be.user).get(
        f"/portal/money/annual-report.pdf?entity={be.entity.pk}&year=2026"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    import io

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Annual report 2026" in text
    assert "Turnover excl. VAT 1.000,00\xa0€" in text  # babel: English as written in Belgium
    other = shop_for("FR")
    url = f"/portal/money/annual-report.pdf?entity={other.entity.pk}&year=2026"
    assert login(Client(), be.user).get(url).status_code == 404


def test_the_cooperative_spending_leaves_out_the_activities_own_costs() -> None:
    import datetime as dt

    from mutua.ledger.drafts import EntryDraft, LineDraft
    from mutua.reporting.transparency import transparency
    from tests.ledger.conftest import post

    shop = shop_for("BE")

    def spend(amount: str, activity_id: int | None) -> None:
        value = Decimal(amount)
        post(
            EntryDraft(
                entity_id=shop.entity.pk,
                journal="ACH",
                date=dt.date(2026, 5, 4),
                label="Rent",
                lines=(
                    LineDraft("610000", debit=value, activity_id=activity_id),
                    LineDraft("440000", credit=value),
                ),
            )
        )

    spend("800.00", None)  # the cooperative's office rent
    spend("120.00", shop.activity.pk)  # a member's purchase for their activity
    report = transparency(shop.entity, 2026)
    assert [(s.account, s.amount) for s in report.spending] == [("610000", Decimal("800.00"))]

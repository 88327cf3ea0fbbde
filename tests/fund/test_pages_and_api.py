"""Who sees the fund: staff of the entity in detail, its members the aggregates only, nobody
else anything; a forged id gives 404 and changes nothing (issue 6, item 4)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client as Browser

from mutua.core.permissions import Role
from mutua.fund.models import WriteOff
from mutua.invoicing.models import Invoice
from mutua.members import actions as member_actions
from tests.conftest import login, make_entity, make_member, make_staff
from tests.fund.conftest import Fund


def api_client(user: Any) -> Browser:
    _token, plaintext = member_actions.create_access_token(user=user, name="api")
    return Browser(headers={"Authorization": f"Bearer {plaintext}"})


def test_staff_see_the_dashboard_with_its_numbers(paid_by_fund: Fund) -> None:
    page = login(Browser(), paid_by_fund.shop.accountant).get(f"/fund/{paid_by_fund.entity.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1350.00" in html and "<svg" in html and "<desc" in html
    assert paid_by_fund.invoice.number in html  # the open advance


def test_members_and_other_entities_do_not_see_the_dashboard(paid_by_fund: Fund) -> None:
    alice = paid_by_fund.shop.user
    foreign = make_staff(make_entity("FR"), Role.ACCOUNTANT)
    assert login(Browser(), alice).get(f"/fund/{paid_by_fund.entity.pk}/").status_code == 403
    assert login(Browser(), foreign).get(f"/fund/{paid_by_fund.entity.pk}/").status_code == 404
    assert login(Browser(), foreign).get("/fund/999999/").status_code == 404


def test_a_write_off_needs_the_entitys_accountant(paid_by_fund: Fund) -> None:
    invoice = paid_by_fund.invoice
    Invoice.objects.filter(pk=invoice.pk).update(dunning_stage=3)
    foreign = make_staff(make_entity("FR"), Role.ACCOUNTANT)
    url = f"/fund/invoices/{invoice.pk}/write-off/"
    assert login(Browser(), foreign).post(url, {"reason": "x"}).status_code == 404
    assert login(Browser(), foreign).post("/fund/invoices/999999/write-off/").status_code == 404
    assert login(Browser(), paid_by_fund.shop.user).post(url, {"reason": "x"}).status_code == 403
    assert not WriteOff.objects.exists()
    done = login(Browser(), paid_by_fund.shop.accountant).post(url, {"reason": "Bankrupt"})
    assert done.status_code == 302
    assert WriteOff.objects.get().covered == Decimal("1900.00")


def test_members_read_the_summary_and_never_the_detail(paid_by_fund: Fund) -> None:
    entity = paid_by_fund.entity
    alice = paid_by_fund.shop.user
    bob = make_member(entity).person.user
    outsider = make_member(make_entity("FR")).person.user
    for member in (alice, bob):
        summary = api_client(member).get(f"/api/v1/fund/{entity.pk}/summary")
        assert summary.status_code == 200
        assert summary.json()["exposure"] == "1350.00" and "ageing" not in summary.json()
        assert api_client(member).get(f"/api/v1/fund/{entity.pk}/figures").status_code == 404
    assert api_client(outsider).get(f"/api/v1/fund/{entity.pk}/summary").status_code == 404
    staff = api_client(paid_by_fund.shop.accountant)
    ageing = staff.get(f"/api/v1/fund/{entity.pk}/figures").json()["ageing"]
    assert sum(Decimal(amount) for amount in ageing.values()) == Decimal("1350.00")
    assert set(ageing) == {"0-30", "31-60", "61-90", "90+"}


def test_the_api_writes_off_once(paid_by_fund: Fund) -> None:
    invoice = paid_by_fund.invoice
    Invoice.objects.filter(pk=invoice.pk).update(dunning_stage=3)
    api = api_client(paid_by_fund.shop.accountant)
    url = f"/api/v1/fund/invoices/{invoice.pk}/write-off"
    first = api.post(url, {"reason": "Bankrupt"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["uncovered"] == "520.00"
    again = api.post(url, {"reason": "Bankrupt"}, content_type="application/json")
    assert again.status_code == 409
    bob = api_client(make_member(paid_by_fund.entity).person.user)
    assert bob.post(url, {"reason": "x"}, content_type="application/json").status_code == 404
    assert WriteOff.objects.count() == 1

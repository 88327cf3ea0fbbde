"""Staff see the reports of their entities only; exports cannot smuggle a formula into a
spreadsheet."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from mutua.core.permissions import Role
from mutua.core.spreadsheets import csv_bytes, xlsx_bytes
from mutua.reporting.models import ExchangeRate
from tests.banking.conftest import shop_for
from tests.conftest import login, make_staff

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    return login(Client(), user)


HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]


def test_csv_neutralises_formulas_but_keeps_numbers() -> None:
    data = csv_bytes(["name", "amount"], [[text, Decimal("-12.50")] for text in HOSTILE])
    lines = data.decode("utf-8-sig").splitlines()[1:]
    assert all(line.startswith("'") or line.startswith("\"'") for line in lines)
    assert all(line.endswith(",-12.50") for line in lines)


def test_xlsx_writes_text_as_text_and_amounts_as_numbers() -> None:
    data = xlsx_bytes("s", ["name", "amount"], [[text, Decimal("3.10")] for text in HOSTILE])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(name, str) and name.startswith("'") for name, _ in cells)
    assert all(amount == pytest.approx(3.10) for _, amount in cells)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_staff_of_the_entity_see_charts_and_export(settings: Any) -> None:
    shop = shop_for("BE")
    shop.activity.sector = '=cmd|"/c calc"!A1'
    shop.activity.save()
    shop.invoice("1000.00")
    web = client_for(shop.accountant)
    page = web.get(f"/backoffice/reports/{shop.entity.pk}/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Turnover per month" in html and "1000.00" in html
    exported = web.get(f"/backoffice/reports/{shop.entity.pk}/export.csv?year=2026")
    assert exported.status_code == 200
    assert "'=cmd" in exported.content.decode("utf-8-sig")
    xlsx = web.get(f"/backoffice/reports/{shop.entity.pk}/export.xlsx?year=2026")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_other_entities_members_and_bad_years_get_nothing() -> None:
    be, fr = shop_for("BE"), shop_for("FR")
    web = client_for(be.accountant)
    assert web.get(f"/backoffice/reports/{fr.entity.pk}/?year=2026").status_code == 404
    assert web.get(f"/backoffice/reports/{fr.entity.pk}/export.csv").status_code == 404
    assert web.get(f"/backoffice/reports/{be.entity.pk}/?year=abc").status_code == 404
    assert web.get(f"/backoffice/reports/{be.entity.pk}/?year=1800").status_code == 404
    assert web.get(f"/backoffice/reports/{be.entity.pk}/export.exe").status_code == 404
    member = client_for(be.user)
    assert member.get(f"/backoffice/reports/{be.entity.pk}/").status_code == 403
    federation = web.get("/backoffice/reports/federation/?year=2026").content.decode()
    assert "Mutua BE" not in federation or "FR" not in federation.split("<tbody>")[1]


def test_rates_are_uploaded_by_accountants_only() -> None:
    shop = shop_for("BE")
    adviser = make_staff(shop.entity, Role.ADVISER)
    upload = io.BytesIO(b"Date,SEK\n2026-01-02,11.2\n")
    upload.name = "eurofxref.csv"
    assert (
        client_for(adviser).post("/backoffice/reports/rates/", {"file": upload}).status_code == 403
    )
    upload.seek(0)
    response = client_for(shop.accountant).post("/backoffice/reports/rates/", {"file": upload})
    assert response.status_code == 302 and ExchangeRate.objects.count() == 1
    bad = io.BytesIO(b"not a rates file")
    bad.name = "x.csv"
    page = client_for(shop.accountant).post("/backoffice/reports/rates/", {"file": bad})
    assert page.status_code == 200 and "first column" in page.content.decode()
    assert ExchangeRate.objects.count() == 1

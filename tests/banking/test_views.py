"""Bank pages: only the entity's accountants and administrators; upload, queue, match."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mutua.banking.actions import import_statements
from mutua.banking.models import StatementLine
from mutua.core.permissions import Role
from tests.banking.conftest import Shop, coda, ogm, paid, statement
from tests.conftest import make_staff
from tests.ledger.conftest import books


def test_an_accountant_uploads_a_statement(shop: Shop, client_for: Callable[[Any], Any]) -> None:
    invoice = shop.invoice("1000.00")
    content = coda(statement(shop.entity, paid("1210.00", reference=ogm(invoice))))
    browser = client_for(shop.accountant)
    url = reverse("banking:entity", args=[shop.entity.pk])
    response = browser.post(url, {"file": SimpleUploadedFile("march.cod", content)}, follow=True)
    assert response.status_code == 200
    assert "1 lines imported" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert "march.cod" in browser.get(url).content.decode()


def test_a_broken_file_is_explained_on_the_form(
    shop: Shop, client_for: Callable[[Any], Any]
) -> None:
    """A refused upload answers 400 (not 200), the reason at the file field; nothing stored."""
    content = coda(statement(shop.entity, paid("10.00")))[:200]
    url = reverse("banking:entity", args=[shop.entity.pk])
    response = client_for(shop.accountant).post(
        url, {"file": SimpleUploadedFile("cut.cod", content)}
    )
    assert response.status_code == 400 and "truncated" in response.content.decode()
    assert "truncated" in str(response.context["form"].errors["file"])
    assert not StatementLine.objects.exists()
    empty = client_for(shop.accountant).post(url, {})
    assert empty.status_code == 400 and empty.context["form"].errors["file"]
    assert client_for(shop.accountant).get(url).status_code == 200


def test_the_queue_suggests_and_matches(shop: Shop, client_for: Callable[[Any], Any]) -> None:
    invoice = shop.invoice("1000.00")
    content = coda(statement(shop.entity, paid("1210.00", text="merci", iban="BE43068999999501")))
    import_statements(entity=shop.entity, content=content, acting_user=shop.accountant)
    browser = client_for(shop.accountant)
    page = browser.get(reverse("banking:queue", args=[shop.entity.pk])).content.decode()
    assert invoice.number in page and "same amount" in page
    line = StatementLine.objects.get()
    response = browser.post(
        reverse("banking:match", args=[line.pk]), {"invoices": [invoice.pk]}, follow=True
    )
    assert "Payment matched" in response.content.decode()
    line.refresh_from_db()
    assert line.status == "matched" and line.client_credit == Decimal("0")


def test_matching_by_typed_invoice_number(shop: Shop, client_for: Callable[[Any], Any]) -> None:
    invoice = shop.invoice("1000.00")
    content = coda(statement(shop.entity, paid("50.00", text="?", iban="BE43068999999501")))
    import_statements(entity=shop.entity, content=content, acting_user=None)
    line = StatementLine.objects.get()
    client_for(shop.accountant).post(
        reverse("banking:match", args=[line.pk]), {"numbers": invoice.number}
    )
    invoice.refresh_from_db()
    assert invoice.status == "partly_paid"


def test_others_see_nothing(shop: Shop, client_for: Callable[[Any], Any]) -> None:
    content = coda(statement(shop.entity, paid("50.00", text="?")))
    import_statements(entity=shop.entity, content=content, acting_user=None)
    line = StatementLine.objects.get()
    adviser = make_staff(shop.entity, Role.ADVISER)
    stranger = make_staff(books("FR", years=(2026,)), Role.ACCOUNTANT)
    for user in (adviser, stranger):
        browser = client_for(user)
        assert browser.get(reverse("banking:entity", args=[shop.entity.pk])).status_code == 404
        assert browser.get(reverse("banking:queue", args=[shop.entity.pk])).status_code == 404
        assert browser.post(reverse("banking:match", args=[line.pk])).status_code == 404
    member = client_for(shop.user)
    assert member.get(reverse("banking:queue", args=[shop.entity.pk])).status_code == 403

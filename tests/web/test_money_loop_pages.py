"""A member runs the front half of the money loop through the pages; another member sees none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from mutua.activities.models import Activity
from mutua.clients.models import Client
from mutua.invoicing.models import Invoice
from tests.conftest import make_member
from tests.ledger.conftest import books


@pytest.fixture
def members(db: Any) -> Any:
    entity = books("BE", years=(timezone.localdate().year,))
    return entity, make_member(entity), make_member(entity)


def test_open_activity_add_client_invoice_issue_download(
    members: Any, client_for: Callable[[Any], Browser]
) -> None:
    entity, alice, bob = members
    browser = client_for(alice.person.user)
    response = browser.post(
        reverse("activities:open"), {"entity": entity.pk, "name": "Studio", "sector": "photo"}
    )
    activity = Activity.objects.get()
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    response = browser.post(
        reverse("clients:add"),
        {
            "entity": entity.pk,
            "kind": "company",
            "name": "Théâtre National",
            "country": "BE",
            "language": "fr",
            "vat_number": "BE0403170701",
        },
    )
    client = Client.objects.get()
    assert response.status_code == 302
    lines = {
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-description": "Portraits",
        "lines-0-quantity": "2",
        "lines-0-unit_price": "400.00",
        "lines-0-vat_rate_name": "standard",
    }
    response = browser.post(
        reverse("invoicing:create", args=[activity.pk]), {"client": client.pk, **lines}
    )
    invoice = Invoice.objects.get()
    assert response["Location"] == reverse("invoicing:detail", args=[invoice.pk])
    browser.post(reverse("invoicing:issue", args=[invoice.pk]))
    invoice.refresh_from_db()
    assert invoice.status == "issued" and invoice.total_gross == 968
    page = browser.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "748.00" in page  # 800 excl. VAT minus the 6.5 % fee
    assert "<svg" in page and "chart-desc" in page
    pdf = browser.get(reverse("invoicing:pdf", args=[invoice.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ubl = browser.get(reverse("invoicing:ubl", args=[invoice.pk]))
    assert invoice.number.encode() in ubl.content

    other = client_for(bob.person.user)
    for url in (
        reverse("activities:detail", args=[activity.pk]),
        reverse("clients:detail", args=[client.pk]),
        reverse("invoicing:detail", args=[invoice.pk]),
        reverse("invoicing:pdf", args=[invoice.pk]),
        reverse("invoicing:ubl", args=[invoice.pk]),
        reverse("invoicing:create", args=[activity.pk]),
    ):
        assert other.get(url).status_code == 404, url
    assert (
        other.post(reverse("invoicing:credit", args=[invoice.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert "Théâtre" not in other.get(reverse("invoicing:list")).content.decode()
    invoice.refresh_from_db()
    assert invoice.status == "issued"


def test_an_invoice_without_lines_is_refused_on_the_page(
    members: Any, client_for: Callable[[Any], Browser]
) -> None:
    entity, alice, _bob = members
    browser = client_for(alice.person.user)
    browser.post(reverse("activities:open"), {"entity": entity.pk, "name": "Studio"})
    activity = Activity.objects.get()
    client = Client.objects.create(entity=entity, name="X", country="BE")
    client.users.create(person=alice.person)
    response = browser.post(
        reverse("invoicing:create", args=[activity.pk]),
        {
            "client": client.pk,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 400 and not Invoice.objects.exists()


def test_a_draft_has_no_pdf(members: Any, client_for: Callable[[Any], Browser]) -> None:
    entity, alice, _bob = members
    from decimal import Decimal

    from mutua.activities.actions import open_activity
    from mutua.invoicing.actions import LineInput, create_draft_invoice

    activity = open_activity(actor=alice.person.user, entity=entity, name="S")
    invoice = create_draft_invoice(
        actor=alice.person.user,
        activity=activity,
        client=Client.objects.create(entity=entity, name="X", country="BE"),
        lines=[LineInput("x", Decimal("1"), Decimal("10.00"))],
    )
    assert (
        client_for(alice.person.user).get(reverse("invoicing:pdf", args=[invoice.pk])).status_code
        == 404
    )


def test_a_holder_shares_the_activity_by_email_and_then_the_other_sees_it(
    members: Any, client_for: Callable[[Any], Browser]
) -> None:
    entity, alice, bob = members
    from mutua.activities.actions import open_activity

    activity = open_activity(actor=alice.person.user, entity=entity, name="Band")
    url = reverse("activities:detail", args=[activity.pk])
    assert client_for(bob.person.user).get(url).status_code == 404
    # Bob cannot add himself to Alice's activity.
    bob_browser = client_for(bob.person.user)
    share = reverse("activities:share", args=[activity.pk])
    assert (
        bob_browser.post(share, {"email": bob.person.user.email, "role": "holder"}).status_code
        == 404
    )
    alice_browser = client_for(alice.person.user)
    alice_browser.post(share, {"email": "nobody@example.test", "role": "viewer"})
    assert activity.participants.count() == 1
    alice_browser.post(share, {"email": bob.person.user.email, "role": "viewer"})
    assert bob_browser.get(url).status_code == 200


def test_the_activity_statement_under_the_portal_is_the_members_own(
    members: Any, client_for: Callable[[Any], Browser]
) -> None:
    entity, alice, bob = members
    from mutua.activities.actions import open_activity

    activity = open_activity(actor=alice.person.user, entity=entity, name="Band")
    url = reverse("activity_statement", args=[activity.pk])
    assert url.startswith("/portal/")
    assert client_for(alice.person.user).get(url).status_code == 200
    assert client_for(bob.person.user).get(url).status_code == 404


def test_the_activity_page_forecasts_the_monthly_salary(
    members: Any, client_for: Callable[[Any], Browser], settings: Any, tmp_path: Any
) -> None:
    from decimal import Decimal

    from mutua.activities.actions import open_activity
    from mutua.contracts.actions import make_monthly_contract
    from mutua.core.permissions import Role
    from tests.conftest import make_staff
    from tests.ledger.conftest import post, sale

    settings.MUTUA_DECLARATION_OUTBOX = str(tmp_path)
    entity, alice, _bob = members
    activity = open_activity(actor=alice.person.user, entity=entity, name="Studio")
    today = timezone.localdate()
    post(sale(entity, "5000.00", on=today, activity=activity, codes=("400000", "700000")))
    make_monthly_contract(
        acting_user=make_staff(entity, Role.PAYROLL_OFFICER),
        person=alice.person,
        activity=activity,
        start=today.replace(day=1),
        monthly_work_budget=Decimal("2000.00"),
    )
    page = client_for(alice.person.user).get(reverse("activities:detail", args=[activity.pk]))
    text = page.content.decode()
    assert "pays 2 more month(s)" in text
    assert "Less than three months left" in text

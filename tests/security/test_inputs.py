"""Security, second round: what a person may type. One parser for money (ASCII digits, two
decimals, a bound per field), one for date ranges (a window per object, relative to today), one
for free text (no bidi overrides or zero-width characters); a bad input is refused at its field
with a 4xx, and nothing is stored."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client as Browser
from django.urls import reverse

from mutua.core.errors import InvalidAmount, InvalidInput
from mutua.core.inputs import (
    BOOKING_DATES,
    ORDER_FORM_DATES,
    check_date_range,
    clean_text,
    parse_date,
    parse_decimal,
    parse_money,
    parse_year,
)
from mutua.members import actions as member_actions
from tests.conftest import login

SUITE_TODAY = dt.date(2026, 6, 15)
NOT_MONEY = [
    "1E+400",
    "1e3",
    "1_000",
    "\u0661\u0662\u0663",  # Arabic-Indic ١٢٣
    "\uff11\uff12",  # full-width １２
    " 12 ",
    "12 ",
    "1 000",
    "1,000.00",
    "12.345",
    "-5",
    "+5",
    "NaN",
    "Infinity",
    "0x10",
    "",
    "12.",
    ".5",
    "9" * 40,
]
BIDI_AND_ZERO_WIDTH = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\ufeff",
    "\u2060",
]


def api_client(user: Any) -> Browser:
    _token, plaintext = member_actions.create_access_token(user=user, name="inputs")
    return Browser(headers={"Authorization": f"Bearer {plaintext}"}, raise_request_exception=False)


def browser(user: Any) -> Browser:
    return login(Browser(raise_request_exception=False), user)


# --- the parsers ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", NOT_MONEY)
def test_the_money_parser_refuses_anything_but_ascii_digits_and_two_decimals(text: str) -> None:
    with pytest.raises(InvalidAmount) as refused:
        parse_money(text, field="gross")
    assert refused.value.field == "gross" and refused.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", "12.00"),
        ("12.5", "12.50"),
        ("12,50", "12.50"),
        ("0", "0.00"),
        ("10000000.00", "10000000.00"),
        (12, "12.00"),
        (12.5, "12.50"),
        (Decimal("7.10"), "7.10"),
    ],
)
def test_the_money_parser_reads_plain_amounts(value: object, expected: str) -> None:
    assert parse_money(value, field="amount") == Decimal(expected)


def test_the_money_parser_has_a_bound_per_field_and_a_sign_only_where_allowed() -> None:
    with pytest.raises(InvalidAmount, match=r"at most 10000000\.00"):
        parse_money("10000000.01", field="amount")
    with pytest.raises(InvalidAmount, match=r"at most 500\.00"):
        parse_money("500.01", field="amount", max_value=Decimal("500"))
    assert parse_money("-5.25", field="amount", signed=True, min_value=Decimal("-100")) == Decimal(
        "-5.25"
    )
    for value in (Decimal("1E+400"), Decimal("NaN"), float("inf"), float("nan"), True, None, [1]):
        with pytest.raises(InvalidAmount):
            parse_money(value, field="amount")
    assert parse_decimal("2.125", field="quantity", places=3) == Decimal("2.125")
    with pytest.raises(InvalidAmount):
        parse_decimal("2.1255", field="quantity", places=3)


def test_date_ranges_have_a_window_per_object_relative_to_today() -> None:
    today = SUITE_TODAY
    assert check_date_range(today, today, window=ORDER_FORM_DATES, today=today)
    for start, end, field in [
        (dt.date(1, 1, 1), dt.date(9999, 12, 31), "start_date"),
        (dt.date(2025, 6, 14), dt.date(2025, 6, 20), "start_date"),  # more than a year back
        (dt.date(2028, 6, 16), dt.date(2028, 6, 20), "start_date"),  # more than two years ahead
        (dt.date(2026, 7, 1), dt.date(2026, 6, 30), "end_date"),
        (dt.date(2026, 7, 1), dt.date(2027, 7, 2), "end_date"),  # longer than a year
    ]:
        with pytest.raises(InvalidInput) as refused:
            check_date_range(start, end, window=ORDER_FORM_DATES, today=today)
        assert refused.value.field == field
    with pytest.raises(InvalidInput):
        check_date_range(
            dt.date(9999, 12, 31), dt.date(9999, 12, 31), window=BOOKING_DATES, today=today
        )
    with pytest.raises(InvalidInput):
        parse_date("\u0662\u0660\u0662\u0666-06-15", field="on")
    assert parse_date("2026-06-15", field="on") == today
    assert parse_year("2026") == 2026
    for year in ("1999", "2028", " 2026", "\u0662\u0660\u0662\u0666", "2_026", "+2026"):
        with pytest.raises(InvalidInput):
            parse_year(year)


@pytest.mark.parametrize("char", BIDI_AND_ZERO_WIDTH)
def test_free_text_refuses_bidi_overrides_and_zero_width_characters(char: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_text(f"Acme{char}Corp", field="name", max_length=200)
    assert refused.value.field == "name" and f"U+{ord(char):04X}" in refused.value.message


def test_free_text_is_trimmed_and_bounded() -> None:
    assert clean_text("  Théâtre de Namur  ", field="name", max_length=200) == "Théâtre de Namur"
    assert clean_text("", field="place", max_length=10, required=False) == ""
    assert clean_text("a\nb", field="notes", max_length=10, multiline=True) == "a\nb"
    for bad in ("", "   ", "x" * 11, "a\nb", "a\x00b"):
        with pytest.raises(InvalidInput):
            clean_text(bad, field="name", max_length=10)


# --- finding 1: amounts on the pages and the API -------------------------------------------------
ABSURD = ["1E+400", "1_000", "\u0661\u0662\u0663", " 12 ", "12.345"]


@pytest.fixture
def studio(db: Any) -> dict[str, Any]:
    from tests.payroll.test_copyright import studio as make_studio

    return make_studio.__wrapped__(db)  # type: ignore[attr-defined]


def test_copyright_requests_and_their_preview_refuse_absurd_amounts_at_the_field(
    studio: dict[str, Any],
) -> None:
    from mutua.payroll.models import CopyrightPayment

    alice = browser(studio["alice"].user)
    api = api_client(studio["alice"].user)
    activity = studio["activity"].pk
    for text in ABSURD:
        page = alice.post(reverse("payroll:copyright"), {"activity": activity, "gross": text})
        assert page.status_code == 400, text
        preview = alice.get(
            reverse("payroll:copyright_preview"), {"activity": activity, "gross": text}
        )
        fragment = preview.content.decode()
        assert preview.status_code == 200 and 'role="alert"' in fragment, text
        assert "Net paid" not in fragment, text
        for path in ("/api/v1/copyright-payments", "/api/v1/copyright-payments/preview"):
            answer = api.post(
                path, {"activity_id": activity, "gross": text}, content_type="application/json"
            )
            assert answer.status_code == 422, (path, text, answer.status_code)
            assert answer.json()["detail"][0]["loc"][-1] == "gross"
    assert not CopyrightPayment.objects.exists()


def test_advances_on_order_forms_refuse_absurd_amounts_at_the_field(db: Any) -> None:
    from django.utils import timezone

    from mutua.engagements.models import OrderForm
    from mutua.fund.models import AdvanceRequest
    from tests.fund.conftest import fund_scene

    scene = fund_scene()
    OrderForm.objects.filter(invoice=scene.invoice).update(
        end_date=timezone.localdate() + dt.timedelta(days=30)
    )
    order_form = OrderForm.objects.get(invoice=scene.invoice)
    api, page = api_client(scene.shop.user), browser(scene.shop.user)
    for text in ABSURD:
        answer = api.post(
            f"/api/v1/fund/order-forms/{order_form.pk}/advance-requests",
            {"amount": text},
            content_type="application/json",
        )
        assert answer.status_code == 422, (text, answer.status_code)
        assert answer.json()["detail"][0]["loc"][-1] == "amount"
        posted = page.post("/fund/advances/", {"order_form": order_form.pk, "amount": text})
        assert posted.status_code == 400, text
        assert posted.context["form"].errors["amount"], text
    assert not AdvanceRequest.objects.exists()


@pytest.fixture
def shop(db: Any) -> dict[str, Any]:
    from mutua.clients.models import ClientUser
    from tests.conftest import make_member
    from tests.ledger.conftest import books, make_activity, make_client

    entity = books("BE", years=(2025, 2026, 2027))
    member = make_member(entity)
    activity = make_activity(entity, holder=member.person)
    client = make_client(entity, "Théâtre de Namur")
    client.email = "booking@theatre-namur.test"
    client.save()
    ClientUser.objects.create(client=client, person=member.person)
    return {"entity": entity, "user": member.person.user, "activity": activity, "client": client}


def order_form_body(shop: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "activity_id": shop["activity"].pk,
        "client_id": shop["client"].pk,
        "description": "Light design",
        "start_date": "2026-07-01",
        "end_date": "2026-07-03",
        "working_days": "3",
        "amount_excl_vat": "1500.00",
        "vat_rate_name": "standard",
        **overrides,
    }


def order_form_post(shop: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body = order_form_body(shop, **overrides)
    body["activity"], body["client"] = body.pop("activity_id"), body.pop("client_id")
    return body


def test_order_forms_and_invoices_refuse_absurd_amounts_at_the_field(shop: dict[str, Any]) -> None:
    from mutua.engagements.models import OrderForm
    from mutua.invoicing.models import Invoice

    api, page = api_client(shop["user"]), browser(shop["user"])
    for text in ABSURD:
        for name in ("amount_excl_vat", "reinvoiced_expenses", "wanted_net"):
            answer = api.post(
                "/api/v1/order-forms",
                order_form_body(shop, **{name: text}),
                content_type="application/json",
            )
            assert answer.status_code == 422, (name, text, answer.status_code)
            assert answer.json()["detail"][0]["loc"][-1] == name
            posted = page.post(reverse("engagements:create"), order_form_post(shop, **{name: text}))
            assert posted.status_code == 400, (name, text)
            assert posted.context["form"].errors[name], (name, text)
        line = {"description": "Gig", "quantity": "1", "unit_price": text}
        invoice = api.post(
            "/api/v1/invoices",
            {"activity_id": shop["activity"].pk, "client_id": shop["client"].pk, "lines": [line]},
            content_type="application/json",
        )
        assert invoice.status_code == 422, (text, invoice.status_code)
        assert invoice.json()["detail"][0]["loc"][-1] == "unit_price"
    assert not OrderForm.objects.exists() and not Invoice.objects.exists()
    made = api.post("/api/v1/order-forms", order_form_body(shop), content_type="application/json")
    assert made.status_code == 201 and made.json()["amount_excl_vat"] == "1500.00"


# --- finding 2: date ranges -----------------------------------------------------------------------
def test_order_forms_outside_their_window_are_refused_before_anything_is_stored(
    shop: dict[str, Any],
) -> None:
    from mutua.engagements.models import OrderForm

    api, page = api_client(shop["user"]), browser(shop["user"])
    for start, end, field in [
        ("0001-01-01", "9999-12-31", "start_date"),
        ("2026-07-01", "9999-12-31", "end_date"),
        ("9999-12-30", "9999-12-31", "start_date"),
        ("2020-01-01", "2020-01-03", "start_date"),
    ]:
        answer = api.post(
            "/api/v1/order-forms",
            order_form_body(shop, start_date=start, end_date=end),
            content_type="application/json",
        )
        assert answer.status_code == 400, (start, end, answer.status_code)
        assert answer.json()["field"] == field, (start, end)
        posted = page.post(
            reverse("engagements:create"), order_form_post(shop, start_date=start, end_date=end)
        )
        assert posted.status_code == 400, (start, end)
        assert field in posted.context["form"].errors, (start, end, posted.context["form"].errors)
    assert not OrderForm.objects.exists()


def test_a_workspace_booking_beyond_the_horizon_is_refused_and_not_charged(db: Any) -> None:
    from mutua.ledger.models import Line
    from mutua.services.models import Booking
    from tests.services.conftest import coop, make_resource

    be = coop("BE")
    studio = make_resource(be)
    charged = Line.objects.count()
    api, page = api_client(be.alice.person.user), browser(be.alice.person.user)
    for starts, ends in [
        ("9999-12-31T10:00:00+01:00", "9999-12-31T12:00:00+01:00"),
        ("2027-06-16T10:00:00+02:00", "2027-06-16T12:00:00+02:00"),
    ]:
        answer = api.post(
            "/api/v1/services/bookings",
            {
                "resource_id": studio.pk,
                "activity_id": be.alice_activity.pk,
                "starts_at": starts,
                "ends_at": ends,
            },
            content_type="application/json",
        )
        assert answer.status_code == 400, (starts, answer.status_code)
        assert answer.json()["field"] == "starts_at"
        posted = page.post(
            reverse("services:resource", args=[studio.pk]),
            {"starts_at": starts[:16], "ends_at": ends[:16], "activity": be.alice_activity.pk},
        )
        assert posted.status_code == 400, starts
        assert posted.context["form"].errors["starts_at"], starts
    assert not Booking.objects.exists() and Line.objects.count() == charged


def test_reports_read_the_year_with_ascii_digits_from_2000_to_next_year(
    db: Any, client_for: Callable[[Any], Browser]
) -> None:
    from mutua.core.permissions import Role
    from tests.conftest import make_entity, make_staff

    entity = make_entity("BE")
    staff = client_for(make_staff(entity, Role.ADMINISTRATOR))
    url = reverse("reporting:entity", args=[entity.pk]) if _has("reporting:entity") else None
    assert url is not None
    assert staff.get(url, {"year": "2026"}).status_code == 200
    for year in ("\u0662\u0660\u0662\u0666", " 2026", "2_026", "1999", "2028", "+2026"):
        assert staff.get(url, {"year": year}).status_code == 404, year


def _has(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True


# --- finding 3: free text -------------------------------------------------------------------------
def test_names_and_descriptions_refuse_bidi_overrides_at_the_field(shop: dict[str, Any]) -> None:
    from mutua.activities.models import Activity
    from mutua.clients.models import Client
    from mutua.engagements.models import OrderForm

    api, page = api_client(shop["user"]), browser(shop["user"])
    activities, clients = Activity.objects.count(), Client.objects.count()
    spoofed = "Acme\u202egpj.exe"
    answer = api.post(
        "/api/v1/clients",
        {"entity": "BE", "name": spoofed, "country": "BE"},
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "name"
    posted = page.post(
        reverse("clients:add"),
        {
            "entity": shop["entity"].pk,
            "kind": "company",
            "name": spoofed,
            "country": "BE",
            "language": "en",
        },
    )
    assert "U+202E" in str(posted.context["form"].errors["name"])
    answer = api.post(
        "/api/v1/activities", {"entity": "BE", "name": spoofed}, content_type="application/json"
    )
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "name"
    posted = page.post(reverse("activities:open"), {"entity": shop["entity"].pk, "name": spoofed})
    assert "U+202E" in str(posted.context["form"].errors["name"])
    answer = api.post(
        "/api/v1/order-forms",
        order_form_body(shop, description="Work\u200b"),
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "description"
    posted = page.post(
        reverse("engagements:create"), order_form_post(shop, description="Work\u2066")
    )
    assert "U+2066" in str(posted.context["form"].errors["description"])
    line = {"description": "Gig\ufeff", "quantity": "1", "unit_price": "10.00"}
    answer = api.post(
        "/api/v1/invoices",
        {"activity_id": shop["activity"].pk, "client_id": shop["client"].pk, "lines": [line]},
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "description"
    assert (Activity.objects.count(), Client.objects.count()) == (activities, clients)
    assert not OrderForm.objects.exists()


# --- finding 7: mail of the sign-in pages leaves by the task queue -------------------------------
class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


@pytest.mark.django_db(transaction=True)  # the mail is queued when the request commits
def test_a_password_reset_answers_even_when_the_mail_server_is_down(settings: Any) -> None:
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    from tests.conftest import make_user

    settings.ACCOUNT_ADAPTER = "mutua.core.mail.QueuedMailAdapter"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    user = make_user("forgetful@example.test")
    answer = Browser(raise_request_exception=False).post(
        reverse("account_reset_password"), {"email": user.email}
    )
    assert answer.status_code in (200, 302)
    queued = DBTaskResult.objects.filter(task_path__endswith=".send_queued_mail_task")
    assert queued.count() == 1  # the mail waits for the worker
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_the_sign_in_pages_queue_their_mail_in_the_settings() -> None:
    from django.conf import settings

    assert getattr(settings, "ACCOUNT_ADAPTER", None) == "mutua.core.mail.QueuedMailAdapter"

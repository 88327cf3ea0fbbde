"""Copyright payments (droits d'auteur), Belgian regime: figures, limits, booking, payout."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mutua.banking.models import Payout
from mutua.banking.payouts import collect_payouts
from mutua.core.errors import AccessDenied, InvalidInput, NotFound, RuleViolation
from mutua.core.permissions import Role
from mutua.countries.be.copyright import CopyrightYear, copyright_year
from mutua.ledger.models import Line
from mutua.ledger.queries import activity_balance
from mutua.payroll.copyright import (
    approve_copyright_payment,
    refuse_copyright_payment,
    request_copyright_payment,
    set_copyright_share,
    share_on,
)
from mutua.payroll.copyright_calc import copyright_figures
from mutua.payroll.models import CopyrightPayment, CopyrightShare
from tests.conftest import login, make_member, make_staff
from tests.ledger.conftest import books, make_activity
from tests.payroll.conftest import fund

DAY = dt.date(2026, 5, 12)


def regime(first: str, second: str) -> CopyrightYear:
    return CopyrightYear(2018, D("59970"), D(first), D(second), D("0.5"), D("0.25"), D("0.15"), "")


def test_the_kunstenloket_example_18000_gives_1425_38_withholding() -> None:
    # kunstenloket.be, "Belastingen op auteurs- of naburige rechten" (income 2018 brackets
    # 15,990 / 31,990): 18,000 → costs 8,497.50, tax 15 % of 9,502.50 = 1,425.38.
    figures = copyright_figures(regime("15990", "31990"), D("18000.00"))
    assert (figures.flat_costs, figures.taxable) == (D("8497.50"), D("9502.50"))
    assert (figures.withholding, figures.net) == (D("1425.38"), D("16574.62"))


def test_payments_in_a_year_are_taxed_like_one_payment_of_their_sum() -> None:
    # ajp.be, "Les droits d'auteur" (2018 amounts, bracket 15,660): 20,000 in a year → 1,662.75.
    rules = regime("15660", "31320")
    whole = copyright_figures(rules, D("20000.00"))
    first = copyright_figures(rules, D("12000.00"))
    second = copyright_figures(rules, D("8000.00"), earlier_in_year=D("12000.00"))
    assert whole.withholding == D("1662.75")
    assert first.flat_costs + second.flat_costs == whole.flat_costs
    assert first.withholding + second.withholding == whole.withholding
    beyond = copyright_figures(rules, D("1000.00"), earlier_in_year=D("40000.00"))
    assert beyond.flat_costs == 0 and beyond.withholding == D("150.00")


def test_belgian_parameters_2024_match_the_published_tax_year_2025_amounts() -> None:
    # artetloibelge.blogspot.com, March 2025 (tax year 2025): 73,070; 19,480; 38,970 [T].
    row = copyright_year(2024)
    assert (row.ceiling, row.first_bracket, row.second_bracket) == (
        D("73070"),
        D("19480"),
        D("38970"),
    )
    assert row.withholding_rate == D("0.15")
    for year in (2025, 2026):
        assert copyright_year(year).ceiling > row.ceiling
    with pytest.raises(InvalidInput):
        copyright_year(2023)


@pytest.fixture
def studio(db: Any) -> dict[str, Any]:
    """Alice's activity invoiced 5,000 (so at most 2,500 as copyright at the default 50 %)."""
    entity = books("BE", years=(2026,))
    alice, bob = make_member(entity).person, make_member(entity).person
    activity = make_activity(entity, holder=alice)
    fund(activity, "5000.00")
    adviser = make_staff(entity, Role.ADVISER)
    return {"entity": entity, "alice": alice, "bob": bob, "activity": activity, "adviser": adviser}


def ask(s: dict[str, Any], gross: str, who: str = "alice") -> CopyrightPayment:
    return request_copyright_payment(
        acting_user=s[who].user, activity=s["activity"], gross=D(gross), work="Fresco", on=DAY
    )


def test_an_approved_payment_is_booked_and_paid_by_sepa_once(studio: dict[str, Any]) -> None:
    payment = ask(studio, "2000.00")
    assert payment.status == "requested" and payment.withholding == D("150.00")
    approve_copyright_payment(acting_user=studio["adviser"], payment=payment, on=DAY)
    payment.refresh_from_db()
    assert (payment.status, payment.net) == ("approved", D("1850.00"))
    lines = Line.objects.filter(entry__piece_ref=payment.reference).select_related("account")
    booked = {ln.account.code: (ln.debit, ln.credit) for ln in lines}
    assert booked == {
        "613100": (D("2000.00"), D("0")),
        "453100": (D("0"), D("150.00")),
        "489200": (D("0"), D("1850.00")),
    }
    assert activity_balance(studio["activity"]) == D("3000.00")
    accountant = make_staff(studio["entity"], Role.ACCOUNTANT)
    assert collect_payouts(entity=studio["entity"], acting_user=accountant) == 1
    assert collect_payouts(entity=studio["entity"], acting_user=accountant) == 0
    payout = Payout.objects.get(source="copyright")
    assert (payout.amount, payout.person_id) == (D("1850.00"), studio["alice"].pk)


def test_requests_above_the_share_budget_or_ceiling_are_refused(studio: dict[str, Any]) -> None:
    ask(studio, "2000.00")
    with pytest.raises(RuleViolation, match=r"50 %.*500\.00 is left"):
        ask(studio, "500.01")  # the waiting request counts against the share
    CopyrightShare.objects.create(entity=studio["entity"], valid_from=dt.date(2026, 1, 1), share=1)
    with pytest.raises(RuleViolation, match=r"available budget is 3000\.00"):
        ask(studio, "3000.01")
    CopyrightPayment.objects.create(  # what another activity already paid her this year
        entity=studio["entity"],
        person=studio["alice"],
        activity=make_activity(studio["entity"]),
        work="Earlier",
        status="approved",
        paid_on=dt.date(2026, 2, 1),
        currency="EUR",
        gross=D("74220.00"),
    )
    with pytest.raises(RuleViolation, match=r"ceiling leaves 1000\.00"):
        ask(studio, "1000.01")
    assert CopyrightPayment.objects.filter(person=studio["alice"]).count() == 2


def test_a_non_member_of_the_activity_and_a_country_without_the_regime_are_refused(
    studio: dict[str, Any],
) -> None:
    with pytest.raises(NotFound):
        ask(studio, "100.00", who="bob")
    france = books("FR", years=(2026,))
    carol = make_member(france).person
    activity = make_activity(france, holder=carol)
    with pytest.raises(InvalidInput, match="no copyright payment regime"):
        request_copyright_payment(
            acting_user=carol.user, activity=activity, gross=D("100.00"), work="X", on=DAY
        )
    assert not CopyrightPayment.objects.exists()


def test_staff_refuse_with_a_reason_and_members_of_other_entities_cannot_decide(
    studio: dict[str, Any],
) -> None:
    payment = ask(studio, "100.00")
    other = make_staff(books("FR", years=(2026,)), Role.ADVISER)
    with pytest.raises(Exception, match="only an adviser"):
        approve_copyright_payment(acting_user=other, payment=payment)
    with pytest.raises(InvalidInput):
        refuse_copyright_payment(acting_user=studio["adviser"], payment=payment, reason=" ")
    refuse_copyright_payment(acting_user=studio["adviser"], payment=payment, reason="Not a work")
    payment.refresh_from_db()
    assert payment.status == "refused" and not Line.objects.filter(entry__piece_ref="CR").exists()


def test_the_member_page_previews_asks_and_hides_others_payments(studio: dict[str, Any]) -> None:
    alice = login(Client(), studio["alice"].user)
    activity = studio["activity"].pk
    fragment = alice.get(
        reverse("payroll:copyright_preview"), {"activity": activity, "gross": "1000"}
    ).content.decode()
    assert "925.00" in fragment and "75.00" in fragment  # net and withholding
    too_much = alice.get(
        reverse("payroll:copyright_preview"), {"activity": activity, "gross": "2600"}
    ).content.decode()
    assert "above what the activity may pay" in too_much
    response = alice.post(
        reverse("payroll:copyright"), {"activity": activity, "gross": "1000", "work": "Mural"}
    )
    assert response.status_code == 302
    payment = CopyrightPayment.objects.get()
    bob = login(Client(), studio["bob"].user)
    assert "Mural" not in bob.get(reverse("payroll:copyright")).content.decode()
    forged = bob.post(
        reverse("payroll:copyright"), {"activity": activity, "gross": "10", "work": "Theft"}
    )
    assert forged.status_code == 404
    assert bob.post(reverse("payroll:copyright_decide", args=[payment.pk])).status_code == 403
    bad = alice.post(reverse("payroll:copyright"), {"activity": activity, "gross": "1e3x"})
    assert bad.status_code == 400 and CopyrightPayment.objects.count() == 1
    adviser = login(Client(), studio["adviser"])
    assert "Mural" in adviser.get(reverse("payroll:copyright_queue")).content.decode()
    adviser.post(reverse("payroll:copyright_decide", args=[payment.pk]), {"decision": "approve"})
    payment.refresh_from_db()
    assert payment.status == "approved"


def test_the_command_gives_the_figures_and_refuses_a_country_without_the_regime(
    studio: dict[str, Any],
) -> None:
    out = StringIO()
    call_command(
        "payroll",
        *("copyright", "--entity", "BE", "--year", "2024", "--gross", "1000", "--earlier", "19000"),
        "--json",
        stdout=out,
    )
    # 2024: 480 at 50 % then 520 at 25 % = 370 costs; 15 % of 630 = 94.50.
    figures = json.loads(out.getvalue())
    assert (figures["flat_costs"], figures["withholding"], figures["net"]) == (
        "370.00",
        "94.50",
        "905.50",
    )
    books("FR", years=(2026,))
    with pytest.raises(CommandError, match="no copyright payment regime"):
        call_command("payroll", "copyright", "--entity", "FR", "--gross", "10")


def test_administrators_set_the_share_from_today_on_only(studio: dict[str, Any]) -> None:
    entity, today = studio["entity"], timezone.localdate()
    with pytest.raises(AccessDenied):
        set_copyright_share(
            acting_user=studio["adviser"], entity=entity, valid_from=today, share=D("0.3")
        )
    admin = make_staff(entity, Role.ADMINISTRATOR)
    with pytest.raises(InvalidInput, match="never to the past"):
        set_copyright_share(
            acting_user=admin, entity=entity, valid_from=today - dt.timedelta(1), share=D("0.3")
        )
    with pytest.raises(InvalidInput, match="between 0 and 1"):
        set_copyright_share(acting_user=admin, entity=entity, valid_from=today, share=D("1.5"))
    call_command(
        "payroll",
        *("copyright-share", "--entity", "BE", "--from", today.isoformat(), "--share", "0.3"),
        stdout=StringIO(),
    )
    assert share_on(entity, today) == D("0.3")
    assert share_on(entity, today - dt.timedelta(1)) == D("0.50")  # the country's default

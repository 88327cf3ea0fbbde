"""Indicators of an entity and year: each figure from its source records and equal to the
ledger, whatever else happened in other years and other entities."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from mutua.banking.actions import import_statements
from mutua.invoicing.actions import issue_credit_note
from mutua.payroll.actions import run_payroll
from mutua.payroll.models import Payslip
from mutua.reporting.indicators import entity_indicators, weekdays_in
from tests.banking.conftest import Shop, coda, ogm, paid, shop_for, statement
from tests.payroll.conftest import APRIL, scene

pytestmark = pytest.mark.django_db


def test_full_time_days_are_the_weekdays_of_the_year() -> None:
    assert weekdays_in(2026) == 261
    assert weekdays_in(2024) == 262  # a leap year starting on a Monday


def test_turnover_fees_and_sectors_come_from_invoices_and_equal_the_ledger() -> None:
    shop: Shop = shop_for("BE")
    shop.activity.sector = "music"
    shop.activity.save()
    first, second = shop.invoice("1000.00"), shop.invoice("500.00")
    issue_credit_note(actor=shop.user, invoice=second, reason="cancelled gig")
    figures = entity_indicators(shop.entity, 2026)
    assert figures.invoices_issued == 2
    assert figures.turnover == Decimal("1000.00")  # 1000 + 500 - 500 credited
    assert figures.fees == first.fee_amount
    assert figures.sectors == [("music", Decimal("1000.00"))]
    assert entity_indicators(shop.entity, 2025).turnover == Decimal("0.00")


def test_payment_delay_and_days_sales_outstanding() -> None:
    shop = shop_for("BE")
    invoice = shop.invoice("1000.00")  # issued 2 March 2026, 1210.00 due
    shop.invoice("1000.00")  # never paid
    line = paid("1210.00", reference=ogm(invoice), on=dt.date(2026, 3, 10))
    import_statements(
        entity=shop.entity, content=coda(statement(shop.entity, line)), acting_user=shop.accountant
    )
    figures = entity_indicators(shop.entity, 2026)
    assert figures.average_payment_delay == Decimal("8.0")
    assert figures.receivables == Decimal("1210.00")
    # 1210 owed at year end on 2420 billed over 365 days: half a year.
    assert figures.days_sales_outstanding == Decimal("182.5")


def test_members_counted_at_year_end_with_joiners_and_leavers() -> None:
    shop = shop_for("BE")
    figures = entity_indicators(shop.entity, timezone.localdate().year)
    assert (figures.members_active, figures.members_new, figures.members_leaving) == (1, 1, 0)
    membership = shop.user.person.memberships.get()
    membership.ended_at = timezone.now()
    membership.status = "left"
    membership.save()
    figures = entity_indicators(shop.entity, timezone.localdate().year)
    assert (figures.members_active, figures.members_leaving) == (0, 1)


def test_pay_and_full_time_equivalents_from_the_payslips_equal_the_ledger() -> None:
    data: dict[str, Any] = scene("BE")
    run_payroll(entity=data["entity"], period=APRIL)
    slips = list(Payslip.objects.filter(entity=data["entity"]))
    figures = entity_indicators(data["entity"], 2026)
    assert figures.payslips == len(slips) == 2
    assert figures.gross_pay == sum(s.gross for s in slips)
    assert figures.net_pay == sum(s.net for s in slips)
    assert figures.paid_days == Decimal("5.00")  # three days and two days in April
    assert figures.full_time_equivalents == Decimal("0.0")  # 5 / 261, to a tenth
    april = figures.months[3]
    assert april.gross_pay == figures.gross_pay  # the gross pay account of the books


def test_the_command_prints_the_stable_json() -> None:
    shop = shop_for("BE")
    shop.invoice("250.00")
    out = io.StringIO()
    call_command("report", "indicators", "--entity", "BE", "--year", "2026", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["entity"] == "BE" and data["turnover"] == "250.00"
    assert {"members_active", "fees", "contracts", "paid_days", "full_time_equivalents"} <= set(
        data
    )
    assert {"fund_balance", "fund_exposure", "fund_losses"} <= set(data)
    assert len(data["months"]) == 12 and data["months"][2]["turnover"] == "250.00"


def test_the_delay_aggregate_follows_every_match_and_a_rebuild_agrees() -> None:
    from mutua.banking.actions import match_line
    from mutua.banking.models import StatementLine
    from mutua.reporting import delays
    from mutua.reporting.models import PaymentDelayMonth

    shop = shop_for("BE")
    first, second = shop.invoice("1000.00"), shop.invoice("500.00")
    automatic = paid("1210.00", reference=ogm(first), on=dt.date(2026, 3, 12))
    by_hand = paid("605.00", text="no reference", on=dt.date(2026, 4, 2))
    import_statements(
        entity=shop.entity,
        content=coda(statement(shop.entity, automatic, by_hand)),
        acting_user=shop.accountant,
    )
    line = StatementLine.objects.get(amount=Decimal("605.00"))
    match_line(line=line, invoices=[second], acting_user=shop.accountant)

    def months() -> list[tuple[Any, Decimal, Decimal]]:
        return [
            (m.month, Decimal(m.paid).quantize(Decimal("0.01")), Decimal(m.weighted_days))
            for m in PaymentDelayMonth.objects.order_by("month")
        ]

    kept = months()
    assert kept == [
        (dt.date(2026, 3, 1), Decimal("1210.00"), Decimal("1210.00") * 10),
        (dt.date(2026, 4, 1), Decimal("605.00"), Decimal("605.00") * 31),
    ]
    delays.rebuild(shop.entity.pk)
    assert months() == kept
    figures = entity_indicators(shop.entity, 2026)
    assert figures.average_payment_delay == Decimal("17.0")  # (1210×10 + 605×31) / 1815
    assert figures.invoices_issued == 2

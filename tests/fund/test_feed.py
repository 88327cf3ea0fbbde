"""The fund is fed by the policy's share of the fees, once per month (issue 6, item 4)."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from mutua.fund.actions import feed_fund
from mutua.fund.models import FundFeed
from mutua.fund.queries import fund_balance
from mutua.ledger.queries import verify_books
from tests.fund.conftest import Fund


def feed_json(code: str) -> dict[str, object]:
    out = StringIO()
    call_command("fund", "feed", "--entity", code, "--json", stdout=out)
    result: dict[str, object] = json.loads(out.getvalue())
    return result


def test_the_fund_gets_its_share_of_the_fees_once(scene: Fund) -> None:
    # March: one invoice, fee 6.5 % of 2000.00 = 130.00; the fund's share 30.77 % = 40.00.
    result = feed_json(scene.entity.code)
    assert result["months"] == [{"month": "2026-03", "fees": "130.00", "amount": "40.00"}]
    assert fund_balance(scene.entity) == Decimal("40.00")
    assert feed_json(scene.entity.code)["months"] == []  # nothing twice
    assert fund_balance(scene.entity) == Decimal("40.00")


def test_fees_added_to_a_month_already_fed_give_a_top_up(scene: Fund) -> None:
    feed_fund(entity=scene.entity)
    scene.shop.invoice("1000.00")  # also issued in March: fee 65.00, share 20.00
    (top_up,) = feed_fund(entity=scene.entity)
    assert (top_up.sequence, top_up.amount) == (2, Decimal("20.00"))
    assert fund_balance(scene.entity) == Decimal("60.00")
    assert FundFeed.objects.count() == 2 and verify_books() == []


def test_the_status_command_prints_the_figures(paid_by_fund: Fund) -> None:
    feed_fund(entity=paid_by_fund.entity)
    out = StringIO()
    call_command("fund", "status", "--entity", paid_by_fund.entity.code, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["balance"], data["exposure"]) == ("40.00", "1350.00")
    assert data["coverage_ratio"] == "0.03"
    assert sum(Decimal(v) for v in data["ageing"].values()) == Decimal("1350.00")

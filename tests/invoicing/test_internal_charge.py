from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation
from mutua.invoicing.actions import LineInput, create_draft_invoice, issue_invoice
from mutua.invoicing.internal import charge_activity
from mutua.invoicing.models import InternalCharge
from mutua.ledger.queries import activity_balance
from tests.conftest import make_member
from tests.ledger.conftest import books, make_activity, make_client

ON = dt.date(2026, 4, 1)


@pytest.fixture
def two_activities(db: Any) -> Any:
    entity = books("BE", years=(2026,))
    band, sound = make_member(entity), make_member(entity)
    paying = make_activity(entity, holder=band.person)
    selling = make_activity(entity, holder=sound.person)
    invoice = create_draft_invoice(
        actor=band.person.user,
        activity=paying,
        client=make_client(entity),
        lines=[LineInput("Festival", Decimal("1"), Decimal("2000.00"))],
    )
    issue_invoice(actor=band.person.user, invoice=invoice, on=ON)  # budget 1870.00
    return band.person.user, sound.person.user, paying, selling


def test_an_internal_charge_moves_budget_without_vat_or_fee(two_activities: Any) -> None:
    band, _sound, paying, selling = two_activities
    charge = charge_activity(
        actor=band,
        seller=selling,
        buyer=paying,
        description="Sound engineer",
        amount=Decimal("500.00"),
        on=ON,
    )
    assert charge.number == "INT-2026-000001"
    assert activity_balance(paying) == Decimal("1370.00")
    assert activity_balance(selling) == Decimal("500.00")  # no fee taken


def test_refusals_leave_nothing(two_activities: Any) -> None:
    band, sound, paying, selling = two_activities
    with pytest.raises(AccessDenied):  # the seller cannot help themselves to the buyer's budget
        charge_activity(
            actor=sound,
            seller=selling,
            buyer=paying,
            description="x",
            amount=Decimal("1.00"),
            on=ON,
        )
    with pytest.raises(RuleViolation):
        charge_activity(
            actor=band,
            seller=selling,
            buyer=paying,
            description="x",
            amount=Decimal("5000.00"),
            on=ON,
        )
    with pytest.raises(InvalidInput):
        charge_activity(
            actor=band, seller=paying, buyer=paying, description="x", amount=Decimal("1.00"), on=ON
        )
    with pytest.raises(InvalidInput):
        charge_activity(
            actor=band,
            seller=selling,
            buyer=paying,
            description="x",
            amount=Decimal("-1.00"),
            on=ON,
        )
    assert not InternalCharge.objects.exists()
    assert activity_balance(selling) == Decimal("0")

"""Writing an order form: who may, what is checked, and starting from the net pay wanted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.core.errors import AccessDenied, InvalidInput, RuleViolation, StateConflict
from mutua.core.models import AuditEvent
from mutua.engagements.actions import update_order_form
from mutua.engagements.models import OrderForm
from mutua.payroll.simulator import SimulationRequest, simulate
from tests.conftest import make_entity, make_member
from tests.engagements.conftest import draft, sent, work
from tests.ledger.conftest import make_client


def test_a_member_writes_a_draft_for_their_activity(shop: dict[str, Any]) -> None:
    order_form = draft(shop, reinvoiced_expenses=Decimal("120.50"))
    assert order_form.status == "draft"
    assert order_form.entity == shop["entity"] and order_form.created_by == shop["user"]
    assert order_form.total_excl_vat == Decimal("1620.50")
    event = AuditEvent.objects.get(action="order_form.create")
    assert event.subject_id == str(order_form.pk) and event.after["working_days"] == "3"


def test_someone_outside_the_activity_may_not_write_for_it(shop: dict[str, Any]) -> None:
    stranger = make_member(shop["entity"]).person.user
    from mutua.engagements.actions import create_order_form

    with pytest.raises(AccessDenied):
        create_order_form(actor=stranger, activity=shop["activity"], data=work(shop))
    assert not OrderForm.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_excl_vat": Decimal("0")}, "amount_excl_vat"),
        ({"amount_excl_vat": Decimal("-10.00")}, "amount_excl_vat"),
        ({"amount_excl_vat": Decimal("10.001")}, "amount_excl_vat"),
        ({"amount_excl_vat": None}, "amount_excl_vat"),
        ({"reinvoiced_expenses": Decimal("-1.00")}, "reinvoiced_expenses"),
        ({"working_days": Decimal("0")}, "working_days"),
        ({"working_days": Decimal("-2")}, "working_days"),
        ({"working_days": Decimal("4")}, "working_days"),  # 4 days between 1 and 3 April
        ({"end_date": dt.date(2026, 3, 31)}, "end_date"),
        ({"description": "  "}, "description"),
        ({"vat_rate_name": "luxury"}, "vat_rate_name"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    shop: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        draft(shop, **overrides)
    assert refused.value.field == field
    assert not OrderForm.objects.exists()
    assert not AuditEvent.objects.filter(action="order_form.create").exists()


def test_a_client_of_another_entity_is_refused(shop: dict[str, Any]) -> None:
    elsewhere = make_client(make_entity("FR"), "Maison de la Culture")
    with pytest.raises(InvalidInput) as refused:
        draft(shop, client=elsewhere)
    assert refused.value.field == "client"
    assert not OrderForm.objects.exists()


def test_a_blocked_client_is_refused(shop: dict[str, Any]) -> None:
    shop["client"].blocked = True
    shop["client"].save()
    with pytest.raises(RuleViolation):
        draft(shop)


def test_half_days_fit_and_one_day_work_is_fine(shop: dict[str, Any]) -> None:
    order_form = draft(
        shop,
        start_date=dt.date(2026, 4, 1),
        end_date=dt.date(2026, 4, 1),
        working_days=Decimal("0.5"),
    )
    assert order_form.working_days == Decimal("0.5")


def test_starting_from_the_net_wanted_the_simulator_gives_the_amount(
    shop: dict[str, Any],
) -> None:
    order_form = draft(
        shop,
        amount_excl_vat=None,
        wanted_net=Decimal("600.00"),
        reinvoiced_expenses=Decimal("100.00"),
    )
    assert order_form.wanted_net == Decimal("600.00")
    # Forward check: invoicing work + expenses at the activity's fee pays at least the net wanted.
    forward = simulate(
        SimulationRequest(
            country="BE",
            on=order_form.start_date,
            mode="invoiced",
            amount=order_form.total_excl_vat,
            expenses=Decimal("100.00"),
            fee_rate=Decimal("0.065"),
        )
    )
    assert forward.pay.net >= Decimal("600.00")
    assert order_form.amount_excl_vat > Decimal("600.00")


def test_the_net_wanted_wins_over_a_stale_amount(shop: dict[str, Any]) -> None:
    from_net = draft(shop, amount_excl_vat=None, wanted_net=Decimal("600.00"))
    both = draft(shop, amount_excl_vat=Decimal("1.00"), wanted_net=Decimal("600.00"))
    assert both.amount_excl_vat == from_net.amount_excl_vat


def test_a_draft_can_be_changed_and_the_change_is_audited(shop: dict[str, Any]) -> None:
    order_form = draft(shop)
    update_order_form(
        actor=shop["user"], order_form=order_form, data=work(shop, amount_excl_vat=Decimal("1800"))
    )
    order_form.refresh_from_db()
    assert order_form.amount_excl_vat == Decimal("1800.00")
    event = AuditEvent.objects.get(action="order_form.update")
    assert (event.before["amount_excl_vat"], event.after["amount_excl_vat"]) == (
        "1500.00",
        "1800.00",
    )


def test_a_form_with_the_client_cannot_be_changed(shop: dict[str, Any]) -> None:
    order_form, _ = sent(shop)
    with pytest.raises(StateConflict):
        update_order_form(
            actor=shop["user"], order_form=order_form, data=work(shop, amount_excl_vat=Decimal("1"))
        )
    order_form.refresh_from_db()
    assert order_form.amount_excl_vat == Decimal("1500.00")

"""A Belgian entity whose guarantee fund pays a member before the client paid.

The client (Théâtre de Namur, Belgium) confirmed an order form of 2,000.00 excl. VAT, invoiced
on 2 March 2026 (2,420.00 with VAT; fee 6.5 %: the activity's share is 1,870.00). The member works
three days in April for a work budget of 1,350.00; April's payroll pays it from the fund.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from mutua.core.permissions import Role
from mutua.engagements.models import OrderForm
from mutua.fund.actions import PolicyTerms, set_policy
from mutua.invoicing.models import Invoice
from mutua.members.models import Person
from mutua.payroll.actions import run_payroll
from tests.banking.conftest import Shop, shop_for
from tests.conftest import make_staff
from tests.payroll.conftest import APRIL, day_contracts

POLICY = PolicyTerms(
    pay_within_working_days=7,
    limit_per_client=Decimal("10000.00"),
    limit_per_activity=Decimal("20000.00"),
    fee_share=Decimal("0.3077"),
    order_advance_share=Decimal("0.5"),
)


@dataclass
class Fund:
    shop: Shop
    person: Person
    invoice: Invoice
    admin: Any

    @property
    def entity(self) -> Any:
        return self.shop.entity


def confirmed_order(shop: Shop, invoice: Invoice) -> OrderForm:
    """The order form the client confirmed (made directly: engagements are tested apart)."""
    return OrderForm.objects.create(
        entity=shop.entity,
        activity=shop.activity,
        client=invoice.client,
        created_by=shop.user,
        status="invoiced",
        description="Concert",
        start_date=dt.date(2026, 4, 6),
        end_date=dt.date(2026, 4, 8),
        working_days=Decimal("3"),
        amount_excl_vat=invoice.total_net,
        invoice=invoice,
    )


def fund_scene(code: str = "BE", *, policy: PolicyTerms = POLICY, order: bool = True) -> Fund:
    shop = shop_for(code)
    admin = make_staff(shop.entity, Role.ADMINISTRATOR)
    set_policy(entity=shop.entity, valid_from=dt.date(2026, 1, 1), terms=policy, acting_user=admin)
    invoice = shop.invoice("2000.00")
    if order:
        confirmed_order(shop, invoice)
    person = Person.objects.get(user=shop.user)
    day_contracts(person, shop.activity, ["450.00", "450.00", "450.00"])
    return Fund(shop, person, invoice, admin)


@pytest.fixture
def scene(db: Any) -> Fund:
    return fund_scene()


@pytest.fixture
def paid_by_fund(scene: Fund) -> Fund:
    run_payroll(entity=scene.entity, period=APRIL)
    return scene

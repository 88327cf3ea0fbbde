"""Monthly contracts (France CESA with its DPAE; income smoothing) and cancellations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mutua.contracts.actions import (
    cancel_contract,
    end_monthly_contract,
    make_monthly_contract,
    send_declarations,
)
from mutua.contracts.models import Contract, Declaration
from mutua.core.errors import AccessDenied, InvalidInput, StateConflict
from mutua.core.permissions import Role
from tests.conftest import make_member, make_staff
from tests.contracts.conftest import confirmed
from tests.ledger.conftest import books, make_activity


@pytest.fixture
def cae(db: Any) -> dict[str, Any]:
    entity = books("FR", years=(2026,))
    officer = make_staff(entity, Role.PAYROLL_OFFICER)
    member = make_member(entity)
    activity = make_activity(entity, holder=member.person)
    return {"entity": entity, "officer": officer, "person": member.person, "activity": activity}


def cesa(cae: dict[str, Any], **overrides: Any) -> Contract:
    values: dict[str, Any] = {
        "acting_user": cae["officer"],
        "person": cae["person"],
        "activity": cae["activity"],
        "start": dt.date(2026, 4, 1),
        "monthly_work_budget": Decimal("2500.00"),
    }
    values.update(overrides)
    return make_monthly_contract(**values)


def test_a_cesa_is_open_ended_and_declared_by_dpae(cae: dict[str, Any], _outbox: Any) -> None:
    contract = cesa(cae)
    assert (contract.kind, contract.end_date, contract.work_budget) == (
        "monthly",
        None,
        Decimal("2500.00"),
    )
    assert Decimal("1500") < contract.gross < Decimal("2500")
    (dpae,) = Declaration.objects.all()
    assert (dpae.scheme, dpae.action, dpae.status) == ("dpae", "in", "prepared")
    assert dpae.payload["hiring"]["contract_type"] == "CDI"
    send_declarations(entity=cae["entity"])
    dpae.refresh_from_db()
    assert dpae.status == "sent" and (_outbox / dpae.transport_ref).exists()


def test_one_monthly_contract_at_a_time_starting_on_the_first(cae: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput, match="first of a month"):
        cesa(cae, start=dt.date(2026, 4, 2))
    cesa(cae)
    with pytest.raises(StateConflict, match="already has a monthly contract"):
        cesa(cae, start=dt.date(2026, 5, 1))


def test_members_do_not_hire_themselves(cae: dict[str, Any]) -> None:
    with pytest.raises(AccessDenied):
        cesa(cae, acting_user=cae["person"].user)


def test_ending_a_belgian_monthly_contract_declares_dimona_out(
    shop: dict[str, Any],
) -> None:
    officer = make_staff(shop["entity"], Role.PAYROLL_OFFICER)
    contract = make_monthly_contract(
        acting_user=officer,
        person=shop["person"],
        activity=shop["activity"],
        start=dt.date(2026, 4, 1),
        monthly_work_budget=Decimal("3000.00"),
    )
    end_monthly_contract(acting_user=officer, contract=contract, end=dt.date(2026, 9, 30))
    assert list(Declaration.objects.values_list("scheme", "action")) == [
        ("dimona", "in"),
        ("dimona", "out"),
    ]


def test_cancelling_a_declared_contract_sends_a_cancellation(shop: dict[str, Any]) -> None:
    confirmed(shop)
    send_declarations(entity=shop["entity"])
    contract = Contract.objects.order_by("start_date").first()
    assert contract is not None
    cancel_contract(acting_user=shop["adviser"], contract=contract, reason="show cancelled")
    original = Declaration.objects.get(contract=contract, action="in")
    cancellation = Declaration.objects.get(contract=contract, action="cancel")
    assert cancellation.cancels == original and cancellation.status == "prepared"
    contract.refresh_from_db()
    assert contract.status == "cancelled"
    with pytest.raises(StateConflict):
        cancel_contract(acting_user=shop["adviser"], contract=contract, reason="again")

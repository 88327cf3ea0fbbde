"""The hand-off to the contracts module: an explicit interface with a recording default."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mutua.engagements.actions import confirm_order_form_by_client
from mutua.engagements.handoff import RecordedContractRequests, contract_requester
from mutua.engagements.models import ContractRequest, OrderForm
from tests.engagements.conftest import answer_from, sent


class Spy:
    """Stands for the contracts module of the next issue."""

    calls: list[OrderForm] = []

    def request_contracts(self, order_form: OrderForm) -> list[ContractRequest]:
        Spy.calls.append(order_form)
        return []


def test_the_default_records_one_pending_request_and_is_safe_to_repeat(
    shop: dict[str, Any],
) -> None:
    order_form, _ = sent(shop, working_days=Decimal("2.5"))
    requester = RecordedContractRequests()
    first = requester.request_contracts(order_form)
    again = requester.request_contracts(order_form)
    assert first == again
    (request,) = ContractRequest.objects.all()
    assert (request.person, request.working_days, request.status) == (
        shop["person"],
        Decimal("2.50"),
        "pending",
    )


def test_a_confirmed_form_calls_the_requester_it_is_given(shop: dict[str, Any]) -> None:
    Spy.calls = []
    order_form, token = sent(shop)
    confirm_order_form_by_client(token=token, contracts=Spy(), **answer_from())
    assert [f.pk for f in Spy.calls] == [order_form.pk]
    assert not ContractRequest.objects.exists()


def test_the_contracts_module_plugs_in_by_setting(settings: Any, shop: dict[str, Any]) -> None:
    assert isinstance(contract_requester(), RecordedContractRequests)
    settings.MUTUA_CONTRACT_REQUESTER = "tests.engagements.test_contract_handoff.Spy"
    assert isinstance(contract_requester(), Spy)
    Spy.calls = []
    order_form, token = sent(shop)
    confirm_order_form_by_client(token=token, **answer_from())
    assert [f.pk for f in Spy.calls] == [order_form.pk]

"""From an order form to day contracts and their Dimona declarations (issue 5, item 2)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from mutua.contracts.actions import make_contracts, record_declaration_answer
from mutua.contracts.models import Contract, Declaration, EntityContractSettings
from mutua.core.errors import RuleViolation
from mutua.engagements.models import ContractRequest
from tests.contracts.conftest import confirmed


def test_it_employs_the_member_for_each_working_day_with_a_dimona(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any, _outbox: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        order_form = confirmed(shop)
    assert order_form.status == "invoiced" and order_form.invoice is not None
    (request,) = ContractRequest.objects.all()
    assert request.status == "done"
    contracts = list(Contract.objects.order_by("start_date"))
    assert [c.start_date for c in contracts] == [
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 2),
        dt.date(2026, 4, 3),
    ]
    assert {(c.kind, c.worker, c.end_date == c.start_date) for c in contracts} == {
        ("day", "employee", True)
    }
    # Work budget = invoice net − fee (6.5 %) − re-invoiced expenses, split to the cent.
    invoice = order_form.invoice
    assert sum(c.work_budget for c in contracts) == invoice.total_net - invoice.fee_amount
    assert sum(c.work_budget for c in contracts) == Decimal("1402.50")
    declarations = list(Declaration.objects.order_by("id"))
    assert [(d.scheme, d.action, d.status) for d in declarations] == [("dimona", "in", "sent")] * 3
    first = declarations[0]
    assert first.payload["worker"]["ssin"] == shop["person"].national_number
    assert first.payload["period"]["start_date"] == first.payload["period"]["end_date"]
    dropped = json.loads((_outbox / first.transport_ref).read_text())
    assert dropped["scheme"] == "dimona" and dropped["contract"] == contracts[0].reference


def test_it_records_the_reference_the_service_gives_back(
    shop: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        confirmed(shop)
    declaration = Declaration.objects.first()
    assert declaration is not None
    answered = record_declaration_answer(
        declaration=declaration, accepted=True, reference="DIM-2026-000123"
    )
    assert (answered.status, answered.reference) == ("accepted", "DIM-2026-000123")


def test_it_refuses_a_day_paid_below_the_minimum(shop: dict[str, Any]) -> None:
    order_form = confirmed(shop, amount_excl_vat=Decimal("300.00"))
    # The refusal stops the invoicing; the order form says why.
    assert order_form.status == "confirmed"
    # RMMMG 2,189.81 from 1 April 2026 × 3 / 65 (countries/be/parameters/2026.yaml).
    assert "below the minimum of 101.07" in order_form.invoicing_error
    assert not Contract.objects.exists()
    assert order_form.invoice is None


def test_making_contracts_twice_returns_the_same_ones(shop: dict[str, Any]) -> None:
    confirmed(shop)
    request = ContractRequest.objects.get()
    again = make_contracts(request=request)
    assert sorted(c.pk for c in again) == sorted(Contract.objects.values_list("pk", flat=True))
    assert Contract.objects.count() == 3


def test_a_half_day_is_its_own_contract_with_half_the_budget(shop: dict[str, Any]) -> None:
    confirmed(shop, working_days=Decimal("2.5"))
    assert [c.days for c in Contract.objects.order_by("start_date")] == [
        Decimal("1.00"),
        Decimal("1.00"),
        Decimal("0.50"),
    ]
    budgets = [c.work_budget for c in Contract.objects.order_by("start_date")]
    assert budgets == [Decimal("561.00"), Decimal("561.00"), Decimal("280.50")]


def test_article_1bis_only_where_the_entity_offers_it(shop: dict[str, Any], settings: Any) -> None:
    settings.MUTUA_CONTRACT_REQUESTER = ""
    confirmed(shop)
    request = ContractRequest.objects.get()
    with pytest.raises(RuleViolation, match="does not offer article 1bis"):
        make_contracts(request=request, worker="article_1bis")
    EntityContractSettings.objects.create(
        entity=shop["entity"], allows_article_1bis=True, employer_number="0123456-78"
    )
    contracts = make_contracts(request=request, worker="article_1bis")
    assert {c.worker for c in contracts} == {"article_1bis"}
    assert Declaration.objects.filter(payload__period__article_1bis=True).count() == 3


def test_the_day_pay_minimum_is_compared_without_rounding() -> None:
    import datetime as dt
    from decimal import Decimal

    import pytest

    from mutua.contracts.rules import check_day_pay
    from mutua.core.errors import RuleViolation

    # 230.09 over 2.5 days is 92.036 a day: rounded it would show 92.04 and pass a 92.04 minimum.
    with pytest.raises(RuleViolation):
        check_day_pay(
            gross=Decimal("230.09"),
            days=Decimal("2.5"),
            minimum=Decimal("92.04"),
            worker="employee",
            on=dt.date(2026, 4, 1),
        )
    check_day_pay(
        gross=Decimal("230.10"),
        days=Decimal("2.5"),
        minimum=Decimal("92.04"),
        worker="employee",
        on=dt.date(2026, 4, 1),
    )

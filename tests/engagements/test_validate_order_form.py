"""Adviser validation where the entity requires it; nobody validates their own order form."""

from __future__ import annotations

from typing import Any

import pytest

from mutua.activities.models import ActivityParticipant
from mutua.core.errors import AccessDenied, RuleViolation, StateConflict
from mutua.core.permissions import Role
from mutua.engagements.actions import (
    confirm_order_form_by_client,
    invoice_order_form,
    validate_order_form,
)
from mutua.engagements.models import ContractRequest
from mutua.engagements.queries import waiting_for_validation
from mutua.entities.models import FeeRate
from mutua.invoicing.models import Invoice
from mutua.members.models import Person
from tests.conftest import make_entity, make_staff
from tests.engagements.conftest import answer_from, sent


@pytest.fixture
def strict(shop: dict[str, Any]) -> dict[str, Any]:
    shop["entity"].order_forms_need_validation = True
    shop["entity"].save()
    return shop


def _confirmed(shop: dict[str, Any]) -> Any:
    _, token = sent(shop)
    return confirm_order_form_by_client(token=token, **answer_from())


def test_a_confirmed_form_waits_for_the_adviser_when_the_entity_requires_it(
    strict: dict[str, Any],
) -> None:
    order_form = _confirmed(strict)
    assert order_form.status == "confirmed" and order_form.invoice is None
    assert list(waiting_for_validation(strict["adviser"])) == [order_form]
    assert not Invoice.objects.exists() and not ContractRequest.objects.exists()


def test_the_adviser_validates_and_the_form_is_invoiced(strict: dict[str, Any]) -> None:
    order_form = validate_order_form(actor=strict["adviser"], order_form=_confirmed(strict))
    assert order_form.status == "invoiced"
    assert order_form.validated_by == strict["adviser"] and order_form.validated_at is not None
    assert order_form.invoice is not None and order_form.invoice.status == "issued"
    assert ContractRequest.objects.filter(order_form=order_form).count() == 1
    assert list(waiting_for_validation(strict["adviser"])) == []


def test_a_member_is_not_an_adviser(strict: dict[str, Any]) -> None:
    order_form = _confirmed(strict)
    with pytest.raises(AccessDenied):
        validate_order_form(actor=strict["user"], order_form=order_form)
    order_form.refresh_from_db()
    assert order_form.status == "confirmed" and order_form.validated_by is None


def test_an_adviser_of_another_entity_may_not_validate(strict: dict[str, Any]) -> None:
    other = make_staff(make_entity("FR"), Role.ADVISER)
    order_form = _confirmed(strict)
    with pytest.raises(AccessDenied):
        validate_order_form(actor=other, order_form=order_form)
    assert list(waiting_for_validation(other)) == []


def test_nobody_validates_an_order_form_of_their_own_activity(strict: dict[str, Any]) -> None:
    adviser = strict["adviser"]
    person = Person.objects.create(user=adviser, first_name="Ad", last_name="Viser", country="BE")
    ActivityParticipant.objects.create(activity=strict["activity"], person=person, role="holder")
    order_form = _confirmed(strict)
    with pytest.raises(RuleViolation, match="own order form"):
        validate_order_form(actor=adviser, order_form=order_form)
    order_form.refresh_from_db()
    assert order_form.status == "confirmed"


def test_a_form_the_client_has_not_confirmed_cannot_be_validated(strict: dict[str, Any]) -> None:
    order_form, _ = sent(strict)
    with pytest.raises(StateConflict):
        validate_order_form(actor=strict["adviser"], order_form=order_form)


def test_validating_twice_changes_nothing(strict: dict[str, Any]) -> None:
    order_form = validate_order_form(actor=strict["adviser"], order_form=_confirmed(strict))
    with pytest.raises(StateConflict):
        validate_order_form(actor=strict["adviser"], order_form=order_form)
    assert Invoice.objects.count() == 1


def test_invoicing_needs_the_validation_first(strict: dict[str, Any]) -> None:
    order_form = _confirmed(strict)
    with pytest.raises(StateConflict):
        invoice_order_form(actor=strict["adviser"], order_form=order_form)
    assert not Invoice.objects.exists()


def test_a_failed_invoicing_is_retried_from_the_queue(strict: dict[str, Any]) -> None:
    rates = list(FeeRate.objects.filter(entity=strict["entity"]).values())
    FeeRate.objects.filter(entity=strict["entity"]).delete()
    order_form = validate_order_form(actor=strict["adviser"], order_form=_confirmed(strict))
    assert order_form.status == "validated" and order_form.invoicing_error
    assert list(waiting_for_validation(strict["adviser"])) == [order_form]
    FeeRate.objects.bulk_create(FeeRate(**row) for row in rates)
    order_form = invoice_order_form(actor=strict["adviser"], order_form=order_form)
    assert order_form.status == "invoiced" and order_form.invoicing_error == ""
    with pytest.raises(StateConflict):
        invoice_order_form(actor=strict["adviser"], order_form=order_form)
    assert Invoice.objects.count() == 1

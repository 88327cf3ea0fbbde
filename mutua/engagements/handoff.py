"""The hand-off from a confirmed order form to the contracts module.

The contracts module (employment contracts, Dimona/DPAE) is built in the next issue. Until then
the hand-off is this small interface: invoicing an order form calls
`contract_requester().request_contracts(order_form)` inside the same transaction. The default
implementation records one pending `ContractRequest` per member to employ, which the contracts
module will consume; it can replace the implementation with the `MUTUA_CONTRACT_REQUESTER`
setting (a dotted path to a class with the same method) without touching the engagements code.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from mutua.core.errors import RuleViolation
from mutua.engagements.models import ContractRequest, OrderForm
from mutua.members.models import Person


class ContractRequester(Protocol):
    def request_contracts(self, order_form: OrderForm) -> list[ContractRequest]:
        """Ask for the work contract(s) of a confirmed order form; safe to call twice."""
        ...


class RecordedContractRequests:
    """Default: a pending row per member, for the contracts module to pick up."""

    def request_contracts(self, order_form: OrderForm) -> list[ContractRequest]:
        requests = []
        for person in workers_of(order_form):
            request, _ = ContractRequest.objects.get_or_create(
                order_form=order_form,
                person=person,
                defaults={
                    "working_days": order_form.working_days,
                    "start_date": order_form.start_date,
                    "end_date": order_form.end_date,
                },
            )
            requests.append(request)
        return requests


def workers_of(order_form: OrderForm) -> list[Person]:
    """Who does the work: the member who wrote the order form (one worker per form for now)."""
    person = Person.objects.filter(user_id=order_form.created_by_id).first()
    if person is None:
        raise RuleViolation("the author of this order form has no member file to employ")
    return [person]


def contract_requester() -> ContractRequester:
    path = getattr(settings, "MUTUA_CONTRACT_REQUESTER", "")
    if path:
        requester: ContractRequester = import_string(path)()
        return requester
    return RecordedContractRequests()

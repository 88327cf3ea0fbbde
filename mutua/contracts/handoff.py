"""The contracts module's side of the order-form hand-off (mutua/engagements/handoff.py).

Set `MUTUA_CONTRACT_REQUESTER = "mutua.contracts.handoff.ContractMaker"`: invoicing an order form
then records its contract requests and makes the contracts (and their declarations) in the same
transaction. A refusal (minimum day pay, article 1bis not offered) stops the invoicing with the
reason, which the order form shows (`invoicing_error`), so no invoice leaves without its contract.
"""

from __future__ import annotations

from mutua.contracts.actions import make_contracts
from mutua.engagements.handoff import RecordedContractRequests
from mutua.engagements.models import ContractRequest, OrderForm


class ContractMaker(RecordedContractRequests):
    def request_contracts(self, order_form: OrderForm) -> list[ContractRequest]:
        requests = super().request_contracts(order_form)
        for request in requests:
            # The caller's copy of the form knows the invoice it has just issued.
            make_contracts(request=request, order_form=order_form)
        return requests

"""From the net pay a member wants to the amount to invoice, by the salary simulator.

The simulator (mutua.payroll.simulator, mode "net") finds the smallest invoice whose work budget
pays at least the wanted net, with the activity's fee rate and the re-invoiced expenses taken out
first. Its invoice covers the expenses too, so the work itself is that invoice minus them.
The simulator treats the engagement as one pay period with the default worker situation
(employee, single, no children): it is an estimate the member sees before sending, not a payslip.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mutua.activities.models import Activity
from mutua.core.errors import InvalidInput
from mutua.entities.queries import fee_rate_on
from mutua.payroll.simulator import SimulationRequest, simulate


def amount_for_wanted_net(
    activity: Activity, wanted_net: Decimal, *, expenses: Decimal, on: dt.date
) -> Decimal:
    """The amount excl. VAT to invoice for the work so the member is paid `wanted_net`."""
    entity = activity.entity
    fee = fee_rate_on(entity, on, activity.activity_type, activity.pk).rate
    request = SimulationRequest(
        country=entity.country,
        on=on,
        mode="net",
        amount=wanted_net,
        expenses=expenses,
        fee_rate=fee,
    )
    amount: Decimal = simulate(request).invoiced - expenses
    if amount <= 0:
        raise InvalidInput("this net pay needs no invoice: give the amount", field="wanted_net")
    return amount

"""Copyright payments: flat-rate costs, withholding and the limits. Pure: no ORM.

The flat-rate cost brackets are yearly, so a payment's costs are the costs of the year's total
after it minus the costs of the total before it: several payments in a year are taxed exactly as
one payment of their sum. Amounts are rounded to the cent, half up, at each figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mutua.core.errors import InvalidAmount, RuleViolation
from mutua.core.pay import ZERO, CopyrightRegime, cent


@dataclass(frozen=True)
class CopyrightFigures:
    gross: Decimal
    flat_costs: Decimal
    taxable: Decimal
    withholding: Decimal
    net: Decimal


def yearly_flat_costs(regime: CopyrightRegime, total: Decimal) -> Decimal:
    """The flat-rate costs of a year's total gross, unrounded."""
    first = min(total, regime.first_bracket)
    second = min(
        max(total - regime.first_bracket, ZERO), regime.second_bracket - regime.first_bracket
    )
    return first * regime.first_rate + second * regime.second_rate


def copyright_figures(
    regime: CopyrightRegime, gross: Decimal, earlier_in_year: Decimal = ZERO
) -> CopyrightFigures:
    """The figures of one payment, given what the beneficiary already received this year."""
    if gross <= 0:
        raise InvalidAmount("a copyright payment is more than zero", field="gross")
    if gross != cent(gross):
        raise InvalidAmount("give the amount in cents", field="gross")
    costs = cent(yearly_flat_costs(regime, earlier_in_year + gross)) - cent(
        yearly_flat_costs(regime, earlier_in_year)
    )
    taxable = gross - costs
    withholding = cent(taxable * regime.withholding_rate)
    return CopyrightFigures(gross, costs, taxable, withholding, gross - withholding)


@dataclass(frozen=True)
class CopyrightRoom:
    """How much one more payment may be, and which limit binds."""

    budget: Decimal  # the activity's available budget
    share_left: Decimal  # share × invoiced − copyright already paid from the activity
    ceiling_left: Decimal  # the year's ceiling − what the beneficiary received this year

    @property
    def most(self) -> Decimal:
        return max(min(self.budget, self.share_left, self.ceiling_left), ZERO)


def check_within_limits(gross: Decimal, room: CopyrightRoom, *, share: Decimal) -> None:
    """Refuse a payment above any limit, saying which one and what is left."""
    if gross > room.budget:
        raise RuleViolation(
            f"the activity's available budget is {room.budget:.2f}: {gross:.2f} cannot be paid",
            field="gross",
        )
    if gross > room.share_left:
        raise RuleViolation(
            f"copyright may be at most {share * 100:.0f} % of what the activity invoiced: "
            f"{max(room.share_left, ZERO):.2f} is left",
            field="gross",
        )
    if gross > room.ceiling_left:
        raise RuleViolation(
            f"the yearly copyright ceiling leaves {max(room.ceiling_left, ZERO):.2f} for this "
            "beneficiary this year",
            field="gross",
        )

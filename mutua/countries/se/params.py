"""Swedish parameters: Smart Sweden's published calculator formula (reference/payroll-other.md).

    gross = ((revenue / 1.0695) − expenses) / 1.3142;  net salary = gross × 0.7

i.e. a 6.5 % fee written as a 6.95 % markup (0.0695 / 1.0695 = 6.498 % of the invoice), employer
contributions 31.42 % (arbetsgivaravgifter, Socialavgiftslagen 2:26, unchanged 2024-2026 for
the general case) and a flat 30 % preliminary tax for the general case (other rates apply to
musicians and pensioners: not modelled). Tables cover 2024-2026.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D

VALID_UNTIL = dt.date(2026, 12, 31)


@dataclass(frozen=True, slots=True)
class SwedishRates:
    valid_from: dt.date
    fee_markup: D
    employer: D
    preliminary_tax: D
    source: str


RATES = (
    SwedishRates(
        valid_from=dt.date(2024, 1, 1),
        fee_markup=D("0.0695"),
        employer=D("0.3142"),
        preliminary_tax=D("0.30"),
        source="Smart Sweden published formula [V]; Skatteverket arbetsgivaravgifter 31.42 %",
    ),
)

"""Swedish monthly pay by Smart Sweden's published formula (see params.py).

The 7 % general pension fee is offset by a tax credit, so no employee contribution is shown;
the flat preliminary tax stands for the whole employee side in the general case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from mutua.countries.se import params as p
from mutua.payroll.calc import (
    ZERO,
    BudgetTerms,
    FeeRule,
    PayInputs,
    PayResult,
    Situation,
    employer_line,
    line,
    rate_line,
)

COUNTRY = "SE"
CURRENCY = "SEK"


@dataclass(frozen=True)
class SwedishPayroll:
    on: dt.date
    rates: p.SwedishRates
    provisional: bool = False  # some values are not the official ones for this date
    notes: tuple[str, ...] = ()
    country: str = COUNTRY
    currency: str = CURRENCY
    # Smart Sweden pays per project and smooths pay monthly; no hiring declaration to prepare
    # (employer declarations are monthly, AGI).
    contract_forms: tuple[str, ...] = ("day", "monthly")
    hiring_declaration: str = ""

    def minimum_day_pay(self, situation: Situation) -> Decimal | None:
        """Sweden has no statutory minimum wage (collective agreements set them)."""
        return None

    def compute_pay(self, inputs: PayInputs) -> PayResult:
        """Net = gross − 30 % preliminary tax; employer contributions 31.42 % of gross."""
        gross = inputs.gross
        tax = rate_line(
            "withholding_tax", "Preliminary tax (A-skatt)", gross, self.rates.preliminary_tax
        )
        employer = employer_line(
            "er_contributions", "Employer contributions", gross, self.rates.employer
        )
        net = gross + tax.amount
        return PayResult(
            currency=CURRENCY,
            gross=gross,
            employee_contributions=ZERO,
            work_bonus=ZERO,
            taxable=gross,
            withholding_tax=-tax.amount,
            special_contribution=ZERO,
            net=net,
            employer_contributions=-employer.amount,
            lines=(
                line("gross", "Gross pay", None, None, gross),
                tax,
                line("net", "Net pay", None, None, net),
                employer,
            ),
        )

    def budget_terms(self, situation: Situation) -> BudgetTerms:
        fee = FeeRule(self.rates.fee_markup, "invoice", True, self.rates.source)
        return BudgetTerms(fee, self.rates.employer, ZERO, ZERO, self.rates.source)


def calculator(on: dt.date) -> SwedishPayroll:
    """The Swedish rules in force on `on`; past the published years, the last values, flagged
    provisional (InvalidInput before the first year of data)."""
    rows = p.rows_on(on)
    return SwedishPayroll(on, rows.rates, provisional=rows.provisional, notes=rows.notes)

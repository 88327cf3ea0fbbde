"""Swedish monthly pay: preliminary tax by Skatteverket's tables, employer contributions.

The 7 % general pension fee is offset by a tax credit, so no employee contribution is shown;
the preliminary tax (A-skatt) is the whole employee side in the general case. It is withheld:
- by the monthly tax table of the member's municipal tax rate, column 1 (tax_tables.py), when
  the member gave their table;
- otherwise by the one-off rate (engångsskatt, column 1) on the month's pay × 12, the rule for
  pay the employer cannot put on a table;
- or, in the simulator only, by Smart Sweden's published rule of thumb (a flat 30 %), when a
  quick estimate is asked for. The tax line says which method it used.
Employer contributions 31.42 % (Socialavgiftslagen 2:26, general case).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from mutua.core.pay import (
    ZERO,
    BudgetTerms,
    FeeRule,
    PayInputs,
    PayLine,
    PayResult,
    Situation,
    employer_line,
    line,
    rate_line,
)
from mutua.countries.se import params as p
from mutua.countries.se import tax_tables

COUNTRY = "SE"
CURRENCY = "SEK"
GENERAL_COLUMN = 1  # pay of someone under 66 at the start of the year


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

    @property
    def tables_year(self) -> int:
        """The year of the tax tables used: this year's, or the nearest one shipped."""
        years = tax_tables.shipped_years()
        return min(max(self.on.year, years[0]), years[-1])

    def minimum_day_pay(self, situation: Situation) -> Decimal | None:
        """Sweden has no statutory minimum wage (collective agreements set them)."""
        return None

    def preliminary_tax(self, gross: Decimal, situation: Situation) -> PayLine:
        """The tax line, by the table, the one-off rate or the quick estimate (see above)."""
        if situation.quick_estimate:
            label = "Preliminary tax (quick estimate: Smart Sweden's flat rate)"
            return rate_line("withholding_tax", label, gross, self.rates.preliminary_tax)
        if situation.tax_table is not None:
            answer = tax_tables.monthly_tax(
                self.tables_year, situation.tax_table, GENERAL_COLUMN, gross
            )
            label = f"Preliminary tax (table {answer.table}, column {answer.column})"
            return line("withholding_tax", label, gross, answer.percent, -answer.amount)
        rate = tax_tables.one_off_rate(self.tables_year, gross * 12)
        tax = (gross * rate).to_integral_value(rounding=ROUND_FLOOR)
        label = "Preliminary tax (one-off rate: no tax table given)"
        return line("withholding_tax", label, gross, rate, -tax)

    def compute_pay(self, inputs: PayInputs) -> PayResult:
        """Net = gross − preliminary tax; employer contributions 31.42 % of gross."""
        gross = inputs.gross
        tax = self.preliminary_tax(gross, inputs.situation)
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
    """The Swedish rules in force on `on`; past the published years (rates or tax tables), the
    last values, flagged provisional (InvalidInput before the first year of data)."""
    rows = p.rows_on(on)
    payroll = SwedishPayroll(on, rows.rates)
    notes = rows.notes
    if payroll.tables_year > on.year:  # 2024: the tables are not in the product
        notes += (f"SE {on.year} tax tables not in the product: those of {payroll.tables_year}",)
    elif payroll.tables_year < on.year:
        notes += (f"SE {on.year} tax tables not published yet: those of {payroll.tables_year}",)
    return SwedishPayroll(on, rows.rates, provisional=bool(notes), notes=notes)

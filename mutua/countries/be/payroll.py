"""Belgian monthly pay: ONSS contributions, work bonus, withholding tax, CSSS, employer side.

Pure functions over the dated tables in `params.py` (no ORM, Decimal only). Order of the rules,
as on a Belgian payslip (reference/payroll-be.md, DESIGN.md §3):

    gross → employee contribution 13.07 % (108 % base for manual workers and artists)
          − social work bonus → taxable → withholding tax by the key formula − fiscal work bonus
          → special social security contribution → net.

The simulator treats the amount as a full month of full-time work (the work bonus is not
prorated for incomplete months, and day contracts are not aggregated here: payroll runs do that).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from mutua.core.pay import (
    ONE,
    ZERO,
    BudgetTerms,
    FeeRule,
    PayInputs,
    PayLine,
    PayResult,
    Situation,
    cent,
    employer_line,
    line,
)
from mutua.countries.be import params as p

COUNTRY = "BE"
CURRENCY = "EUR"


def _is_manual(situation: Situation) -> bool:
    """Manual workers and artists are declared at 108 % (holiday pay through ONVA/RJV)."""
    return situation.worker in ("manual", "artist")


def social_base(gross: Decimal, situation: Situation, rates: p.SocialRates) -> Decimal:
    """ONSS base: gross, or 108 % of gross for manual workers and artists, to the cent."""
    return cent(gross * rates.manual_base) if _is_manual(situation) else gross


# --- work bonus ---------------------------------------------------------------------------------
def bonus_part(part: p.BonusPart, reference_wage: Decimal) -> Decimal:
    """One part of the work bonus for a full-time monthly reference wage S (ONSS formula)."""
    if reference_wage <= part.low:
        return part.maximum
    if reference_wage >= part.high:
        return ZERO
    return max(cent(part.maximum - part.slope * (reference_wage - part.low)), ZERO)


def work_bonus_parts(
    gross: Decimal,
    situation: Situation,
    table: p.WorkBonus,
    contribution: Decimal,
    fraction: Decimal | None = None,
) -> tuple[Decimal, Decimal]:
    """Parts A and B of the social work bonus, never more than the employee contribution.

    Law of 20 December 1999; S is the monthly reference wage at 100 %. For a month of incomplete
    work (day contracts) S is the gross divided by the share of the month worked, and the bonus
    is scaled back by that share (ONSS instructions). When the bonus would exceed the
    contribution, part B (very low wages) is granted first, then A [U: order assumed].
    """
    manual = _is_manual(situation)
    reference = gross if fraction is None else cent(gross / fraction)
    a = bonus_part(table.manual_a if manual else table.employee_a, reference)
    b = bonus_part(table.manual_b if manual else table.employee_b, reference)
    if fraction is not None:
        a, b = cent(a * fraction), cent(b * fraction)
    b = min(b, contribution)
    a = min(a, contribution - b)
    return a, b


def fiscal_work_bonus(a: Decimal, b: Decimal, table: p.WorkBonus) -> Decimal:
    """Fiscal work bonus: 33.14 % of part A + 52.54 % of part B granted (art. 289ter/1 CIR 92)."""
    return cent(a * table.fiscal_a) + cent(b * table.fiscal_b)


# --- withholding tax: the key formula -----------------------------------------------------------
def scale_tax(income: Decimal, formula: p.KeyFormula) -> Decimal:
    """Tax on an annual net taxable income by the key formula's scale, each bracket to the cent."""
    tax, lower = ZERO, ZERO
    for upper, rate in formula.brackets:
        if income <= lower:
            return tax
        tax += cent((min(income, upper) - lower) * rate)
        lower = upper
    if income > lower:
        tax += cent((income - lower) * formula.top_rate)
    return tax


def family_reduction(situation: Situation, formula: p.KeyFormula) -> Decimal:
    """Annual reductions for dependent children and for a single parent (Annex III)."""
    n = situation.children
    reduction = ZERO
    if n:
        reduction = formula.children[min(n, 8) - 1] + max(n - 8, 0) * formula.child_beyond_eight
    if situation.single_parent and n and not situation.taxed_jointly:
        reduction += formula.single_parent
    return reduction


def annual_base_tax(annual: Decimal, situation: Situation, formula: p.KeyFormula) -> Decimal:
    """Tax before family reductions: scale I, or scale II with the marriage quotient when the
    spouse or legal cohabitant has no professional income (Annex III, quotient conjugal)."""
    expenses = min(cent(annual * formula.expense_rate), formula.expense_cap)
    net_income = annual - expenses
    if situation.taxed_jointly and not situation.partner_income:
        quotient = min(cent(net_income * formula.quotient_rate), formula.quotient_cap)
        tax = scale_tax(net_income - quotient, formula) + scale_tax(quotient, formula)
        return max(tax - formula.couple_tax_free_tax, ZERO)
    return max(scale_tax(net_income, formula) - formula.tax_free_tax, ZERO)


def withholding_before_bonus(
    taxable: Decimal, situation: Situation, formula: p.KeyFormula
) -> Decimal:
    """Monthly withholding tax by the key formula, before the fiscal work bonus.

    Annex III AR/CIR 92: annualise (× 12), deduct lump-sum expenses, apply the scale, deduct the
    tax on the tax-free sum and the family reductions, divide by 12; never below zero. Rounded to
    the cent at every step, half a cent up.
    """
    annual = cent(taxable * 12)
    tax = annual_base_tax(annual, situation, formula)
    tax = max(tax - family_reduction(situation, formula), ZERO)
    return cent(tax / 12)


# --- special social security contribution -------------------------------------------------------
def special_contribution(
    base: Decimal, situation: Situation, table: p.SpecialContribution
) -> Decimal:
    """Monthly CSSS advance on the ONSS base (law of 28 March 2022 schedule)."""
    if not situation.taxed_jointly:
        steps, cap = table.individual, table.individual_cap
    elif situation.partner_income:
        steps, cap = table.joint_two_incomes, table.joint_two_incomes_cap
    else:
        steps, cap = table.joint_one_income, table.joint_one_income_cap
    amount = ZERO
    for step in steps:
        if base > step.above:
            amount = max(step.fixed + step.rate * (base - step.above), step.floor)
    return min(cent(amount), cap)


# --- employer side ------------------------------------------------------------------------------
def employer_lines(base: Decimal, situation: Situation, rates: p.SocialRates) -> list[PayLine]:
    """Employer ONSS: basic 19.88 %, wage moderation 4.27 % of (wage + basic), extras, and for
    manual workers and artists the holiday contributions (quarterly + annual) on the 108 % base.
    Structural reductions are left out: they go to the cooperative's common pool (SMart practice).
    """
    basic = employer_line(
        "employer_basic", "Employer social security (basic)", base, rates.employer_basic
    )
    moderation_base = base - basic.amount
    lines = [
        basic,
        employer_line("wage_moderation", "Wage moderation", moderation_base, rates.wage_moderation),
    ]
    if rates.employer_other:
        lines.append(
            employer_line(
                "employer_other", "Other employer contributions", base, rates.employer_other
            )
        )
    if _is_manual(situation):
        lines.append(
            employer_line(
                "holiday_quarterly", "Holiday fund (quarterly)", base, rates.holiday_quarterly
            )
        )
        lines.append(
            employer_line("holiday_annual", "Holiday fund (annual)", base, rates.holiday_annual)
        )
    return lines


def nominal_employer_rate(situation: Situation, rates: p.SocialRates) -> Decimal:
    """The employer rate on gross used in k (before per-line rounding)."""
    rate = rates.employer_basic + rates.wage_moderation * (ONE + rates.employer_basic)
    rate += rates.employer_other
    if _is_manual(situation):
        rate += rates.holiday_quarterly + rates.holiday_annual
        rate *= rates.manual_base
    return rate


@dataclass(frozen=True)
class BelgianPayroll:
    """Belgian payroll rules in force on one date."""

    on: dt.date
    social: p.SocialRates
    bonus: p.WorkBonus
    formula: p.KeyFormula
    csss: p.SpecialContribution
    budget: p.Budget
    minimum: p.MinimumDayPay
    provisional: bool = False  # some values are not the official ones for this date
    notes: tuple[str, ...] = ()  # why, for the payslip and the simulator
    country: str = COUNTRY
    currency: str = CURRENCY
    # Employment: fixed-term day contracts (or open-ended monthly ones), each declared in Dimona.
    contract_forms: tuple[str, ...] = ("day", "monthly")
    hiring_declaration: str = "dimona"

    def minimum_day_pay(self, situation: Situation) -> Decimal | None:
        """The least gross of one full working day for this worker type (params.MINIMUM_DAY_PAY)."""
        row = self.minimum
        return {"manual": row.manual, "artist": row.artist}.get(situation.worker, row.employee)

    def compute_pay(self, inputs: PayInputs) -> PayResult:
        """A month's pay from gross (see the module docstring for the order of the rules)."""
        gross, situation = inputs.gross, inputs.situation
        base = social_base(gross, situation, self.social)
        contribution = cent(base * self.social.employee)
        a, b = work_bonus_parts(gross, situation, self.bonus, contribution, inputs.work_fraction)
        taxable = gross - contribution + a + b
        tax_before = withholding_before_bonus(taxable, situation, self.formula)
        fiscal = min(fiscal_work_bonus(a, b, self.bonus), tax_before)
        tax = tax_before - fiscal
        csss = special_contribution(base, situation, self.csss)
        employer = employer_lines(base, situation, self.social)
        lines = [
            line("gross", "Gross pay", None, None, gross),
            line(
                "employee_contribution",
                "Employee social security",
                base,
                self.social.employee,
                -contribution,
            ),
            line("work_bonus_a", "Work bonus, part A", gross, None, a),
            line("work_bonus_b", "Work bonus, part B", gross, None, b),
            line("taxable", "Taxable pay", None, None, taxable),
            line(
                "withholding_tax_scale", "Withholding tax (key formula)", taxable, None, -tax_before
            ),
            line("fiscal_work_bonus", "Fiscal work bonus", a + b, None, fiscal),
            line("special_contribution", "Special social security contribution", base, None, -csss),
            line("net", "Net pay", None, None, taxable - tax - csss),
            *employer,
        ]
        return PayResult(
            currency=CURRENCY,
            gross=gross,
            employee_contributions=contribution,
            work_bonus=a + b,
            taxable=taxable,
            withholding_tax=tax,
            special_contribution=csss,
            net=taxable - tax - csss,
            employer_contributions=-sum((ln.amount for ln in employer), ZERO),
            lines=tuple(lines),
        )

    def budget_terms(self, situation: Situation) -> BudgetTerms:
        return BudgetTerms(
            fee=FeeRule(self.budget.fee_rate, "invoice", False, self.budget.source),
            employer_rate=nominal_employer_rate(situation, self.social),
            employer_charges=self.budget.employer_charges,
            margin=self.budget.margin,
            source=self.budget.source,
        )


def calculator(on: dt.date) -> BelgianPayroll:
    """The Belgian payroll rules in force on `on`; past the published years, the last values,
    flagged provisional (InvalidInput before the first year of data)."""
    rows = p.rows_on(on)
    return BelgianPayroll(
        on=on,
        social=rows.social,
        bonus=rows.work_bonus,
        formula=rows.key_formula,
        csss=rows.special_contribution,
        budget=rows.budget,
        minimum=rows.minimum_day_pay,
        provisional=rows.provisional,
        notes=rows.notes,
    )


def compute_pay(inputs: PayInputs) -> PayResult:
    """A Belgian month's pay with the rules in force on `inputs.on`."""
    return calculator(inputs.on).compute_pay(inputs)

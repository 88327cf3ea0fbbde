"""French monthly pay, private sector: employee and employer contributions, CSG/CRDS, the general
reduction of employer contributions, for non-executives and executives (cadres).

Net is the INSEE "net before income tax" = gross − employee contributions − CSG − CRDS
(reference/payroll-fr.md); income-tax withholding (PAS) is a personal rate sent by the tax
administration, so the simulator shows 0 withholding tax for France.
The month is treated as a full month at the legal 151.67 hours (SMIC not prorated).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mutua.core.pay import (
    ZERO,
    BudgetTerms,
    EmployerProfile,
    FeeRule,
    PayInputs,
    PayLine,
    PayResult,
    Situation,
    cent,
    employer_line,
    line,
    rate_line,
)
from mutua.countries.fr import params as p

COUNTRY = "FR"
CURRENCY = "EUR"


@dataclass(frozen=True, slots=True)
class Bases:
    """The slices of the month's pay each contribution is assessed on."""

    gross: Decimal
    t1: Decimal  # up to 1 PSS
    t2: Decimal  # from 1 to 8 PSS
    up_to_4: Decimal  # up to 4 PSS
    up_to_8: Decimal


def bases(gross: Decimal, pss: Decimal) -> Bases:
    return Bases(
        gross=gross,
        t1=min(gross, pss),
        t2=max(min(gross, 8 * pss) - pss, ZERO),
        up_to_4=min(gross, 4 * pss),
        up_to_8=min(gross, 8 * pss),
    )


def monthly_smic(smic: p.Smic) -> Decimal:
    """SMIC for a full month: hourly × 1,820 / 12, to the cent."""
    return cent(smic.hourly * p.MONTHLY_HOURS)


def employee_lines(b: Bases, situation: Situation, r: p.Rates) -> list[PayLine]:
    """Employee social contributions (old age, AGIRC-ARRCO, CEG, CET, APEC for executives)."""
    lines = [
        rate_line("old_age_capped", "Old age (capped)", b.t1, r.old_age_capped[0]),
        rate_line("old_age_uncapped", "Old age (uncapped)", b.gross, r.old_age_uncapped[0]),
        rate_line("agirc_arrco_t1", "AGIRC-ARRCO tranche 1", b.t1, r.agirc_t1[0]),
        rate_line("ceg_t1", "CEG tranche 1", b.t1, r.ceg_t1[0]),
    ]
    if b.t2:
        lines += [
            rate_line("agirc_arrco_t2", "AGIRC-ARRCO tranche 2", b.t2, r.agirc_t2[0]),
            rate_line("ceg_t2", "CEG tranche 2", b.t2, r.ceg_t2[0]),
            rate_line("cet", "CET", b.up_to_8, r.cet[0]),
        ]
    if situation.category == "cadre":
        lines.append(rate_line("apec", "APEC", b.up_to_4, r.apec[0]))
    return lines


def csg_base(b: Bases, situation: Situation, r: p.Rates) -> Decimal:
    """CSG/CRDS base: 98.25 % of pay up to 4 PSS, 100 % above, plus the employer's mandatory
    death-cover contribution for executives (CSS L136-1-1)."""
    base = cent(b.up_to_4 * r.csg_base) + (b.gross - b.up_to_4)
    if situation.category == "cadre":
        base += cent(b.t1 * r.executive_insurance)
    return base


def csg_lines(base: Decimal, r: p.Rates) -> list[PayLine]:
    return [
        rate_line("csg_deductible", "CSG (deductible)", base, r.csg_deductible),
        rate_line("csg_non_deductible", "CSG (non-deductible)", base, r.csg_non_deductible),
        rate_line("crds", "CRDS", base, r.crds),
    ]


def reduced_rate(
    full: Decimal, reduced: Decimal, threshold: Decimal, gross: Decimal, smic: Decimal
) -> Decimal:
    """Health and family rates were reduced below a multiple of the SMIC until 2025."""
    return reduced if threshold and gross <= threshold * smic else full


def employer_lines(
    b: Bases,
    situation: Situation,
    r: p.Rates,
    profile: EmployerProfile,
    defaults: p.EntityDefaults,
    smic: Decimal,
) -> list[PayLine]:
    """Employer contributions before the general reduction."""
    large = profile.headcount >= 50
    accident = (
        profile.accident_rate if profile.accident_rate is not None else defaults.accident_rate
    )
    transport = (
        profile.transport_rate if profile.transport_rate is not None else defaults.transport_rate
    )
    health = reduced_rate(r.health, r.health_reduced, r.health_threshold, b.gross, smic)
    family = reduced_rate(r.family, r.family_reduced, r.family_threshold, b.gross, smic)
    lines = [
        employer_line("er_health", "Health insurance", b.gross, health),
        employer_line("er_old_age_capped", "Old age (capped)", b.t1, r.old_age_capped[1]),
        employer_line("er_old_age_uncapped", "Old age (uncapped)", b.gross, r.old_age_uncapped[1]),
        employer_line("er_family", "Family allowances", b.gross, family),
        employer_line("er_accident", "Work accidents (AT/MP)", b.gross, accident),
        employer_line("er_solidarity", "Solidarity for autonomy (CSA)", b.gross, r.solidarity),
        employer_line(
            "er_fnal",
            "Housing fund (FNAL)",
            b.gross if large else b.t1,
            r.fnal_large if large else r.fnal_small,
        ),
        employer_line("er_unemployment", "Unemployment insurance", b.up_to_4, r.unemployment),
        employer_line("er_ags", "Wage guarantee (AGS)", b.up_to_4, r.ags),
        employer_line("er_agirc_arrco_t1", "AGIRC-ARRCO tranche 1", b.t1, r.agirc_t1[1]),
        employer_line("er_ceg_t1", "CEG tranche 1", b.t1, r.ceg_t1[1]),
        employer_line("er_social_dialogue", "Social dialogue", b.gross, r.social_dialogue),
        employer_line(
            "er_training",
            "Vocational training",
            b.gross,
            r.training_large if profile.headcount >= 11 else r.training_small,
        ),
        employer_line("er_apprenticeship", "Apprenticeship tax", b.gross, r.apprenticeship),
    ]
    if b.t2:
        lines += [
            employer_line("er_agirc_arrco_t2", "AGIRC-ARRCO tranche 2", b.t2, r.agirc_t2[1]),
            employer_line("er_ceg_t2", "CEG tranche 2", b.t2, r.ceg_t2[1]),
            employer_line("er_cet", "CET", b.up_to_8, r.cet[1]),
        ]
    if situation.category == "cadre":
        lines.append(employer_line("er_apec", "APEC", b.up_to_4, r.apec[1]))
        cover = employer_line(
            "er_executive_insurance", "Executive death cover", b.t1, r.executive_insurance
        )
        lines.append(cover)
        if profile.headcount >= 11:
            # The employer's prévoyance is not subject to social contributions but, from 11
            # employees, to the 8 % forfait social (CSS L137-15, L137-16).
            lines.append(
                employer_line(
                    "er_forfait_social", "Forfait social", -cover.amount, r.forfait_social
                )
            )
    if transport and profile.headcount >= 11:
        lines.append(employer_line("er_mobility", "Mobility levy", b.gross, transport))
    return lines


def reduction_coefficient(
    gross: Decimal, smic: Decimal, headcount: int, rule: p.GeneralReduction
) -> Decimal:
    """Coefficient of the general reduction, rounded to 4 decimals (CSS D241-7).

    Until 2025 (Fillon): C = T / 0.6 × (1.6 × SMIC / pay − 1), at most T, nothing from 1.6 SMIC.
    From 2026 (RGDU): C = Tmin + Tdelta × [½ × (3 × SMIC / pay − 1)]^1.75, at most Tmin + Tdelta,
    nothing from 3 SMIC.
    """
    if gross <= 0 or gross >= rule.ceiling * smic:
        return ZERO
    maximum = rule.t_large if headcount >= 50 else rule.t_small
    if rule.form == "fillon":
        c = maximum / Decimal("0.6") * (Decimal("1.6") * smic / gross - 1)
    else:
        spread = _power(Decimal("0.5") * (3 * smic / gross - 1), rule.power)
        c = rule.t_min + (maximum - rule.t_min) * spread
    return min(max(c, ZERO), maximum).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    """base ** exponent; a quarter-integer exponent (the RGDU's 1.75) as a fourth root raised
    to an integer, ~20 times faster than Decimal's fractional power and equal to it far below
    the 4 decimals the coefficient keeps (tests/payroll/test_fr_payroll.py checks it)."""
    quarters = exponent * 4
    if base > 0 and quarters == quarters.to_integral_value():
        return base.sqrt().sqrt() ** int(quarters)
    return base**exponent


@dataclass(frozen=True)
class FrenchPayroll:
    on: dt.date
    rates: p.Rates
    smic: p.Smic
    reduction: p.GeneralReduction
    defaults: p.EntityDefaults
    provisional: bool = False  # some values are not the official ones for this date
    notes: tuple[str, ...] = ()
    country: str = COUNTRY
    currency: str = CURRENCY
    # A CAE employs its members on monthly CESA contracts (L7331-2), each hiring declared by DPAE.
    contract_forms: tuple[str, ...] = ("monthly",)
    hiring_declaration: str = "dpae"

    def minimum_day_pay(self, situation: Situation) -> Decimal | None:
        """No day contracts in France: the CESA's fixed part is checked against the SMIC."""
        return None

    def compute_pay(self, inputs: PayInputs) -> PayResult:
        """A French month's pay from gross: employee side to the net before income tax, and the
        employer side with the general reduction as a negative line."""
        gross, situation, profile = inputs.gross, inputs.situation, inputs.employer
        b = bases(gross, self.rates.pss)
        smic = monthly_smic(self.smic)
        social = employee_lines(b, situation, self.rates)
        csg = csg_lines(csg_base(b, situation, self.rates), self.rates)
        employee_total = -sum((ln.amount for ln in social + csg), ZERO)
        employer = employer_lines(b, situation, self.rates, profile, self.defaults, smic)
        coefficient = reduction_coefficient(gross, smic, profile.headcount, self.reduction)
        if coefficient:
            employer.append(
                PayLine(
                    "er_general_reduction",
                    "General reduction",
                    gross,
                    coefficient,
                    cent(gross * coefficient),
                    "employer",
                )
            )
        net = gross - employee_total
        lines = [
            line("gross", "Gross pay", None, None, gross),
            *social,
            *csg,
            line("net", "Net pay before income tax", None, None, net),
            *employer,
        ]
        return PayResult(
            currency=CURRENCY,
            gross=gross,
            employee_contributions=employee_total,
            work_bonus=ZERO,
            taxable=net - csg[1].amount - csg[2].amount,  # non-deductible CSG and CRDS are taxed
            withholding_tax=ZERO,
            special_contribution=ZERO,
            net=net,
            employer_contributions=max(-sum((ln.amount for ln in employer), ZERO), ZERO),
            lines=tuple(lines),
        )

    def budget_terms(self, situation: Situation) -> BudgetTerms:
        fee = FeeRule(self.defaults.fee_rate, "margin", False, self.defaults.source)
        return BudgetTerms(fee, None, ZERO, ZERO, self.defaults.source)


def calculator(on: dt.date) -> FrenchPayroll:
    """The French payroll rules in force on `on`; past the published years, the last values,
    flagged provisional (InvalidInput before the first year of data)."""
    rows = p.rows_on(on)
    return FrenchPayroll(
        on=on,
        rates=rows.rates,
        smic=rows.smic,
        reduction=rows.general_reduction,
        defaults=rows.entity_defaults,
        provisional=rows.provisional,
        notes=rows.notes,
    )

"""Belgian copyright payments (droits d'auteur / auteursrechten): dated yearly parameters.

Income from assigning copyright is movable income (art. 17 §1 5° CIR 92), taxed by a 15 %
withholding (précompte mobilier, art. 269 §1 4° CIR 92) on the gross minus the flat-rate costs
of art. 3 and 4 AR/CIR 92: 50 % on the first bracket, 25 % on the second, none above; the
regime stops at a yearly ceiling per beneficiary (base 37,500, indexed yearly, art. 37 and 90
CIR 92 as reformed by the programme law of 26 December 2022). Amounts are per calendar year of
payment (income year). Status tags as in reference/business-model.md.

Checked with the `search` tool (third-party publications; the SPF Finances indexation notice
itself was not found in the stored pages):
- income 2024 (tax year 2025): ceiling 73,070; brackets 19,480 / 38,970 [T: artetloibelge,
  03/2025, "exercice d'imposition 2025"]. Consistent with the base amounts: 37,500, 10,000 and
  20,000 × 1.9485.
- income 2025 and 2026: NOT verified [U]. Derived from 2024 by the indexation of the key-formula
  amounts (tax-free sum 10,570 → 10,900 → 11,170, i.e. × 1.0312 then × 1.0248), rounded to the
  ten euros as the administration does. Replace them when the SPF Finances notice is at hand.
- The 2026 federal budget agreement announced that the enhanced flat-rate costs would go
  [T: creativeshelter.be]; not enacted in a text found here, so 2026 keeps the brackets. A law
  changing it becomes a new dated row.
- Rate 15 % [V: unchanged since 2008; confirmed by the 2017 reform press and the SPF notices].
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal as D

from mutua.core.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class CopyrightYear:
    year: int
    ceiling: D  # yearly gross per beneficiary above which the regime no longer applies
    first_bracket: D  # flat-rate costs `first_rate` on gross up to this amount
    second_bracket: D  # `second_rate` between the first and this amount; nothing above
    first_rate: D
    second_rate: D
    withholding_rate: D
    source: str


def _year(year: int, ceiling: str, first: str, second: str, source: str) -> CopyrightYear:
    return CopyrightYear(
        year, D(ceiling), D(first), D(second), D("0.50"), D("0.25"), D("0.15"), source
    )


COPYRIGHT_YEARS = (
    _year(2024, "73070", "19480", "38970", "income 2024, tax year 2025 [T, artetloibelge 2025]"),
    _year(2025, "75350", "20090", "40180", "income 2025: 2024 × 1.0312 [U, not verified]"),
    _year(2026, "77220", "20590", "41180", "income 2026: 2025 × 1.0248 [U, not verified]"),
)

# SMart Belgium pays copyright for at most half of an invoice [T, business-model.md]; an entity
# sets its own share as dated data (mutua.payroll.models.CopyrightShare); this is the default.
DEFAULT_SHARE = D("0.50")


def copyright_year(year: int) -> CopyrightYear:
    for row in COPYRIGHT_YEARS:
        if row.year == year:
            return row
    raise InvalidInput(f"no Belgian copyright parameters for {year}", field="paid_on")

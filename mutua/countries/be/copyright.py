"""Belgian copyright payments (droits d'auteur / auteursrechten): dated yearly parameters.

Income from assigning copyright is movable income (art. 17 §1 5° CIR 92), taxed by a 15 %
withholding (précompte mobilier, art. 269 §1 4° CIR 92) on the gross minus the flat-rate costs
of art. 3 and 4 AR/CIR 92: 50 % on the first bracket, 25 % on the second, none above; the
regime stops at a yearly ceiling per beneficiary (base 37,500, indexed yearly, art. 37 and 90
CIR 92 as reformed by the programme law of 26 December 2022). Amounts are per calendar year of
payment (income year), in the `copyright` table of the yearly parameter files (parameters/);
status tags as in reference/business-model.md.

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

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D

from mutua.countries.be.params import PARAMETERS, SCHEMA
from mutua.countries.parameters import Period, book


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
    provisional: bool = False


def _copyright_year(period: Period) -> CopyrightYear:
    values = {key: period[key] for key in SCHEMA["copyright"]}
    return CopyrightYear(year=period.valid_from.year, source=period.source, **values)


# SMart Belgium pays copyright for at most half of an invoice [T, business-model.md]; an entity
# sets its own share as dated data (mutua.payroll.models.CopyrightShare); this is the default.
DEFAULT_SHARE = D("0.50")


def copyright_year(year: int) -> CopyrightYear:
    """The parameters of an income year; after the last published year, the last ones, flagged
    provisional (InvalidInput before the first year of data)."""
    found = book(PARAMETERS).in_force("copyright", dt.date(year, 1, 1))
    row: CopyrightYear = book(PARAMETERS).row(found.period, _copyright_year)
    if found.provisional:
        return dataclasses.replace(row, year=year, provisional=True)
    return row

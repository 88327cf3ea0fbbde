"""Swedish parameters: the schema of the yearly data files and the row the rules read.

Smart Sweden's published calculator formula (reference/payroll-other.md):

    gross = ((revenue / 1.0695) − expenses) / 1.3142;  net salary = gross × 0.7

i.e. a 6.5 % fee written as a 6.95 % markup (0.0695 / 1.0695 = 6.498 % of the invoice), employer
contributions 31.42 % (arbetsgivaravgifter, Socialavgiftslagen 2:26) and a flat 30 % tax, which
the product keeps only as the quick estimate its simulator offers; payslips withhold tax by
Skatteverket's monthly tables (tax_tables.py). The values live in `parameters/<year>.yaml`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D
from pathlib import Path

from mutua.countries.parameters import CountryParameters, Field, Period, book

SCHEMA = {
    "rates": {
        "fee_markup": Field("rate"),
        "employer": Field("rate"),
        "preliminary_tax": Field("rate"),
    }
}
PARAMETERS = CountryParameters("SE", SCHEMA, Path(__file__).with_name("parameters"))


@dataclass(frozen=True, slots=True)
class SwedishRates:
    valid_from: dt.date
    fee_markup: D
    employer: D
    preliminary_tax: D  # Smart Sweden's flat estimate; payslips use the tax tables
    source: str


def _rates(p: Period) -> SwedishRates:
    return SwedishRates(
        p.valid_from, p["fee_markup"], p["employer"], p["preliminary_tax"], p.source
    )


@dataclass(frozen=True, slots=True)
class Rows:
    rates: SwedishRates
    provisional: bool
    notes: tuple[str, ...]


def rows_on(on: dt.date) -> Rows:
    """The Swedish row in force on `on` (after the last published year: the last, provisional)."""
    rows, provisional, notes = book(PARAMETERS).rows_on(on, {"rates": _rates})
    return Rows(**rows, provisional=provisional, notes=notes)

"""French payroll parameters (private sector): the schema of the yearly data files and the rows
the rules read.

The values live in `parameters/<year>.yaml` (every value with unit, source, status tag and
validity; see mutua/countries/parameters.py) or in a set staff loaded and approved. Rates are
public law; OpenFisca-France's `parameters/` tree and the URSSAF/BOSS tables were read for facts
only. Tags: [V] official text or reproduced, [T] third party, [U] not verified or derived.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from mutua.countries.parameters import CountryParameters, Field, Period, book

# Legal 35-hour week: 1,820 hours a year, 151.67 a month (Code du travail L3121-27); kept exact
# (1,820 / 12) so the monthly SMIC is 12.02 × 1,820 / 12 = 1,823.03 as published for 2026.
MONTHLY_HOURS = D(1820) / D(12)
RATE = Field("rate")
# Contributions shared by employee and employer: one value each, `<name>_employee/_employer`.
PAIRS = (
    "old_age_capped",
    "old_age_uncapped",
    "agirc_t1",
    "ceg_t1",
    "agirc_t2",
    "ceg_t2",
    "cet",
    "apec",
)
SINGLE_RATES = (
    "health",
    "health_reduced",
    "family",
    "family_reduced",
    "solidarity",
    "fnal_small",
    "fnal_large",
    "unemployment",
    "ags",
    "social_dialogue",
    "training_small",
    "training_large",
    "apprenticeship",
    "executive_insurance",
    "forfait_social",
    "csg_deductible",
    "csg_non_deductible",
    "crds",
    "csg_base",
)
SCHEMA = {
    "smic": {"hourly": Field("EUR/hour")},
    "rates": {
        "pss": Field("EUR/month"),
        **{f"{name}_{side}": RATE for name in PAIRS for side in ("employee", "employer")},
        **dict.fromkeys(SINGLE_RATES, RATE),
        "health_threshold": Field("SMIC multiple"),
        "family_threshold": Field("SMIC multiple"),
    },
    "general_reduction": {
        "form": Field("text", "text"),
        "t_small": RATE,
        "t_large": RATE,
        "t_min": RATE,
        "power": Field("exponent"),
        "ceiling": Field("SMIC multiple"),
    },
    "entity_defaults": {"accident_rate": RATE, "transport_rate": RATE, "fee_rate": RATE},
}
PARAMETERS = CountryParameters("FR", SCHEMA, Path(__file__).with_name("parameters"))


@dataclass(frozen=True, slots=True)
class Smic:
    valid_from: dt.date
    hourly: D
    source: str


@dataclass(frozen=True, slots=True)
class Rates:
    """Employee and employer rates for one period (T1 = up to the ceiling PSS)."""

    valid_from: dt.date
    pss: D  # monthly social security ceiling
    old_age_capped: tuple[D, D]  # (employee, employer), on T1
    old_age_uncapped: tuple[D, D]
    agirc_t1: tuple[D, D]
    ceg_t1: tuple[D, D]
    agirc_t2: tuple[D, D]  # PSS to 8 PSS
    ceg_t2: tuple[D, D]
    cet: tuple[D, D]  # whole pay up to 8 PSS, only when pay exceeds the PSS
    apec: tuple[D, D]  # executives, up to 4 PSS
    health: D  # employer
    health_reduced: D  # reduced rate up to `health_threshold` × SMIC (0: none)
    health_threshold: D
    family: D
    family_reduced: D
    family_threshold: D
    solidarity: D  # CSA
    fnal_small: D  # < 50 employees, on T1
    fnal_large: D  # ≥ 50, on the whole pay
    unemployment: D  # up to 4 PSS
    ags: D  # wage guarantee, up to 4 PSS
    social_dialogue: D
    training_small: D  # < 11 employees
    training_large: D
    apprenticeship: D
    executive_insurance: D  # mandatory death cover for executives, employer, on T1
    forfait_social: D  # on the employer's prévoyance, from 11 employees (CSS L137-15, L137-16)
    csg_deductible: D
    csg_non_deductible: D
    crds: D
    csg_base: D  # 98.25 % of pay up to 4 PSS
    source: str


@dataclass(frozen=True, slots=True)
class GeneralReduction:
    """Employer general reduction: coefficient C × monthly pay (CSS L241-13, D241-7)."""

    valid_from: dt.date
    form: str  # "fillon" (until 2025) or "rgdu" (from 2026)
    t_small: D  # maximum coefficient, < 50 employees (FNAL 0.10 %)
    t_large: D
    t_min: D  # RGDU: minimum coefficient
    power: D  # RGDU exponent
    ceiling: D  # in SMIC: no reduction at or above
    source: str


@dataclass(frozen=True, slots=True)
class EntityDefaults:
    valid_from: dt.date
    accident_rate: D  # AT/MP: each entity has its own notified rate
    transport_rate: D  # versement mobilité: depends on the town, from 11 employees
    fee_rate: D
    source: str


# --- from the data to the rows ------------------------------------------------------------------
def _smic(p: Period) -> Smic:
    return Smic(p.valid_from, p["hourly"], p.source)


def _rates(p: Period) -> Rates:
    values: dict[str, Any] = {
        name: (p[f"{name}_employee"], p[f"{name}_employer"]) for name in PAIRS
    }
    values |= {
        name: p[name] for name in (*SINGLE_RATES, "pss", "health_threshold", "family_threshold")
    }
    return Rates(valid_from=p.valid_from, source=p.source, **values)


def _reduction(p: Period) -> GeneralReduction:
    values = {k: p[k] for k in SCHEMA["general_reduction"]}
    return GeneralReduction(valid_from=p.valid_from, source=p.source, **values)


def _defaults(p: Period) -> EntityDefaults:
    values = {k: p[k] for k in SCHEMA["entity_defaults"]}
    return EntityDefaults(valid_from=p.valid_from, source=p.source, **values)


BUILDERS = {
    "smic": _smic,
    "rates": _rates,
    "general_reduction": _reduction,
    "entity_defaults": _defaults,
}


@dataclass(frozen=True, slots=True)
class Rows:
    """Every French row in force on one date, and whether any value is provisional."""

    smic: Smic
    rates: Rates
    general_reduction: GeneralReduction
    entity_defaults: EntityDefaults
    provisional: bool
    notes: tuple[str, ...]


def rows_on(on: dt.date) -> Rows:
    """The French rows in force on `on` (after the last published year: the last, provisional)."""
    rows, provisional, notes = book(PARAMETERS).rows_on(on, BUILDERS)
    return Rows(**rows, provisional=provisional, notes=notes)

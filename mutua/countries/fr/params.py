"""French payroll parameters (private sector), dated, each with its source.

Rates are public law; OpenFisca-France's `parameters/` tree and the URSSAF/BOSS tables were read
for facts only. Tags: [V] official text or reproduced, [T] third party, [U] not verified.
Tables cover 1 January 2024 to 31 December 2026.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D

VALID_UNTIL = dt.date(2026, 12, 31)
# Legal 35-hour week: 1,820 hours a year, 151.67 a month (Code du travail L3121-27); kept exact
# (1,820 / 12) so the monthly SMIC is 12.02 × 1,820 / 12 = 1,823.03 as published for 2026.
MONTHLY_HOURS = D(1820) / D(12)


@dataclass(frozen=True, slots=True)
class Smic:
    valid_from: dt.date
    hourly: D
    source: str


SMIC = (
    Smic(dt.date(2024, 1, 1), D("11.65"), "Décret 2023-1216 du 20/12/2023 [V]"),
    Smic(dt.date(2024, 11, 1), D("11.88"), "Décret 2024-951 du 23/10/2024 [V]"),
    Smic(dt.date(2026, 1, 1), D("12.02"), "Décret 2025-1228 du 17/12/2025 [T]"),
    Smic(dt.date(2026, 6, 1), D("12.31"), "reference/payroll-fr.md [T, unverified]"),
)


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
    csg_deductible: D
    csg_non_deductible: D
    crds: D
    csg_base: D  # 98.25 % of pay up to 4 PSS
    source: str


def pair(employee: str, employer: str) -> tuple[D, D]:
    return D(employee), D(employer)


_COMMON = dict(
    old_age_capped=pair("0.0690", "0.0855"),  # CSS D242-4 [V]
    agirc_t1=pair("0.0315", "0.0472"),  # ANI AGIRC-ARRCO 17/11/2017 [V via OpenFisca]
    ceg_t1=pair("0.0086", "0.0129"),
    agirc_t2=pair("0.0864", "0.1295"),
    ceg_t2=pair("0.0108", "0.0162"),
    cet=pair("0.0014", "0.0021"),
    apec=pair("0.00024", "0.00036"),
    health=D("0.13"),  # CSS D242-3 [V]
    family=D("0.0525"),  # CSS D241-3-1 [V]
    solidarity=D("0.003"),  # CSA, CASF L14-10-4 [V]
    fnal_small=D("0.001"),
    fnal_large=D("0.005"),  # CSS L834-1 [V]
    unemployment=D("0.0405"),  # Unédic (4.00 % + 0.05 %) [T]
    social_dialogue=D("0.00016"),  # CT L2135-10 [V]
    training_small=D("0.0055"),
    training_large=D("0.01"),  # CT L6331-1 / L6331-3 [V]
    apprenticeship=D("0.0068"),  # CGI 1599 ter A (0.59 %) + CUFPA 0.09 % [T]
    executive_insurance=D("0.015"),  # CCN cadres 14/03/1947 art. 7, now ANI 17/11/2017 [V]
    csg_deductible=D("0.068"),  # CSS L136-8 [V]
    csg_non_deductible=D("0.024"),
    crds=D("0.005"),  # Ord. 96-50 art. 19 [V]
    csg_base=D("0.9825"),  # CSS L136-1-1 III 1°: 1.75 % abatement up to 4 PSS [V]
)

RATES = (
    Rates(
        valid_from=dt.date(2024, 1, 1),
        pss=D("3864"),  # arrêté 19/12/2023 [V]
        old_age_uncapped=pair("0.0040", "0.0202"),
        health_reduced=D("0.07"),
        health_threshold=D("2.5"),  # CSS L241-2-1 (2.5 SMIC in 2024) [V]
        family_reduced=D("0.0345"),
        family_threshold=D("3.5"),
        ags=D("0.0020"),
        source="URSSAF taux 2024; CSS D242-4; AGIRC-ARRCO; OpenFisca-France parameters",
        **_COMMON,  # type: ignore[arg-type]
    ),
    Rates(
        valid_from=dt.date(2025, 1, 1),
        pss=D("3925"),  # arrêté 19/12/2024 [V]
        old_age_uncapped=pair("0.0040", "0.0202"),
        health_reduced=D("0.07"),
        health_threshold=D("2.25"),  # LFSS 2025 art. 19, from 1 Jan 2025 [T]
        family_reduced=D("0.0345"),
        family_threshold=D("3.3"),  # LFSS 2025 [T]
        ags=D("0.0025"),  # AGS board, from 1 Jan 2025 [T]
        source="URSSAF taux 2025; LFSS 2025; AGS",
        **_COMMON,  # type: ignore[arg-type]
    ),
    Rates(
        valid_from=dt.date(2026, 1, 1),
        pss=D("4005"),  # arrêté 22/12/2025 [T: reference/payroll-fr.md]
        # CSS D242-4 from 1 Jan 2026 (décret 2025-1446 du 31/12/2025): 8.55/6.90 capped,
        # 2.11/0.40 uncapped [V, Légifrance LEGIARTI000053302465].
        old_age_uncapped=pair("0.0040", "0.0211"),
        health_reduced=D("0.13"),  # reduced rates merged into the RGDU (décret 2025-887)
        health_threshold=D("0"),
        family_reduced=D("0.0525"),
        family_threshold=D("0"),
        ags=D("0.0025"),
        source="URSSAF taux 2026; décrets 2025-887 et 2025-1446",
        **_COMMON,  # type: ignore[arg-type]
    ),
)


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


GENERAL_REDUCTION = (
    GeneralReduction(
        dt.date(2024, 1, 1),
        "fillon",
        D("0.3194"),
        D("0.3234"),
        D("0"),
        D("1"),
        D("1.6"),
        "CSS D241-7, C = (T / 0.6) × (1.6 × SMIC / pay − 1) [V]",
    ),
    GeneralReduction(
        dt.date(2025, 5, 1),
        "fillon",
        D("0.3193"),
        D("0.3233"),
        D("0"),
        D("1"),
        D("1.6"),
        "CSS D241-7 as of 1 May 2025 (AT/MP share 0.49 %) [T]",
    ),
    # Décret 2025-887 (4/9/2025) as amended by décret 2025-1446 (31/12/2025): C = Tmin + Tdelta ×
    # [½ × (3 × SMIC / pay − 1)]^1.75, Tmin 0.02, Tmin + Tdelta = 0.3981 (< 50) / 0.4021 (≥ 50),
    # nothing at or above 3 SMIC; C rounded to 4 decimals [T, ffbatiment.fr, dvlog.net, reference].
    GeneralReduction(
        dt.date(2026, 1, 1),
        "rgdu",
        D("0.3981"),
        D("0.4021"),
        D("0.02"),
        D("1.75"),
        D("3"),
        "CSS L241-13 and D241-7, décrets 2025-887 and 2025-1446 (RGDU)",
    ),
)


@dataclass(frozen=True, slots=True)
class EntityDefaults:
    valid_from: dt.date
    accident_rate: D  # AT/MP: each entity has its own notified rate
    transport_rate: D  # versement mobilité: depends on the town, from 11 employees
    fee_rate: D
    source: str


ENTITY_DEFAULTS = (
    EntityDefaults(
        dt.date(2024, 1, 1),
        accident_rate=D("0.0090"),  # [U] typical office-work rate; set the notified one
        transport_rate=D("0"),
        fee_rate=D("0.135"),  # Coopaname: 13.5 % of the gross margin [V]
        source="Coopaname contribution 13.5 % of gross margin; AT/MP and mobility are per entity",
    ),
)

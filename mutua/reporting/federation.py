"""The federation view: each entity's indicators in its own currency and converted into the
reporting currency (rates.conversion), with totals over the entities that could be converted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from mutua.entities.models import Entity
from mutua.reporting.indicators import Indicators, entity_indicators
from mutua.reporting.rates import Conversion, conversion

FLOWS = (
    "turnover",
    "fees",
    "gross_pay",
    "net_pay",
    "employer_contributions",
    "expenses",
    "fund_fed",
    "fund_losses",
)
POSITIONS = ("fund_balance", "fund_exposure", "receivables")
COUNTS = (
    "members_active",
    "members_new",
    "members_leaving",
    "invoices_issued",
    "contracts",
    "payslips",
    "paid_days",
    "full_time_equivalents",
)


@dataclass
class EntityRow:
    indicators: Indicators
    conversion: Conversion
    converted: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class FederationView:
    year: int
    currency: str
    rows: list[EntityRow]
    totals: dict[str, Decimal]
    not_converted: list[str]


def federation_view(entities: Iterable[Entity], year: int, currency: str) -> FederationView:
    rows, totals, missing = [], {name: Decimal(0) for name in FLOWS + POSITIONS + COUNTS}, []
    for entity in sorted(entities, key=lambda e: e.code):
        figures = entity_indicators(entity, year)
        rate = conversion(entity.currency, currency, year)
        row = EntityRow(figures, rate)
        rows.append(row)
        for name in COUNTS:
            totals[name] += Decimal(getattr(figures, name))
        if not rate.possible:
            missing.append(entity.code)
            continue
        for name in FLOWS:
            row.converted[name] = rate.flow(getattr(figures, name))
        for name in POSITIONS:
            row.converted[name] = rate.position(getattr(figures, name))
        for name in FLOWS + POSITIONS:
            totals[name] += row.converted[name]
    return FederationView(year, currency, rows, totals, missing)

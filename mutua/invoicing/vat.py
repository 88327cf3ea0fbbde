"""Invoice arithmetic, pure and exact.

Rounding points (documented, EN 16931 BR-CO rules): each line's net amount is quantity × unit price
rounded half-up to the cent; VAT is computed once per (category, rate) group on the sum of its
line nets and rounded half-up to the cent; totals are sums of rounded figures, so the document
always adds up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PricedLine:
    quantity: Decimal
    unit_price: Decimal
    category: str
    percent: Decimal

    @property
    def net(self) -> Decimal:
        return cents(self.quantity * self.unit_price)


@dataclass(frozen=True)
class VatGroup:
    category: str
    percent: Decimal
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    net: Decimal
    vat: Decimal
    gross: Decimal
    groups: tuple[VatGroup, ...]


def vat_groups(lines: Iterable[PricedLine]) -> tuple[VatGroup, ...]:
    taxable: dict[tuple[str, Decimal], Decimal] = {}
    for line in lines:
        key = (line.category, line.percent)
        taxable[key] = taxable.get(key, Decimal("0")) + line.net
    return tuple(
        VatGroup(category, percent, base, cents(base * percent / 100))
        for (category, percent), base in sorted(taxable.items())
    )


def invoice_totals(lines: Iterable[PricedLine]) -> Totals:
    groups = vat_groups(list(lines))
    net = sum((g.taxable for g in groups), Decimal("0"))
    vat = sum((g.tax for g in groups), Decimal("0"))
    return Totals(net=net, vat=vat, gross=net + vat, groups=groups)

"""A server-rendered waterfall of a simulation: geometry only, the template draws the SVG."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mutua.core.pay import PayLine

# Lines that show a level (a subtotal) rather than a step up or down.
LEVELS = frozenset({"invoiced", "work_budget", "gross", "taxable", "net"})
CHART_WIDTH = 640
LABEL_WIDTH = 260
ROW = 22


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    amount: Decimal
    kind: str  # level | up | down
    x: int
    y: int
    width: int


def waterfall(lines: tuple[PayLine, ...]) -> list[Bar]:
    """One bar per non-zero line: levels from zero, steps floating from the running total."""
    shown = [ln for ln in lines if ln.amount or ln.code in LEVELS]
    top = max((abs(ln.amount) for ln in shown if ln.code in LEVELS), default=Decimal(1)) or Decimal(
        1
    )
    scale = Decimal(CHART_WIDTH - LABEL_WIDTH - 10) / top
    bars, running = [], Decimal(0)
    for i, ln in enumerate(shown):
        if ln.code in LEVELS:
            running = ln.amount
            start, end, kind = Decimal(0), ln.amount, "level"
        else:
            start, end = running, running + ln.amount
            running = end
            kind = "up" if ln.amount > 0 else "down"
        low, high = sorted((start, end))
        x = LABEL_WIDTH + int(max(low, Decimal(0)) * scale)
        bars.append(Bar(ln.label, ln.amount, kind, x, i * ROW, max(int((high - low) * scale), 1)))
    return bars


def chart_height(bars: list[Bar]) -> int:
    return len(bars) * ROW + 4

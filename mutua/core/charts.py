"""Small server-rendered SVG charts: no JavaScript, no external service, readable without sight.

Each chart carries a <title> and a <desc> listing every value, and templates show the numbers
beside it; amounts are Decimal and only turned into coordinates here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 220, 56, 28, 12


def _scale(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    if high == low:
        high = low + 1
    return low, high


def line_chart_svg(
    points: Sequence[tuple[str, Decimal]],
    *,
    title: str,
    unit: str = "",
    show_every: int = 3,
    chart_id: str = "chart",
) -> str:
    """A line chart of labelled values (e.g. a balance at each month end)."""
    if not points:
        return ""
    values = [value for _label, value in points]
    low, high = _scale(values)
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_TOP - PAD_BOTTOM
    step = Decimal(plot_w) / max(len(points) - 1, 1)

    def y(value: Decimal) -> str:
        return f"{PAD_TOP + (high - value) / (high - low) * plot_h:.1f}"

    xs = [f"{PAD_LEFT + step * i:.1f}" for i in range(len(points))]
    path = " ".join(f"{x},{y(v)}" for x, v in zip(xs, values, strict=True))
    desc = "; ".join(f"{label}: {value} {unit}".strip() for label, value in points)
    labels = "".join(
        f'<text x="{xs[i]}" y="{HEIGHT - 8}" text-anchor="middle">{escape(points[i][0])}</text>'
        for i in range(0, len(points), max(show_every, 1))
    )
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<line x1="{PAD_LEFT}" x2="{WIDTH - 8}" y1="{y(Decimal(0))}" y2="{y(Decimal(0))}" '
        f'stroke="#9aa4b2" stroke-dasharray="4 3"/>'
        f'<g font-size="11" fill="#5b6675">'
        f'<text x="{PAD_LEFT - 6}" y="{y(high)}" text-anchor="end" dy="4">{high:.0f}</text>'
        f'<text x="{PAD_LEFT - 6}" y="{y(low)}" text-anchor="end" dy="4">{low:.0f}</text></g>'
        f'<polyline fill="none" stroke="#0b6e4f" stroke-width="2.5" points="{path}"/>'
        f'<g font-size="11" fill="#5b6675">{labels}</g></svg>'
    )


def bar_chart_svg(
    points: Sequence[tuple[str, Decimal]],
    *,
    title: str,
    unit: str = "",
    chart_id: str = "bars",
    show_every: int = 1,
) -> str:
    """Vertical bars of labelled values (e.g. turnover per month); negative bars hang below 0.
    Every bar keeps its own tooltip; `show_every` thins the axis labels of long series."""
    if not points:
        return ""
    values = [value for _label, value in points]
    low, high = _scale(values)
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_TOP - PAD_BOTTOM
    slot = Decimal(plot_w) / len(points)

    def y(value: Decimal) -> Decimal:
        return PAD_TOP + (high - value) / (high - low) * plot_h

    zero = y(Decimal(0))
    bars, labels = [], []
    for i, (label, value) in enumerate(points):
        x = PAD_LEFT + slot * i + slot * Decimal("0.15")
        top, bottom = sorted((y(value), zero))
        bars.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{slot * Decimal("0.7"):.1f}" '
            f'height="{max(bottom - top, Decimal("0.5")):.1f}" fill="#0b6e4f">'
            f"<title>{escape(label)}: {value} {escape(unit)}</title></rect>"
        )
        if i % max(show_every, 1) == 0:
            labels.append(
                f'<text x="{PAD_LEFT + slot * i + slot / 2:.1f}" y="{HEIGHT - 8}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    desc = "; ".join(f"{label}: {value} {unit}".strip() for label, value in points)
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<g font-size="11" fill="#5b6675">'
        f'<text x="{PAD_LEFT - 6}" y="{y(high):.1f}" text-anchor="end" dy="4">{high:.0f}</text>'
        f'<text x="{PAD_LEFT - 6}" y="{y(low):.1f}" text-anchor="end" dy="4">{low:.0f}</text></g>'
        f'<line x1="{PAD_LEFT}" x2="{WIDTH - 8}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="#9aa4b2"/>'
        f"{''.join(bars)}"
        f'<g font-size="11" fill="#5b6675">{"".join(labels)}</g></svg>'
    )

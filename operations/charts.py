"""Server-rendered SVG charts: the geometry is computed here, the template only draws it.

Bars and lines are laid out on a fixed viewBox (so the SVG scales with the page); every
chart is drawn from the same rows as the table shown under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kernel.decimals import grouped, without_trailing_zeros

WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 190
VALUE_WIDTH = 80


LABEL_CHARS = 16
"""A bar's label is cut to this many characters (the full one is its tooltip)."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    text: str
    y: int
    width: int
    css: str = ""

    # What the template draws, computed here: a page of four charts of twenty bars then
    # renders without arithmetic (or number formatting) in the template.
    @property
    def short_label(self) -> str:
        if len(self.label) <= LABEL_CHARS:
            return self.label
        return self.label[: LABEL_CHARS - 1] + "…"

    @property
    def value_x(self) -> str:
        return str(LABEL_WIDTH + self.width + 6)


@dataclass(frozen=True)
class BarChart:
    title: str
    unit: str
    bars: list[Bar]
    height: int
    grid: list[Tick] = field(default_factory=list)
    plot_bottom: int = 0  # where the bars end and the value axis starts
    plot_x: str = str(LABEL_WIDTH)
    label_x: str = str(LABEL_WIDTH - 6)
    width: int = WIDTH
    reference: Tick | None = None
    """A standard line across the bars (GB/T 33358's 接通率 95 %), when one is given."""

    @property
    def empty(self) -> bool:
        return all(bar.value is None for bar in self.bars)


def bar_chart(
    title: str,
    unit: str,
    rows: Sequence[tuple[str, Decimal | None, str]],
    css: Sequence[str] = (),
    reference: tuple[str, Decimal] | None = None,
) -> BarChart:
    """Horizontal bars, one per ``(label, value, css)``; the longest bar fills the plot.
    ``reference`` (label, value): a dashed line at that value, its label the tooltip."""
    values = [v for _label, v, _css in rows if v is not None]
    top = max([*values, *([reference[1]] if reference else [])], default=Decimal(0))
    if (
        unit == "%"
    ):  # rates are drawn against 100 %, so bars of different charts compare
        top = max(top, Decimal(100))
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value, extra) in enumerate(rows):
        width = 0 if value is None or top <= 0 else int(plot * value / top)
        text = "—" if value is None else f"{grouped(value, places=False)}{unit}"
        bars.append(
            Bar(
                label, value, text, index * (BAR_HEIGHT + BAR_GAP), max(width, 0), extra
            )
        )
    height = max(len(rows) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT + BAR_GAP)
    # the value axis under the bars: 0, ¼, ½, ¾ and all of ``top``, each with a gridline
    # (none on a chart without a value: there is nothing to read against it)
    grid = [
        Tick(
            LABEL_WIDTH + plot * step // 4,
            height + 14,
            f"{grouped(top * step / 4, places=False)}{unit}",
        )
        for step in range(5)
        if top > 0
    ]
    line = None
    if reference is not None and top > 0:
        line = Tick(LABEL_WIDTH + int(plot * reference[1] / top), height, reference[0])
    return BarChart(
        title, unit, bars, height + AXIS_HEIGHT, grid, height, reference=line
    )


AXIS_HEIGHT = 20
"""Room under a bar chart's bars for its value axis."""


@dataclass(frozen=True)
class Tick:
    """A gridline at ``x`` (bar charts) or ``y`` (line charts) and its label."""

    position: int
    label_at: int
    text: str


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    label: str
    text: str


@dataclass(frozen=True)
class LineChart:
    title: str
    unit: str
    series: list[tuple[str, str, list[Point]]]  # (name, css class, points)
    polyline: list[tuple[str, str]]  # (css class, "x,y x,y …")
    ticks: list[Point]
    grid: list[Tick] = field(default_factory=list)  # the y axis: gridlines and labels
    width: int = WIDTH
    height: int = 220
    left: int = 60
    right: int = 560
    bottom: int = 180
    top: int = 28


def line_chart(
    title: str,
    unit: str,
    years: Sequence[int],
    series: Sequence[tuple[str, str, dict[int, Decimal]]],
) -> LineChart:
    """One line per series over ``years`` (x), scaled from 0 to the largest value (y)."""
    left, right, top_margin, bottom = 60, 80, 28, 180
    values = [v for _n, _c, data in series for v in data.values()]
    top = nice_top(max(values, default=Decimal(1)) or Decimal(1))
    span = max(len(years) - 1, 1)

    def x_of(index: int) -> int:
        return left + int((WIDTH - left - right) * index / span)

    def y_of(value: Decimal) -> int:
        return bottom - int((bottom - top_margin) * value / top)

    drawn = []
    lines = []
    for name, css, data in series:
        points = [
            Point(
                x_of(i),
                y_of(data[year]),
                str(year),
                f"{grouped(data[year], places=False)}{unit}",
            )
            for i, year in enumerate(years)
            if year in data
        ]
        drawn.append((name, css, points))
        lines.append((css, " ".join(f"{p.x},{p.y}" for p in points)))
    ticks = [Point(x_of(i), bottom + 18, str(year), "") for i, year in enumerate(years)]
    grid = [
        Tick(
            y_of(top * step / 4),
            y_of(top * step / 4) + 4,
            grouped(top * step / 4, places=False),
        )
        for step in range(5)
    ]
    # the target drawn last, as a ring: a target equal to the actual circles its dot
    drawn.sort(key=lambda s: s[1] == "target")
    return LineChart(
        title,
        unit,
        drawn,
        lines,
        ticks,
        grid,
        left=left,
        right=WIDTH - right,
        bottom=bottom,
        top=top_margin,
    )


def nice_top(value: Decimal) -> Decimal:
    """The axis maximum: ``value`` rounded up to 1, 2, 2.5 or 5 times a power of ten
    (96.12 → 100, 1036.39 → 2000, 8.99 → 10), so the gridlines fall on round numbers."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (value.adjusted())
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if value <= step * power:
            return without_trailing_zeros(step * power)
    return without_trailing_zeros(10 * power)  # pragma: no cover - 10 × power ≥ value

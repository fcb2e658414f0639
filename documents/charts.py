"""Charts of the printed documents, drawn as SVG markup in pure Python.

The same markup goes inline into the HTML twin and, through WeasyPrint's own SVG renderer,
into the PDF as vectors. Two kinds, both for the evaluation report:

- ``bar_chart``: one bar per category with its value printed on top (得分率 by 一级指标, on a
  0–100 % axis);
- ``trend_chart``: small multi-year panels side by side (接听量 as bars, 每万接听量人工成本
  and 月均人员流失率 as lines), each with a dashed reference line for the multi-year mean
  (labelled under the panel; the caption says what the dashed line is).

Charts only draw: every label arrives already formatted (the figure as the report's tables
print it), so a chart never rounds or computes a figure of its own; the value is used only
for the bar's length or the point's height. Text is set in the report's one face (Noto
Serif CJK SC), so a chart adds no font to the PDF, and every label is XML-escaped. ``Chart.texts`` lists every string drawn, in drawing
order: what a reader of the PDF's text layer finds in the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

FONT = "Noto Serif CJK SC"

# Colours that survive black-and-white printing as distinct greys.
BAR = "#4a6f9c"
LINE = "#b5532d"
GRID = "#c8c8c8"
AXIS = "#555555"
REFERENCE = "#777777"


@dataclass(frozen=True)
class Point:
    """A category (一级指标, a year) with its value and the value as printed."""

    label: str
    value: Decimal
    text: str


@dataclass(frozen=True)
class TrendPanel:
    """One small chart of a trend: a measure over the years, with its mean as reference."""

    title: str  # the measure and its unit, e.g. 接听量（万次）
    points: tuple[Point, ...]  # chronological
    style: Literal["bar", "line"] = "bar"
    reference: Point | None = None  # e.g. the base years' mean, drawn dashed


@dataclass(frozen=True)
class Chart:
    svg: str
    texts: tuple[str, ...]
    description: str


class _Canvas:
    """SVG elements in user units (1 unit = 0.25 mm when drawn at the given width)."""

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self.elements: list[str] = []
        self.texts: list[str] = []

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        *,
        stroke: str,
        width: float = 1,
        dashed: bool = False,
    ) -> None:
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        self.elements.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{stroke}" stroke-width="{width}"{dash}/>'
        )

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str) -> None:
        self.elements.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{fill}"/>'
        )

    def polyline(self, points: Sequence[tuple[float, float]], *, stroke: str) -> None:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.elements.append(
            f'<polyline points="{coords}" fill="none" stroke="{stroke}" '
            f'stroke-width="2.5"/>'
        )

    def circle(self, x: float, y: float, r: float, *, fill: str) -> None:
        self.elements.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}"/>'
        )

    def text(
        self,
        x: float,
        y: float,
        value: str,
        *,
        size: float = 13,
        anchor: str = "middle",
        fill: str = "#000000",
    ) -> None:
        if not value:
            return
        self.elements.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-family={quoteattr(FONT)} '
            f'font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
            f"{escape(value)}</text>"
        )
        self.texts.append(value)

    def halo(self, x: float, y: float, value: str, *, size: float) -> None:
        """A white patch under a centred label, so a line or grid line under it does not
        run through the figure (widths estimated: digits ~0.55 em, hanzi 1 em)."""
        width = sum(size if ord(c) > 0x2E7F else size * 0.56 for c in value) + 4
        self.rect(x - width / 2, y - size * 0.85, width, size * 1.1, fill="#ffffff")

    def chart(self, *, width_mm: float, description: str) -> Chart:
        height_mm = width_mm * self.height / self.width
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" '
            f'width="{width_mm:g}mm" height="{height_mm:.1f}mm" '
            f'viewBox="0 0 {self.width:g} {self.height:g}" role="img" '
            f"aria-label={quoteattr(description)}>" + "".join(self.elements) + "</svg>"
        )
        return Chart(svg=svg, texts=tuple(self.texts), description=description)


def _wrap(label: str, width: int) -> list[str]:
    """A category label in lines of at most ``width`` characters (hanzi wrap anywhere)."""
    return [label[i : i + width] for i in range(0, len(label), width)] or [""]


def nice_maximum(value: float) -> float:
    """The axis maximum: the first 1, 2, 2.5 or 5 × 10ⁿ above ``value`` with headroom
    for the printed value (12.15 → 15, 1012.36 → 1250, 2.96 → 4)."""
    if value <= 0:
        return 1.0
    target = value * 1.15
    magnitude = 10.0 ** math.floor(math.log10(target))
    for step in (1, 1.5, 2, 2.5, 4, 5, 10):
        if step * magnitude >= target:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop ends at 10


def bar_chart(
    points: Sequence[Point],
    *,
    axis_maximum: Decimal,
    axis_step: Decimal,
    axis_suffix: str = "",
    description: str,
    width_mm: float = 150,
) -> Chart:
    """Vertical bars on a fixed axis (得分率: 0–100 % by 25), value printed on each bar."""
    count = max(len(points), 1)
    width, height = 600.0, 250.0
    left, right, top, bottom = 56.0, 12.0, 24.0, 46.0
    plot_w, plot_h = width - left - right, height - top - bottom
    canvas = _Canvas(width, height)
    maximum = float(axis_maximum)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - min(value, maximum) / maximum)

    # Grid lines at every step, labelled at every other one: the bars carry their values,
    # and each SVG label costs WeasyPrint a text layout per character.
    tick, number = Decimal(0), 0
    while tick <= axis_maximum:
        y = y_of(float(tick))
        canvas.line(left, y, width - right, y, stroke=GRID, width=0.8)
        if number % 2 == 0:
            canvas.text(
                left - 8, y + 4.5, f"{tick:g}{axis_suffix}", size=12, anchor="end"
            )
        tick, number = tick + axis_step, number + 1
    canvas.line(left, top, left, top + plot_h, stroke=AXIS, width=1.2)
    canvas.line(left, top + plot_h, width - right, top + plot_h, stroke=AXIS, width=1.2)

    slot = plot_w / count
    bar_w = min(slot * 0.5, 70.0)
    for number, point in enumerate(points):
        centre = left + slot * (number + 0.5)
        y = y_of(float(point.value))
        canvas.rect(centre - bar_w / 2, y, bar_w, top + plot_h - y, fill=BAR)
        canvas.text(centre, y - 6, point.text, size=13)
        for line_number, line in enumerate(_wrap(point.label, 9)):
            canvas.text(centre, top + plot_h + 19 + 16 * line_number, line, size=13)
    return canvas.chart(width_mm=width_mm, description=description)


def _below_a_neighbour(points: Sequence[Point], number: int) -> bool:
    """A line's value label goes under its point when a neighbouring point is higher, so
    it clears the line running up to that neighbour."""
    value = points[number].value
    neighbours = [
        *points[max(number - 1, 0) : number],
        *points[number + 1 : number + 2],
    ]
    return any(other.value > value for other in neighbours)


def trend_chart(
    panels: Sequence[TrendPanel], *, description: str, width_mm: float = 170
) -> Chart:
    """Small multiples side by side: one panel per measure, the years along each x axis."""
    panel_w, height = 260.0, 250.0
    gap = 24.0
    width = panel_w * len(panels) + gap * (len(panels) - 1) if panels else panel_w
    canvas = _Canvas(width, height)
    for number, panel in enumerate(panels):
        _trend_panel(canvas, panel, x0=number * (panel_w + gap), w=panel_w, h=height)
    return canvas.chart(width_mm=width_mm, description=description)


def _trend_panel(
    canvas: _Canvas, panel: TrendPanel, *, x0: float, w: float, h: float
) -> None:
    left, right, top, bottom = 14.0, 14.0, 44.0, 58.0
    plot_x, plot_w = x0 + left, w - left - right
    plot_top, plot_h = top, h - top - bottom
    canvas.text(x0 + w / 2, 18, panel.title, size=13.5)
    values = [float(p.value) for p in panel.points]
    if panel.reference is not None:
        values.append(float(panel.reference.value))
    maximum = nice_maximum(max(values, default=0.0))

    def y_of(value: float) -> float:
        return plot_top + plot_h * (1 - max(value, 0.0) / maximum)

    base = plot_top + plot_h
    canvas.line(plot_x, base, plot_x + plot_w, base, stroke=AXIS, width=1.2)
    count = max(len(panel.points), 1)
    slot = plot_w / count
    centres = [plot_x + slot * (i + 0.5) for i in range(len(panel.points))]
    if panel.style == "bar":
        bar_w = min(slot * 0.55, 46.0)
        for centre, point in zip(centres, panel.points, strict=True):
            y = y_of(float(point.value))
            canvas.rect(centre - bar_w / 2, y, bar_w, base - y, fill=BAR)
    else:
        coords = [
            (centre, y_of(float(point.value)))
            for centre, point in zip(centres, panel.points, strict=True)
        ]
        canvas.polyline(coords, stroke=LINE)
        for x, y in coords:
            canvas.circle(x, y, 4, fill=LINE)
    if panel.reference is not None:
        y = y_of(float(panel.reference.value))
        canvas.line(plot_x, y, plot_x + plot_w, y, stroke=REFERENCE, dashed=True)
    for number, (centre, point) in enumerate(zip(centres, panel.points, strict=True)):
        y = y_of(float(point.value))
        below = panel.style == "line" and _below_a_neighbour(panel.points, number)
        label_y = y + 21 if below else y - 9
        canvas.halo(centre, label_y, point.text, size=12)
        canvas.text(centre, label_y, point.text, size=12)
        canvas.text(centre, base + 18, point.label, size=12.5)
    if panel.reference is not None:
        canvas.text(
            x0 + w / 2,
            base + 40,
            f"{panel.reference.label} {panel.reference.text}",
            size=11.5,
            fill=AXIS,
        )

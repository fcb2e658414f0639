"""Reported operating values against the same figures recomputed from records.

For each figure a centre reported (``operations.selectors.year_table``: a year's value,
entered or summed from months, and each month's) that the records can support
(``records.kpis.KPI_BY_METRIC``), one ``Line``: the reported figure, the recomputed one,
their difference and a verdict —

- **一致**: the recomputed figure, written with as many decimals as the reported one in the
  reported unit, *is* the reported figure (1012.36 万次 stands for 10,123,550–10,123,649
  次: a centre that prints two decimals of 万 has rounded), or within the configured
  tolerance (``RECORDS_RECONCILIATION``: ``relative`` for counts and means, ``rate_points``
  for rates in percentage points; both 0 by default: no figure is waved through);
- **差异**: otherwise, with both figures and the difference (recomputed − reported) in the
  base unit (次, 件, 秒) or percentage points;
- **无法核验**: records are missing for part of the period (a month never imported), so no
  recomputed figure is given — kept apart from a wrong figure, never scored as one.

Rates are compared as printed: the reported rate is derived from the reported counts
(``operations.derived``), the recomputed one from the recomputed counts, both by
``kernel.metrics.rate`` (2 places, half-up).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from kernel import metrics
from kernel.rounding import divide, quantize
from kernel.units import UnitError, convert, unit
from records.columns import RecordKind
from records.kpis import KPI_BY_METRIC, Kpi

ALL_MONTHS: Final = tuple(range(1, 13))


class Verdict(StrEnum):
    CONSISTENT = "一致"
    DIFFERENT = "差异"
    UNVERIFIABLE = "无法核验"


@dataclass(frozen=True)
class Tolerance:
    relative: Decimal = Decimal(0)
    rate_points: Decimal = Decimal(0)


@dataclass(frozen=True)
class Reported:
    """One reported figure: ``value`` in ``unit`` for ``months`` of the year."""

    metric: str
    name: str
    month: int | None
    value: Decimal
    unit: str
    months: tuple[int, ...]


@dataclass(frozen=True)
class Recomputed:
    """The measures of a year by month, and the months each kind of record covers."""

    year: int
    measures: Mapping[int, Mapping[str, int]]
    covered: Mapping[RecordKind, frozenset[int]]

    def total(self, measure: str, months: Iterable[int]) -> int:
        return sum(self.measures.get(m, {}).get(measure, 0) for m in months)


@dataclass(frozen=True)
class Line:
    metric: str
    name: str
    year: int
    month: int | None
    reported: Decimal
    reported_unit: str
    recomputed: Decimal | None
    difference: Decimal | None
    unit: str
    """The unit of ``recomputed`` and ``difference`` (base unit, % points for a rate)."""
    verdict: Verdict
    numerator: int | None = None
    denominator: int | None = None
    missing: str = ""
    """What records are missing, for 无法核验 (“12月的话单”)."""

    @property
    def period(self) -> str:
        return str(self.year) if self.month is None else f"{self.year}-{self.month:02d}"

    @property
    def reported_in_base(self) -> Decimal:
        if self.unit == "%" or self.reported_unit == self.unit:
            return self.reported
        return convert(self.reported, self.reported_unit, self.unit)

    def as_json(self) -> dict[str, object]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else _plain(value)

        return {
            "metric": self.name,
            "code": self.metric,
            "period": self.period,
            "reported": text(self.reported_in_base),
            "reported_as": f"{_plain(self.reported)} {self.reported_unit}".strip(),
            "recomputed": text(self.recomputed),
            "difference": text(self.difference),
            "unit": self.unit,
            "verdict": self.verdict.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "missing": self.missing,
        }


def _plain(value: Decimal) -> str:
    text = (
        format(value.normalize(), "f")
        if value == value.to_integral()
        else format(value, "f")
    )
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(-int(exponent), 0)


def _missing(kpi: Kpi, months: Sequence[int], recomputed: Recomputed) -> str:
    parts = []
    for kind in sorted(kpi.kinds):
        absent = [
            m for m in months if m not in recomputed.covered.get(kind, frozenset())
        ]
        if absent:
            listed = "、".join(f"{m}月" for m in absent)
            parts.append(f"{listed}的{kind.label}")
    return "；".join(parts)


def reconcile_figure(
    reported: Reported, recomputed: Recomputed, tolerance: Tolerance
) -> Line | None:
    """The line of one reported figure, or None when records cannot support it."""
    kpi = KPI_BY_METRIC.get(reported.metric)
    if kpi is None:
        return None
    months = reported.months or ((reported.month,) if reported.month else ALL_MONTHS)
    is_rate = bool(kpi.denominator) and not kpi.per
    base = "%" if is_rate else _base(reported.unit)
    if base is None:
        return None
    line = {
        "metric": reported.metric,
        "name": reported.name,
        "year": recomputed.year,
        "month": reported.month,
        "reported": reported.value,
        "reported_unit": reported.unit,
        "unit": base,
    }
    missing = _missing(kpi, months, recomputed)
    if missing:
        return Line(
            **line,  # type: ignore[arg-type]
            recomputed=None,
            difference=None,
            verdict=Verdict.UNVERIFIABLE,
            missing=missing,
        )
    numerator = recomputed.total(kpi.numerator, months)
    denominator = recomputed.total(kpi.denominator, months) if kpi.denominator else None
    verdict = Verdict.DIFFERENT
    if is_rate:
        value = (
            metrics.rate(Decimal(numerator), Decimal(denominator))
            if denominator
            else None
        )
        if value is not None:
            difference = value - reported.value
            if abs(difference) <= tolerance.rate_points:
                verdict = Verdict.CONSISTENT
    else:
        if kpi.per:
            places = max(_decimals(reported.value), 2)
            value = (
                quantize(divide(Decimal(numerator), Decimal(denominator)), places)
                if denominator
                else None
            )
        else:
            value = Decimal(numerator)
        if value is not None:
            reported_base = convert(reported.value, reported.unit, base)
            difference = value - reported_base
            in_reported_unit = quantize(
                convert(value, base, reported.unit), _decimals(reported.value)
            )
            if in_reported_unit == reported.value.normalize() or abs(
                difference
            ) <= tolerance.relative * abs(reported_base):
                verdict = Verdict.CONSISTENT
    return Line(
        **line,  # type: ignore[arg-type]
        recomputed=value,
        difference=None if value is None else difference,
        verdict=verdict,
        numerator=numerator,
        denominator=denominator,
    )


def _base(symbol: str) -> str | None:
    try:
        return unit(symbol).base
    except (UnitError, KeyError):
        return None


def reconcile(
    reported: Iterable[Reported], recomputed: Recomputed, tolerance: Tolerance
) -> list[Line]:
    lines = (reconcile_figure(r, recomputed, tolerance) for r in reported)
    return [line for line in lines if line is not None]

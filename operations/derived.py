"""Figures of a period and the metrics derived from them.

Pure Python. A ``Figure`` is a value with the unit it was entered in and where it came from.
Derived metrics are computed here by the functions of ``kernel.metrics`` — the
project's one rounding rule (half-up, 2 places, once) — never re-implemented:

- ``Formula.PERCENT``: ``metrics.rate(numerator, denominator)``. When the two were entered in
  the same unit they are used as entered (1012.36 万次 / 1053.2 万次 = 96.12%, as Tianjin
  prints it); otherwise each is first converted to its base unit (32.4 万件 → 324000 件).
- ``Formula.LABOUR_COST_PER_10K_CALLS``: 人工费用 in 万元 over 接听量 in 万次.
- ``Formula.UNIT_LABOUR_COST``: 人工费用 in 万元 over 月均人数.
- ``Formula.MONTHLY_TURNOVER_RATE``: (流失人数 ÷ 12) over 月均人数; the numerator shown is the
  monthly mean of leavers, 2 places.
- ``Formula.SUM``: the parts in their common unit (or base unit); all parts are required.

A year's figure is its annual row when the centre entered one; otherwise it follows from the
months entered, by the metric's ``Aggregation`` (see ``year_figure``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from kernel import metrics
from kernel.rounding import divide, quantize
from kernel.units import UnitError, convert, unit
from operations.catalogue import Aggregation, Formula, MetricSpec

TWELVE: Final = Decimal(12)


@dataclass(frozen=True, slots=True)
class Figure:
    value: Decimal
    unit: str
    sources: tuple[str, ...] = ()
    """Where the number came from (upload labels), for the user to check."""
    months: tuple[int, ...] = ()
    """For a year aggregated from monthly rows: the months it covers."""

    def base(self) -> tuple[Decimal, str]:
        """The value in its base unit: (10123600, "次") for 1012.36 万次."""
        u = unit(self.unit)
        return convert(self.value, self.unit, u.base), u.base

    def to(self, target: str) -> Decimal:
        return convert(self.value, self.unit, target)


@dataclass(frozen=True, slots=True)
class Derived:
    value: Decimal
    unit: str
    numerator: Decimal | None = None
    numerator_unit: str = ""
    denominator: Decimal | None = None
    denominator_unit: str = ""
    sources: tuple[str, ...] = ()
    months: tuple[int, ...] = ()


Resolve = Callable[[str], Figure | None]


def derive(spec: MetricSpec, resolve: Resolve) -> Derived | None:
    """The value of a derived metric, or ``None`` when an input is missing or a
    denominator is zero (a rate without a base is not 0%)."""
    if spec.formula is Formula.SUM:
        return _sum(spec, [resolve(code) for code in spec.parts])
    num, den = resolve(spec.numerator), resolve(spec.denominator)
    if num is None or den is None:
        return None
    sources = _merge(num.sources, den.sources)
    months = tuple(sorted(set(num.months) | set(den.months)))
    try:
        match spec.formula:
            case Formula.PERCENT:
                n, n_unit, d, d_unit = _comparable(num, den)
                value = metrics.rate(n, d)
            case Formula.LABOUR_COST_PER_10K_CALLS:
                n, n_unit = num.to("万元"), "万元"
                d, d_unit = den.to("万次"), "万次"
                value = metrics.labour_cost_per_10k_calls(n, d)
            case Formula.UNIT_LABOUR_COST:
                n, n_unit = num.to("万元"), "万元"
                d, d_unit = den.value, den.unit
                value = metrics.unit_labour_cost(n, d)
            case Formula.MONTHLY_TURNOVER_RATE:
                leavers = divide(num.to("人"), TWELVE)
                n, n_unit = quantize(leavers), "人"
                d, d_unit = den.value, den.unit
                value = metrics.monthly_turnover_rate(leavers, d)
            case _:
                return None
    except (ZeroDivisionError, UnitError):
        return None
    return Derived(value, spec.unit, n, n_unit, d, d_unit, sources, months)


def _comparable(num: Figure, den: Figure) -> tuple[Decimal, str, Decimal, str]:
    if num.unit == den.unit:
        return num.value, num.unit, den.value, den.unit
    (n, n_unit), (d, d_unit) = num.base(), den.base()
    return n, n_unit, d, d_unit


def _sum(spec: MetricSpec, parts: Sequence[Figure | None]) -> Derived | None:
    present = [p for p in parts if p is not None]
    if not present or len(present) != len(parts):
        return None
    units = {p.unit for p in present}
    if len(units) == 1:
        total, total_unit = sum((p.value for p in present), Decimal(0)), units.pop()
    else:
        bases = [p.base() for p in present]
        if len({b for _, b in bases}) != 1:
            return None
        total, total_unit = sum((v for v, _ in bases), Decimal(0)), bases[0][1]
    sources: tuple[str, ...] = ()
    for part in present:
        sources = _merge(sources, part.sources)
    months = tuple(sorted({m for p in present for m in p.months}))
    return Derived(total, total_unit, sources=sources, months=months)


def _merge(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(s for s in b if s not in a)


def year_figure(
    spec: MetricSpec, annual: Figure | None, months: Mapping[int, Figure]
) -> Figure | None:
    """A year's figure of an entered metric: the annual row if entered; else from the
    months entered — ``SUM`` adds them (in their common unit, or base unit), ``LATEST``
    takes the latest month, ``MEAN`` averages them (2 places, ``metrics.mean``), ``NONE``
    gives nothing. ``Figure.months`` lists the months used, so a partial year shows as
    such (1–6 月)."""
    if annual is not None:
        return annual
    if not months or spec.aggregation is Aggregation.NONE:
        return None
    used = tuple(sorted(months))
    figures = [months[m] for m in used]
    sources: tuple[str, ...] = ()
    for f in figures:
        sources = _merge(sources, f.sources)
    if spec.aggregation is Aggregation.LATEST:
        latest = figures[-1]
        return Figure(latest.value, latest.unit, latest.sources, used)
    units = {f.unit for f in figures}
    if len(units) == 1:
        values, common = [f.value for f in figures], units.pop()
    else:
        values, common = (
            [f.to(unit(spec.unit).base) for f in figures],
            unit(spec.unit).base,
        )
    if spec.aggregation is Aggregation.MEAN:
        return Figure(metrics.mean(values), common, sources, used)
    return Figure(sum(values, Decimal(0)), common, sources, used)


def period_resolver(
    specs: Mapping[str, MetricSpec], entered: Mapping[str, Figure]
) -> Resolve:
    """A resolver over one period: entered figures as they are, derived ones computed
    (recursively: 中继线开通率 needs the two line sums)."""
    cache: dict[str, Figure | None] = {}

    def resolve(code: str) -> Figure | None:
        if code in entered:
            return entered[code]
        if code in cache:
            return cache[code]
        cache[code] = None  # guards against a cycle in custom definitions
        spec = specs.get(code)
        result = None
        if spec is not None and not spec.kind.is_entered:
            derived = derive(spec, resolve)
            if derived is not None:
                result = Figure(
                    derived.value, derived.unit, derived.sources, derived.months
                )
        cache[code] = result
        return result

    return resolve

"""Derived hotline figures, computed the way the evaluation reports print them.

Conventions, all checked against Tianjin's 2020 report (表 3 成本统计情况表):

1. **Every figure is rounded half-up to 2 places** (``kernel.rounding.quantize``); rates
   are in percentage points (96.12 means 96.12%).
2. **Ratios** — 接通率 = 接听量 / 呼入量 (1012.36 / 1053.2 = 96.12%); 每万接听量人工成本
   = 人工费用(万元) / 接听量(万次) (9098.24 / 1012.36 = 8.99 万元); 单位人工成本 =
   人工费用 / 月均人数 (9098.24 / 909 = 10.01 万元); 月均人员流失率 = 月均流失人数 /
   月均人数 (10 / 909 = 1.10%).
3. **A multi-year mean of a count** is the arithmetic mean, rounded to 2 places
   like every figure: 接听量 (562.05 + 544.77) / 2 = 553.41; 人工费用
   (6826.25 + 4884.18) / 2 = 5855.215 → 5855.22; 月均人数 (777 + 621) / 2 = 699;
   月均流失人数 (23 + 15) / 2 = 19.
4. **A multi-year mean of a ratio is the ratio of the means**, taken from the
   printed (rounded) means, never the mean of the yearly ratios:
   10.58 = 5855.22 / 553.41 (the mean of 12.15 and 8.97 would be 10.56);
   8.38 = 5855.22 / 699 (not 8.33); 2.72% = 19 / 699 (the mean of 2.96% and
   2.42% would be 2.69%).
5. **Comparisons are computed from the two-decimal figures as printed**, so a
   reader can recompute them from the table: (8.99 − 10.58) / 10.58 = −15.03%;
   (10.01 − 8.38) / 8.38 = 19.45%; reduction (2.72 − 1.10) / 2.72 = 59.56% (the
   unrounded rates would give 59.53%). Year-on-year growth likewise:
   (1036.39 − 751.92) / 751.92 = 37.83%.

Pass printed figures (the results of the functions here) to ``growth_rate`` and
``reduction_rate``. Every function raises ``ZeroDivisionError`` on a zero
denominator: a rate without a base is not 0%.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kernel.rounding import ZERO, divide, percent, quantize

__all__ = [
    "CostColumn",
    "CostTable",
    "MetricError",
    "YearCounts",
    "cost_table",
    "growth_rate",
    "labour_cost_per_10k_calls",
    "mean",
    "monthly_turnover_rate",
    "rate",
    "reduction_rate",
    "unit_labour_cost",
    "year_on_year_growth",
]


class MetricError(ValueError):
    """A figure asked of data that cannot give it (the mean of nothing, a cost table
    without its years)."""


def rate(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Any count over a count, in percent, 2 places (接通率, 办结率, 执行率 …).

    ``rate(Decimal("1012.36"), Decimal("1053.2")) == Decimal("96.12")``;
    ``rate(Decimal("1978.55"), Decimal("1969.62")) == Decimal("100.45")``.
    """
    return percent(numerator, denominator)


def mean(values: Sequence[Decimal]) -> Decimal:
    """Arithmetic mean, rounded half-up to 2 places (5855.215 → 5855.22)."""
    if not values:
        raise MetricError("the mean of no values is undefined")
    return quantize(divide(sum(values, ZERO), Decimal(len(values))))


def labour_cost_per_10k_calls(labour_cost: Decimal, answered_10k: Decimal) -> Decimal:
    """每万接听量人工成本 (万元) = 人工费用 (万元) / 接听量 (万次), 2 places.

    9098.24 / 1012.36 = 8.99.
    """
    return quantize(divide(labour_cost, answered_10k))


def unit_labour_cost(labour_cost: Decimal, average_staff: Decimal) -> Decimal:
    """单位人工成本 (万元/人) = 人工费用 (万元) / 月均人数, 2 places.

    9098.24 / 909 = 10.01.
    """
    return quantize(divide(labour_cost, average_staff))


def monthly_turnover_rate(average_leavers: Decimal, average_staff: Decimal) -> Decimal:
    """月均人员流失率 (%) = 月均流失人数 / 月均人数, 2 places.

    10 / 909 = 1.10%. (Tianjin: 月均流失人数 = the year's leavers ÷ 12.)
    """
    return percent(average_leavers, average_staff)


def growth_rate(current: Decimal, base: Decimal) -> Decimal:
    """Growth of ``current`` over ``base`` in percent: ``(current − base) / base``.

    For growth against a multi-year mean, pass the printed figures:
    ``growth_rate(Decimal("8.99"), Decimal("10.58")) == Decimal("-15.03")``.
    """
    return percent(current - base, base)


def reduction_rate(current: Decimal, base: Decimal) -> Decimal:
    """Reduction of ``current`` below ``base`` in percent: ``(base − current) / base``.

    ``reduction_rate(Decimal("1.10"), Decimal("2.72")) == Decimal("59.56")``.
    """
    return percent(base - current, base)


def year_on_year_growth(current: Decimal, previous: Decimal) -> Decimal:
    """同比增长率 (%) = ``(current − previous) / previous``, 2 places.

    受理量 2020 vs 2019: (1036.39 − 751.92) / 751.92 = 37.83%.
    """
    return growth_rate(current, previous)


@dataclass(frozen=True)
class YearCounts:
    """One year's stored counts behind Tianjin's 表 3.

    ``answered_10k`` 接听量 (万次), ``labour_cost`` 人工费用 (万元),
    ``average_staff`` 月均人员数量 (人), ``average_leavers`` 月均流失人数 (人).
    """

    answered_10k: Decimal
    labour_cost: Decimal
    average_staff: Decimal
    average_leavers: Decimal


@dataclass(frozen=True)
class CostColumn:
    """One column of the cost table: a year, or the mean of the base years.

    Counts as stored (a mean column: means rounded to 2 places); ratios 2 places,
    rates in percent.
    """

    years: tuple[int, ...]
    is_mean: bool
    answered_10k: Decimal
    labour_cost: Decimal
    average_staff: Decimal
    average_leavers: Decimal
    turnover_rate: Decimal
    cost_per_10k_calls: Decimal
    unit_labour_cost: Decimal


@dataclass(frozen=True)
class CostTable:
    """Every figure of Tianjin's 表 3 成本统计情况表.

    ``columns`` in the report's order: the current year, the base years from the
    latest back, then their mean. The three comparison rows compare the current
    year with the mean, from the printed figures.
    """

    current_year: int
    base_years: tuple[int, ...]
    columns: tuple[CostColumn, ...]
    turnover_reduction_vs_mean: Decimal
    cost_per_10k_calls_growth_vs_mean: Decimal
    unit_labour_cost_growth_vs_mean: Decimal

    @property
    def current(self) -> CostColumn:
        return self.columns[0]

    @property
    def mean(self) -> CostColumn:
        return self.columns[-1]

    def year(self, year: int) -> CostColumn:
        """The column of one year; ``KeyError`` if the table has none."""
        for column in self.columns:
            if not column.is_mean and column.years == (year,):
                return column
        raise KeyError(year)


def _column(
    years: tuple[int, ...],
    is_mean: bool,
    answered_10k: Decimal,
    labour_cost: Decimal,
    average_staff: Decimal,
    average_leavers: Decimal,
) -> CostColumn:
    return CostColumn(
        years=years,
        is_mean=is_mean,
        answered_10k=answered_10k,
        labour_cost=labour_cost,
        average_staff=average_staff,
        average_leavers=average_leavers,
        turnover_rate=monthly_turnover_rate(average_leavers, average_staff),
        cost_per_10k_calls=labour_cost_per_10k_calls(labour_cost, answered_10k),
        unit_labour_cost=unit_labour_cost(labour_cost, average_staff),
    )


def cost_table(
    counts: Mapping[int, YearCounts],
    *,
    current_year: int | None = None,
    base_years: Sequence[int] | None = None,
) -> CostTable:
    """Build Tianjin's 表 3 from the yearly counts (see the module conventions).

    ``current_year`` defaults to the latest year, ``base_years`` to all the others.
    The mean column averages the base years' counts (2 places) and takes its
    ratios from those means; the comparison rows use the printed figures.
    Raises ``MetricError`` when a year is missing or no base year is left.
    """
    if not counts:
        raise MetricError("the cost table needs at least two years")
    current = max(counts) if current_year is None else current_year
    if base_years is None:
        base = tuple(sorted((year for year in counts if year != current), reverse=True))
    else:
        base = tuple(sorted(set(base_years), reverse=True))
    if current not in counts or any(year not in counts for year in base):
        raise MetricError("every year of the table needs its counts")
    if not base or current in base:
        raise MetricError("the base years must be other years than the current one")

    columns = [
        _column(
            (year,),
            False,
            counts[year].answered_10k,
            counts[year].labour_cost,
            counts[year].average_staff,
            counts[year].average_leavers,
        )
        for year in (current, *base)
    ]
    base_counts = [counts[year] for year in base]
    mean_column = _column(
        tuple(sorted(base)),
        True,
        mean([row.answered_10k for row in base_counts]),
        mean([row.labour_cost for row in base_counts]),
        mean([row.average_staff for row in base_counts]),
        mean([row.average_leavers for row in base_counts]),
    )
    this_year = columns[0]
    return CostTable(
        current_year=current,
        base_years=tuple(sorted(base)),
        columns=(*columns, mean_column),
        turnover_reduction_vs_mean=reduction_rate(
            this_year.turnover_rate, mean_column.turnover_rate
        ),
        cost_per_10k_calls_growth_vs_mean=growth_rate(
            this_year.cost_per_10k_calls, mean_column.cost_per_10k_calls
        ),
        unit_labour_cost_growth_vs_mean=growth_rate(
            this_year.unit_labour_cost, mean_column.unit_labour_cost
        ),
    )

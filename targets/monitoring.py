"""运行监控 (mid-year monitoring, "双监控"): targets against half-year actuals, and budget
execution against the time elapsed. Pure Python (sentences through gettext): plain
values in, judgements out.

- An indicator's half-year actual is judged against its half-year 指标值 by the comparator
  rule of ``targets.judgement.judge`` (the same rule the full-year monitoring uses).
- Budget execution: 执行率 = 支出 ÷ 调整后预算; the elapsed share of the year = days since
  1 January ÷ days in the year (1 once the year is over). The light is execution ÷ elapsed:
  below ``red`` (60 %) red, below ``yellow`` (80 %) yellow, else green — thresholds come
  from ``settings.TARGETS_REVIEW``.
- A line spent beyond its budget is flagged unless approved adjustments cover the excess
  (seed 001: 商品和服务支出 100.45 %, 超预算 8.93 万元, no adjustment procedure).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.indicator_values import Comparator, ParsedValue
from kernel.indicator_values import parse_indicator_value as parse_value
from kernel.rounding import percent, quantize
from targets.judgement import Judgement, judge


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"


LIGHT_LABELS = {
    Light.GREEN: gettext_lazy("on track"),
    Light.YELLOW: gettext_lazy("behind"),
    Light.RED: gettext_lazy("far behind"),
    Light.NONE: gettext_lazy("no data"),
}


@dataclass(frozen=True)
class Thresholds:
    red: Decimal = Decimal("0.60")
    yellow: Decimal = Decimal("0.80")


def elapsed_share(year: int, as_of: date) -> Decimal:
    """Share of ``year`` elapsed on ``as_of`` (0 before it starts, 1 after it ends)."""
    if as_of.year < year:
        return Decimal(0)
    if as_of.year > year:
        return Decimal(1)
    days = 366 if calendar.isleap(year) else 365
    elapsed = (as_of - date(year, 1, 1)).days + 1
    return Decimal(elapsed) / Decimal(days)


@dataclass(frozen=True)
class Execution:
    """One budget (the year's, or a line's): its execution against the time elapsed."""

    label: str
    budget: Decimal
    expenditure: Decimal | None
    elapsed: Decimal
    light: Light
    ratio: Decimal | None  # execution ÷ elapsed, percentage points, 2 places

    @property
    def execution_percent(self) -> Decimal | None:
        if self.expenditure is None or self.budget == 0:
            return None
        return percent(self.expenditure, self.budget)

    @property
    def elapsed_percent(self) -> Decimal:
        return quantize(self.elapsed * 100)


def execution(
    *,
    label: str,
    budget: Decimal,
    expenditure: Decimal | None,
    elapsed: Decimal,
    thresholds: Thresholds,
) -> Execution:
    if expenditure is None or budget == 0 or elapsed == 0:
        return Execution(label, budget, expenditure, elapsed, Light.NONE, None)
    ratio = (expenditure / budget) / elapsed
    light = (
        Light.RED
        if ratio < thresholds.red
        else Light.YELLOW
        if ratio < thresholds.yellow
        else Light.GREEN
    )
    return Execution(label, budget, expenditure, elapsed, light, quantize(ratio * 100))


@dataclass(frozen=True)
class Overspend:
    category: str
    budget: Decimal
    expenditure: Decimal
    approved_adjustments: Decimal
    unit: str

    @property
    def excess(self) -> Decimal:
        return self.expenditure - self.budget

    @property
    def execution_percent(self) -> Decimal:
        return percent(self.expenditure, self.budget)

    @property
    def uncovered(self) -> Decimal:
        return max(self.excess - self.approved_adjustments, Decimal(0))

    @property
    def message(self) -> str:
        figures = {
            "category": self.category,
            "rate": self.execution_percent,
            "excess": quantize(self.excess),
            "unit": self.unit,
        }
        if self.approved_adjustments:
            return _(
                "%(category)s: execution rate %(rate)s%%, %(excess)s %(unit)s over "
                "budget; approved adjustments %(approved)s %(unit)s, %(uncovered)s "
                "%(unit)s still without the adjustment procedure."
            ) % {
                **figures,
                "approved": quantize(self.approved_adjustments),
                "uncovered": quantize(self.uncovered),
            }
        return (
            _(
                "%(category)s: execution rate %(rate)s%%, %(excess)s %(unit)s over "
                "budget, without the budget adjustment procedure."
            )
            % figures
        )


def overspend(
    *,
    category: str,
    budget: Decimal,
    expenditure: Decimal | None,
    approved_adjustments: Decimal,
    unit: str,
) -> Overspend | None:
    """The line's overspend when approved adjustments do not cover it, else ``None``."""
    if expenditure is None or expenditure <= budget:
        return None
    found = Overspend(category, budget, expenditure, approved_adjustments, unit)
    return found if found.uncovered > 0 else None


JUDGEMENT_LABELS = {
    "met": gettext_lazy("met"),
    "not_met": gettext_lazy("not met"),
    "no_data": gettext_lazy("not yet reported"),
    "not_comparable": gettext_lazy("units not comparable"),
    "qualitative": gettext_lazy("qualitative: the reviewer judges"),
    "unmatched": gettext_lazy("not linked to the indicator library"),
    "no_target": gettext_lazy("no target value"),
}
"""How the monitoring page names each ``Judgement.status``."""


def half_year_judgement(
    *,
    target: ParsedValue,
    actual: ParsedValue,
    matched: bool = True,
) -> Judgement:
    """An actual against the 指标值 of its period (half year or full year). ``matched``:
    whether an actual could have come from the operating data (the indicator is in the
    library) or was entered; an unmatched indicator without an actual says so."""
    if not target.text.strip():
        return Judgement("no_target", _("No target value for this period"))
    if actual.number is None:
        if target.is_quantitative and actual.text.strip():
            return Judgement(
                "qualitative", _("The actual is text: the reviewer judges")
            )
        return judge(
            comparator=target.comparator,
            target=target.number,
            target_unit=target.unit,
            actual=None,
            actual_unit="",
            matched=matched,
        )
    return judge(
        comparator=target.comparator
        if target.is_quantitative
        else Comparator.QUALITATIVE,
        target=target.number,
        target_unit=target.unit,
        actual=actual.number,
        actual_unit=actual.unit or target.unit,
    )


# --------------------------------------------------------------------------- the report


def time_share(months: int) -> Decimal:
    """The share of the year a report for January to ``months`` covers (6 → 0.5)."""
    return Decimal(months) / Decimal(12)


def budget_execution(
    *,
    budget: Decimal | None,
    planned: Decimal | None,
    spent: Decimal | None,
    months: int,
    thresholds: Thresholds,
) -> Execution | None:
    """The report's budget line: spending to date against the plan to date where the
    budget states one (Suzhou's 半年计划执行数), else against the time share. ``None``
    without a budget."""
    if budget is None:
        return None
    share = time_share(months)
    if planned is not None and budget:
        share = planned / budget
    if share == 0 and spent is not None:
        # nothing was planned to date: any spending is on track
        return Execution(_("budget"), budget, spent, share, Light.GREEN, None)
    return execution(
        label=_("budget"),
        budget=budget,
        expenditure=spent,
        elapsed=share,
        thresholds=thresholds,
    )


@dataclass(frozen=True)
class LineJudgement:
    """An indicator line judged: to date against the period's 指标值 (where the form has
    one), the forecast against the full-year 指标值, and the light they give."""

    period: Judgement | None
    year: Judgement | None
    light: Light


def indicator_line_light(
    *,
    period_target: str,
    to_date: str,
    year_target: str,
    expected: str,
    likelihood: str,
) -> LineJudgement:
    """The light of one indicator line.

    - red: what was done to date misses the period's 指标值, or the forecast misses the
      full-year one, or the unit finds the target impossible (完全不可能);
    - yellow: the unit finds it only possible (有可能);
    - green: every figure judged meets its target, or nothing could be judged by
      figures (qualitative 指标值) and the unit is certain (确定能);
    - none: nothing judged and no likelihood given.
    """
    period = (
        half_year_judgement(
            target=parse_value(period_target), actual=parse_value(to_date)
        )
        if period_target.strip() and to_date.strip()
        else None
    )
    year = (
        half_year_judgement(
            target=parse_value(year_target), actual=parse_value(expected)
        )
        if year_target.strip() and expected.strip()
        else None
    )
    statuses = [j.status for j in (period, year) if j is not None]
    if "not_met" in statuses or likelihood == "impossible":
        light = Light.RED
    elif likelihood == "possible":
        light = Light.YELLOW
    elif "met" in statuses or likelihood == "certain":
        light = Light.GREEN
    else:
        light = Light.NONE
    return LineJudgement(period, year, light)

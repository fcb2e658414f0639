"""Whether an actual value meets its target (目标监控): the comparator rule.

Pure Python (its sentences through gettext). The target is the parsed 指标值 of a 三级 indicator (``kernel.indicator_values``); the
actual is a figure from operating data, converted to the target's unit when they count the
same thing (1036.39 万件 against "750 万件"; 10.42 万件 against "20000 个").

Rules, by the comparator written in the target:

- ≥ / 不低于 / 达到 …: met when actual ≥ target;  > / 大于: actual > target (Tianjin's
  "大于 90%": 96.12 > 90, met);  ≤: actual ≤ target;  <: actual < target.
- No comparator ("560 个", "1030 人", "9878.2万"): the parser reads "=", but a target
  written as a bare figure is something to reach, read from the text itself: a count or
  a rate is met when reached or exceeded (≥: 坐席数 560 个 met by 560; 录用合同制员工人数
  "1030 人" is not met by 865), an amount of money or a duration (元/万元/亿元,
  秒/分钟/小时/天/工作日…) is a budget or a limit not to exceed (≤). The library's
  direction never turns what the form wrote into its opposite.
- Rates are compared as printed, at two decimals (the actual is already rounded once).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from django.utils.translation import gettext as _

from kernel.decimals import as_written
from kernel.indicator_values import Comparator
from kernel.units import convert_for_target

_SYMBOLS: Final = {
    Comparator.GE: "≥",
    Comparator.GT: ">",
    Comparator.LE: "≤",
    Comparator.LT: "<",
    Comparator.EQ: "=",
}


@dataclass(frozen=True, slots=True)
class Judgement:
    status: str  # met, not_met, no_data, not_comparable, qualitative or unmatched
    rule: str  # the comparison as the user reads it: "实际值 > 90%"
    actual_in_target_unit: Decimal | None = None


CAP_UNITS: Final = frozenset(
    {"元", "万元", "亿元", "秒", "分钟", "小时", "天", "工作日", "个工作日", "个月"}
)
"""Units of a bare figure that is a ceiling: money spent and time taken."""


def effective_comparator(comparator: Comparator, unit: str) -> Comparator:
    """How a target is compared: as written, or for a bare figure by its unit."""
    if comparator is Comparator.EQ:
        return Comparator.LE if unit in CAP_UNITS else Comparator.GE
    return comparator


def judge(
    *,
    comparator: Comparator,
    target: Decimal | None,
    target_unit: str,
    actual: Decimal | None,
    actual_unit: str,
    matched: bool = True,
) -> Judgement:
    if comparator is Comparator.QUALITATIVE or target is None:
        return Judgement(
            "qualitative", _("Qualitative indicator: the evaluator judges")
        )
    if not matched:
        return Judgement(
            "unmatched",
            _("The indicator is not linked to the library: no figure to take"),
        )
    if actual is None:
        return Judgement("no_data", _("No operating data yet"))
    converted = (
        actual
        if not target_unit and not actual_unit
        else convert_for_target(actual, actual_unit, target_unit or actual_unit)
    )
    if converted is None:
        return Judgement(
            "not_comparable",
            _(
                "The actual's unit “%(actual_unit)s” is not comparable with the "
                "target's unit “%(target_unit)s”"
            )
            % {"actual_unit": actual_unit, "target_unit": target_unit},
        )
    rule = effective_comparator(comparator, target_unit)
    met = {
        Comparator.GE: converted >= target,
        Comparator.GT: converted > target,
        Comparator.LE: converted <= target,
        Comparator.LT: converted < target,
        Comparator.EQ: converted == target,
    }[rule]
    text = _("actual %(comparison)s") % {
        "comparison": f"{_SYMBOLS[rule]} {as_written(target)}"
        f"{_sep(target_unit)}{target_unit}"
    }
    if rule is not comparator:
        text += (
            _(" (the target has no comparator: a figure to reach reads as “at least”)")
            if rule is Comparator.GE
            else _(" (the target has no comparator: money and time read as “at most”)")
        )
    return Judgement("met" if met else "not_met", text, converted)


def _sep(unit: str) -> str:
    return "" if unit in ("%", "") else " "

"""The cells of the 评分表 sheet: its headers, how each kind of cell is read (the widgets), and
the row-and-column messages every workbook error is given in."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from import_export.widgets import Widget

from core.resources import FORMULA_PREFIXES
from evaluations.scoring import RuleKind
from kernel.decimals import as_written
from kernel.indicator_values import Comparator, parse_indicator_value

# The official headers, in this order, first; the helper columns after them.
LEVEL1, LEVEL2, LEVEL3 = "一级指标", "二级指标", "三级指标"
WEIGHT, TARGET, ACTUAL, METHOD = "分值", "指标值", "实际完成值", "评分方法"
SCORE, REASON = "得分", "评分说明"
COMPUTED, KEY, RECONSTRUCTED = "计算得分", "指标编号", "分值重构"
NOT_APPLICABLE, TIER, EXPLANATION = "不适用", "档次", "指标解释"
RULE_KIND, RULE_PARAMS = "评分规则", "规则参数"
POINTS = "清单要点"  # the 清单 review points satisfied, by number (1、3、5)
DEVIATION = "偏差原因分析及改进措施"  # a self-evaluation's, as its 自评表 prints it

REQUIRED_HEADERS = (
    LEVEL1,
    LEVEL2,
    LEVEL3,
    WEIGHT,
    TARGET,
    ACTUAL,
    METHOD,
    SCORE,
    REASON,
)
HELPER_HEADERS = (
    COMPUTED,
    KEY,
    RECONSTRUCTED,
    NOT_APPLICABLE,
    TIER,
    EXPLANATION,
    RULE_KIND,
    RULE_PARAMS,
    POINTS,
    DEVIATION,
)
HEADERS = REQUIRED_HEADERS + HELPER_HEADERS
NAME_HEADERS = (LEVEL1, LEVEL2, LEVEL3)
YES = "是"

# 评分方法: the rule's name, then how it scores, in the words of a 评分表.
RULE_METHODS = {
    RuleKind.POSITIVE: "实际完成值达到指标值得满分，未达到按 实际完成值÷指标值×分值 计分",
    RuleKind.REVERSE_TEMPLATE: "实际完成值不超过指标值得满分，超过按 指标值÷实际完成值×分值 计分",
    RuleKind.REVERSE_SYSTEM: "实际完成值不超过指标值得满分，超过按 (1−超出部分÷指标值)×分值 计分，达到指标值两倍得0分",
    RuleKind.EQUAL: "实际完成值等于指标值得满分，否则按完成比例计分；指标值为0时实际为0得满分",
    RuleKind.PROPORTIONAL: "分值×实际完成值（百分比），不超过分值",
    RuleKind.LADDER: "达到满分线得满分，每差一档扣相应分数（见规则参数）",
    RuleKind.CHECKLIST: "按满足的评分要点累计得分（见规则参数）",
    RuleKind.QUALITATIVE: "评价人按达成、部分达成、未达成分档，在档内打分",
    RuleKind.JUDGMENT: "评价人根据评分标准打分并说明理由",
}
_KIND_BY_LABEL = {kind.label: kind for kind in RuleKind}


def row_message(row: int, column: str, message: str) -> str:
    """An error in one cell, as the evaluator looks for it in Excel."""
    if not column:
        return f"第{row}行：{message}"
    return f"第{row}行“{column}”列：{message}"


def method_text(kind: str) -> str:
    """The 评分方法 cell of a 三级 indicator with rule ``kind``."""
    rule = RuleKind(kind or RuleKind.JUDGMENT)
    return f"{rule.label}：{RULE_METHODS[rule]}"


def named_kind(text: str) -> RuleKind | None:
    """The rule a 评分方法 cell names by its label (``正向：…``), if it names one."""
    label = text.split("：", 1)[0].split(":", 1)[0].strip()
    return _KIND_BY_LABEL.get(label)


BUDGET_EXECUTION = "预算执行率"


def default_kind(name: str, target: str) -> RuleKind:
    """The rule of a row that names none (a published table carries no rules), from its
    指标值: ≥ 大于 = (or a bare number) → 正向, ≤ 小于 → 反向（模板）, text → 评价人打分; the
    预算执行率 row → 比例 (its actual value the 预算执行 sheet's rate)."""
    if name == BUDGET_EXECUTION:
        return RuleKind.PROPORTIONAL
    parsed = parse_indicator_value(target)
    if parsed.number is None:
        return RuleKind.JUDGMENT
    match parsed.comparator:
        case Comparator.GE | Comparator.GT | Comparator.EQ:
            return RuleKind.POSITIVE
        case Comparator.LE | Comparator.LT:
            return RuleKind.REVERSE_TEMPLATE
        case _:
            return RuleKind.JUDGMENT


def unescape_formula(text: str) -> str:
    """The inverse of ``escape_formula``: ``'=…`` as exported reads back as ``=…``."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def plain_number(value: Decimal) -> str:
    """A number as a person writes it: 10.00 → 10, 2.50 → 2.5."""
    return as_written(value)


class FormulaWithoutValue:
    """A formula cell that no spreadsheet program has calculated (no cached value)."""

    def __init__(self, formula: str) -> None:
        self.formula = formula

    def __repr__(self) -> str:
        return f"FormulaWithoutValue({self.formula!r})"


FORMULA_WITHOUT_VALUE = (
    "公式没有计算结果：请在 Excel 中打开并保存后再导入，或直接填写数值。"
)


def _no_formula(value: Any) -> Any:
    if isinstance(value, FormulaWithoutValue):
        raise ValueError(FORMULA_WITHOUT_VALUE)
    return value


# ----------------------------------------------------------------------------- widgets


class TextWidget(Widget):  # type: ignore[misc]
    """Text: stripped, line ends normalised, the export's formula escape undone."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        value = _no_formula(value)
        if value is None:
            return ""
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return plain_number(Decimal(str(value)))
        text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
        return unescape_formula(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else str(value)


LARGEST_NUMBER = Decimal(10) ** 12
"""Beyond any 分值 or 得分 (a total is 100): refused before ``quantize`` overflows."""
LARGEST_KEY = 2**31 - 1
"""The largest 指标编号 a database key holds."""


def _shown(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:40]}…"


class NumberWidget(Widget):  # type: ignore[misc]
    """A number with at most two decimals (分值, 得分); blank is ``None``. Numbers are
    exported as numbers, never as text."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        value = _no_formula(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise ValueError(f"“{value}”不是数字，请填写数字，如 8.5。")
        text = str(value).strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{text}”不是数字，请填写数字，如 8.5。") from None
        if not number.is_finite():
            raise ValueError(f"“{text}”不是数字，请填写数字，如 8.5。")
        if abs(number) >= LARGEST_NUMBER:
            # Before quantize, which cannot hold it (decimal.InvalidOperation).
            raise ValueError(
                f"“{_shown(text)}”太大，不是分值或得分：请填写数字，如 8.5。"
            )
        if number != number.quantize(Decimal("0.01")):
            raise ValueError(f"“{text}”超过两位小数，请保留两位小数。")
        return number.quantize(Decimal("0.01"))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value


class KeyWidget(Widget):  # type: ignore[misc]
    """指标编号: a positive whole number."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        value = _no_formula(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal(-1)
        if (
            not number.is_finite()
            or not 1 <= number <= LARGEST_KEY
            or number != number.to_integral_value()
        ):
            raise ValueError(f"“{text}”不是指标编号：指标编号是导出时给出的正整数。")
        return int(number)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value


class PointsWidget(Widget):  # type: ignore[misc]
    """清单要点: the satisfied review points of a 清单 rule by their number, from 1, joined
    by “、” (“1、3、5”; commas and spaces read too); stored 0-based; blank is none."""

    def __init__(self) -> None:
        super().__init__(coerce_to_string=False)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[int]:
        text = TextWidget().clean(value)
        numbers = set()
        for part in re.split(r"[、,，;；\s]+", text):
            if not part:
                continue
            if not part.isdigit() or int(part) < 1:
                raise ValueError(
                    f"“{_shown(text)}”不是评分要点的编号：请填写如 1、3、5，或留空。"
                )
            numbers.add(int(part) - 1)
        return sorted(numbers)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "、".join(str(int(i) + 1) for i in sorted(value or ()))


class YesWidget(Widget):  # type: ignore[misc]
    """“是” or blank (also 否); ``inverse`` for 不适用, stored as ``applicable``."""

    def __init__(self, inverse: bool = False) -> None:
        super().__init__(coerce_to_string=False)
        self.inverse = inverse

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        value = _no_formula(value)
        text = "" if value is None else str(value).strip()
        if text in ("是", "√", "✓", "Y", "y", "TRUE", "True", "true"):
            flag = True
        elif text in ("", "否", "N", "n", "FALSE", "False", "false"):
            flag = False
        else:
            raise ValueError(f"“{text}”无法识别：请填写“是”或留空。")
        return not flag if self.inverse else flag

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        flag = bool(value) != self.inverse
        return YES if flag else ""


class RuleKindWidget(Widget):  # type: ignore[misc]
    """评分规则: the stable code of a rule kind (``positive``) or its Chinese name."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        value = _no_formula(value)
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        if text in _KIND_BY_LABEL:
            return _KIND_BY_LABEL[text].value
        try:
            return RuleKind(text).value
        except ValueError:
            names = "、".join(kind.value for kind in RuleKind)
            raise ValueError(f"“{text}”不是评分规则，应为 {names} 之一。") from None


class ParamsWidget(Widget):  # type: ignore[misc]
    """规则参数: a JSON object (the rule's parameters), blank for none."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> dict[str, Any]:
        value = _no_formula(value)
        text = "" if value is None else unescape_formula(str(value).strip())
        if not text:
            return {}
        try:
            params = json.loads(text)
        except ValueError:
            params = None
        if not isinstance(params, dict):
            raise ValueError('规则参数须为 JSON 对象，如 {"full_at": "100"}。')
        return params

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if not value:
            return ""
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

"""A 评分表 read as the indicator tree of a new evaluation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from evaluations.models import EvaluationIndicator
from evaluations.resources.cells import (
    FORMULA_WITHOUT_VALUE,
    LEVEL3,
    METHOD,
    NAME_HEADERS,
    SCORE,
    WEIGHT,
    FormulaWithoutValue,
    TextWidget,
    default_kind,
    named_kind,
    plain_number,
    row_message,
)
from evaluations.resources.rows import IndicatorRowsResource, row_path
from evaluations.scoring import Rule, RuleKind, ScoringError
from evaluations.services import IndicatorData, ValueData
from evaluations.services.self_evaluation import LeafSetting
from kernel.indicator_values import parse_indicator_value
from kernel.units import convert_for_target


@dataclass
class TreeRow:
    """A 评分表 row read as part of a new tree."""

    row: int
    path: tuple[str, ...]
    indicator: EvaluationIndicator
    children: list[TreeRow] = field(default_factory=list)
    explicit: bool = True
    score_formula: bool = False  # 得分 is a formula no program has calculated
    # the row named no rule: its rule was taken from its 指标值 (``default_kind``)
    rule_defaulted: bool = False


class EvaluationTreeResource(IndicatorRowsResource):
    """A 评分表 read as a new evaluation's tree (``import_evaluation --create``).

    Each row is cleaned into an unsaved ``EvaluationIndicator`` and kept in ``tree_rows``;
    nothing is written here. ``indicator_tree`` then checks the hierarchy and the weights.
    """

    IMPORTED = frozenset(
        {
            "weight",
            "target",
            "actual",
            "final_score",
            "reason",
            "reconstructed",
            "applicable",
            "tier",
            "explanation",
            "rule_kind",
            "rule_params",
            "satisfied_points",
            "deviation_reason",
        }
    )

    class Meta(IndicatorRowsResource.Meta):
        import_id_fields: tuple[str, ...] = ()
        force_init_instance = True
        skip_unchanged = False

    def __init__(self, *, sheet_rows: Sequence[int] = ()) -> None:
        super().__init__(sheet_rows=sheet_rows)
        self.tree_rows: list[TreeRow] = []
        self.columns.setdefault("name", LEVEL3)
        self._defaulted: set[int] = set()  # id() of instances whose rule was defaulted

    def get_import_id_fields(self) -> Sequence[str]:
        return ()

    def import_instance(
        self, instance: EvaluationIndicator, row: Mapping[str, Any], **kwargs: Any
    ) -> None:
        errors: dict[str, list[str]] = {}
        if isinstance(row.get(SCORE), FormulaWithoutValue):
            # A group's sum; a 三级 formula is reported once the tree is known.
            row = {**row, SCORE: None}
        path = row_path(row)
        if not path[0]:
            errors["level1"] = ["缺少一级指标名称。"]
        elif path[2] and not path[1]:
            errors["level2"] = ["三级指标须填写所属的二级指标。"]
        names = tuple(name for name in path if name)
        instance.name = names[-1] if names else ""
        instance.level = max(len(names), 1)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            for key, texts in exc.message_dict.items():
                errors.setdefault(key, []).extend(texts)
        if "rule_kind" not in errors and not instance.rule_kind:
            try:
                method = TextWidget().clean(row.get(METHOD))
            except ValueError:  # a formula: no rule named
                method = ""
            named = named_kind(method)
            if named is None:
                instance.rule_kind = default_kind(
                    instance.name, instance.target_text
                ).value
                self._defaulted.add(id(instance))
            else:
                instance.rule_kind = named.value
        if "rule_kind" not in errors and "rule_params" not in errors:
            try:
                Rule(RuleKind(instance.rule_kind), instance.rule_params or {})
            except (ScoringError, ValueError) as exc:
                errors["rule_params"] = [f"评分规则参数无效：{exc}"]
            else:
                self._check_points(instance, errors)
        score = instance.final_score
        weight = instance.weight
        if (
            "final_score" not in errors
            and "weight" not in errors
            and score is not None
            and (weight is None or not Decimal(0) <= score <= weight)
        ):
            errors["final_score"] = [
                _("The score must lie between 0 and the weight %(weight)s.")
                % {"weight": weight if weight is not None else "—"}
            ]
        if errors:
            raise ValidationError(errors)
        instance.rule_params = instance.rule_params or {}

    def validate_instance(
        self,
        instance: EvaluationIndicator,
        import_validation_errors: Any = None,
        validate_unique: bool = True,
    ) -> None:
        # The tree does not exist yet: check the fields' own rules only.
        errors = dict(import_validation_errors or {})
        exclude = [*errors, "evaluation", "parent"]
        if instance.weight is None:  # an implied sum, or reported by indicator_tree
            exclude.append("weight")
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(
        self, instance: EvaluationIndicator, is_create: bool, row: Any, **kwargs: Any
    ) -> None:
        path = tuple(name for name in row_path(row) if name)
        self.tree_rows.append(
            TreeRow(
                self.sheet_row(kwargs["row_number"]),
                path,
                instance,
                score_formula=isinstance(row.get(SCORE), FormulaWithoutValue),
                rule_defaulted=id(instance) in self._defaulted,
            )
        )

    def save_m2m(self, instance: Any, row: Any, **kwargs: Any) -> None:
        pass

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        pass


def indicator_tree(
    rows: Sequence[TreeRow], total: Decimal = Decimal(100), *, strict: bool = True
) -> list[IndicatorData]:
    """The rows as an indicator tree: a row's names give its parent (a missing 一级 or 二级 row
    is implied, its 分值 the sum below it); an explicit group's 分值 must equal its
    children's, the 一级 ones must add up to ``total``. Raises ``ValidationError`` with one
    message per offending row.

    ``strict=False`` reads a published table as it stands: a group's 分值 other than its
    children's sum, and 一级 分值 adding up to more or less than ``total`` (points the table
    does not itemise), are kept as stated for the engine to flag."""
    errors: list[str] = []
    nodes: dict[tuple[str, ...], TreeRow] = {}
    roots: list[TreeRow] = []
    for tree_row in rows:
        path = tree_row.path
        if path in nodes:
            column = NAME_HEADERS[len(path) - 1]
            errors.append(
                row_message(
                    tree_row.row,
                    column,
                    f"指标“{' / '.join(path)}”在第{nodes[path].row}行已出现。",
                )
            )
            continue
        nodes[path] = tree_row
        parent_path = path[:-1]
        if not parent_path:
            roots.append(tree_row)
            continue
        # An implied parent: the sheet lists only the rows below it.
        for depth in range(1, len(path)):
            ancestor = path[:depth]
            if ancestor not in nodes:
                implied = TreeRow(
                    tree_row.row,
                    ancestor,
                    EvaluationIndicator(name=ancestor[-1], level=depth),
                    explicit=False,
                )
                nodes[ancestor] = implied
                if depth == 1:
                    roots.append(implied)
                else:
                    nodes[ancestor[:-1]].children.append(implied)
        nodes[parent_path].children.append(tree_row)

    def settle(node: TreeRow) -> Decimal | None:
        """The node's weight, checked against its children's."""
        weight: Decimal | None = node.indicator.weight
        if not node.children:
            if weight is None:
                errors.append(row_message(node.row, WEIGHT, "请填写分值。"))
            if node.score_formula:
                errors.append(row_message(node.row, SCORE, FORMULA_WITHOUT_VALUE))
            return weight
        sums = [settle(child) for child in node.children]
        if any(s is None for s in sums):
            return weight
        below = sum((s for s in sums if s is not None), Decimal(0))
        if weight is None or not node.explicit:
            node.indicator.weight = below
            return below
        if weight != below and strict:
            errors.append(
                row_message(
                    node.row,
                    WEIGHT,
                    f"“{node.indicator.name}”的分值 {weight:.2f} 与其下级指标分值之和 "
                    f"{below:.2f} 不一致。",
                )
            )
        return weight

    weights = [settle(root) for root in roots]
    if not errors and roots and strict:
        sum_of_roots = sum((w for w in weights if w is not None), Decimal(0))
        if sum_of_roots != total:
            listed = "、".join(str(root.row) for root in roots)
            errors.append(
                f"第{listed}行“{WEIGHT}”列：一级指标分值合计为 {sum_of_roots:.2f}，"
                f"应为 {plain_number(total)}。"
            )
    if not roots and not errors:
        errors.append("“评分表”没有指标行。")
    if errors:
        raise ValidationError(errors)

    def data(node: TreeRow) -> IndicatorData:
        i = node.indicator
        leaf = not node.children
        return IndicatorData(
            level=len(node.path),
            name=i.name,
            weight=i.weight,
            weight_reconstructed=i.weight_reconstructed,
            explanation=i.explanation if node.explicit else "",
            rule_kind=i.rule_kind if leaf else "",
            rule_params=i.rule_params if leaf else {},
            target=ValueData(text=i.target_text) if leaf and i.target_text else None,
            actual=_actual(i.actual_text, i.target_text)
            if leaf and i.actual_text
            else None,
            final_score=i.final_score if leaf else None,
            published_score=i.final_score if leaf else None,
            reason=i.reason if leaf else "",
            children=[data(child) for child in node.children],
        )

    return [data(root) for root in roots]


def _actual(text: str, target: str) -> ValueData:
    """实际完成值 as written, its number in the unit of the 指标值 where the two differ
    and convert (``10.42 万件`` against ``20000 个`` is 104200 个), as the pages store it:
    the engine compares numbers, so a workbook round trip scores the same."""
    actual, wanted = parse_indicator_value(text), parse_indicator_value(target)
    if (
        actual.number is None
        or not actual.unit
        or not wanted.unit
        or actual.unit == wanted.unit
    ):
        return ValueData(text=text)
    number = convert_for_target(actual.number, actual.unit, wanted.unit)
    if number is None:
        return ValueData(text=text)
    return ValueData(text=text, number=number, unit=wanted.unit)


def leaf_deviations(rows: Sequence[TreeRow]) -> dict[tuple[str, ...], str]:
    """偏差原因分析及改进措施 of each 三级 row that states one, by path."""
    parents = {row.path[:-1] for row in rows}
    return {
        row.path: row.indicator.deviation_reason
        for row in rows
        if row.path not in parents and row.indicator.deviation_reason
    }


def leaf_settings(rows: Sequence[TreeRow]) -> dict[tuple[str, ...], LeafSetting]:
    """What ``IndicatorData`` does not carry, by path: 不适用, 档次 and 清单要点 of each
    三级 row that states one."""
    parents = {row.path[:-1] for row in rows}
    return {
        row.path: LeafSetting(
            applicable=row.indicator.applicable,
            tier=row.indicator.tier,
            satisfied_points=tuple(row.indicator.satisfied_points or ()),
        )
        for row in rows
        if row.path not in parents
        and (
            not row.indicator.applicable
            or row.indicator.tier
            or row.indicator.satisfied_points
        )
    }

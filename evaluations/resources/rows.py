"""The columns of the 评分表 shared by its export and both of its imports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export.fields import Field

from core.resources import ProjectResource
from evaluations.models import EvaluationIndicator
from evaluations.resources.cells import (
    ACTUAL,
    COMPUTED,
    DEVIATION,
    EXPLANATION,
    HEADERS,
    KEY,
    LEVEL1,
    LEVEL2,
    LEVEL3,
    METHOD,
    NAME_HEADERS,
    NOT_APPLICABLE,
    POINTS,
    REASON,
    RECONSTRUCTED,
    RULE_KIND,
    RULE_PARAMS,
    SCORE,
    TARGET,
    TIER,
    WEIGHT,
    KeyWidget,
    NumberWidget,
    ParamsWidget,
    PointsWidget,
    RuleKindWidget,
    TextWidget,
    YesWidget,
    row_message,
)
from evaluations.scoring import RuleKind


def path_of(
    indicator: EvaluationIndicator, by_pk: Mapping[int, EvaluationIndicator]
) -> tuple[str, str, str]:
    names: list[str] = []
    node: EvaluationIndicator | None = indicator
    while node is not None:
        names.insert(0, node.name)
        node = by_pk.get(node.parent_id) if node.parent_id else None
    names += [""] * (3 - len(names))
    return names[0], names[1], names[2]


def row_path(row: Mapping[str, Any]) -> tuple[str, str, str]:
    """The three names of a sheet row (blank as ""; a formula without a value is blank)."""
    names = []
    for header in NAME_HEADERS:
        try:
            names.append(TextWidget().clean(row.get(header)))
        except ValueError:
            names.append("")
    return names[0], names[1], names[2]


class IndicatorRowsResource(ProjectResource):
    """The columns of the 评分表 sheet and their widgets (export and import share them).

    A subclass names the fields it imports in ``IMPORTED``; the others are read-only.
    """

    level1 = Field(column_name=LEVEL1, widget=TextWidget())
    level2 = Field(column_name=LEVEL2, widget=TextWidget())
    level3 = Field(column_name=LEVEL3, widget=TextWidget())
    weight = Field(attribute="weight", column_name=WEIGHT, widget=NumberWidget())
    target = Field(attribute="target_text", column_name=TARGET, widget=TextWidget())
    actual = Field(attribute="actual_text", column_name=ACTUAL, widget=TextWidget())
    method = Field(column_name=METHOD, widget=TextWidget())
    final_score = Field(
        attribute="final_score", column_name=SCORE, widget=NumberWidget()
    )
    reason = Field(attribute="reason", column_name=REASON, widget=TextWidget())
    computed = Field(column_name=COMPUTED, widget=NumberWidget())
    position = Field(attribute="position", column_name=KEY, widget=KeyWidget())
    reconstructed = Field(
        attribute="weight_reconstructed", column_name=RECONSTRUCTED, widget=YesWidget()
    )
    applicable = Field(
        attribute="applicable",
        column_name=NOT_APPLICABLE,
        widget=YesWidget(inverse=True),
    )
    tier = Field(attribute="tier", column_name=TIER, widget=TextWidget())
    explanation = Field(
        attribute="explanation", column_name=EXPLANATION, widget=TextWidget()
    )
    rule_kind = Field(
        attribute="rule_kind", column_name=RULE_KIND, widget=RuleKindWidget()
    )
    rule_params = Field(
        attribute="rule_params", column_name=RULE_PARAMS, widget=ParamsWidget()
    )
    satisfied_points = Field(
        attribute="satisfied_points", column_name=POINTS, widget=PointsWidget()
    )
    deviation_reason = Field(
        attribute="deviation_reason", column_name=DEVIATION, widget=TextWidget()
    )

    IMPORTED: frozenset[str] = frozenset()

    class Meta:
        model = EvaluationIndicator
        fields = (
            "level1",
            "level2",
            "level3",
            "weight",
            "target",
            "actual",
            "method",
            "final_score",
            "reason",
            "computed",
            "position",
            "reconstructed",
            "applicable",
            "tier",
            "explanation",
            "rule_kind",
            "rule_params",
            "satisfied_points",
            "deviation_reason",
        )
        import_id_fields: tuple[str, ...] = ("position",)
        skip_unchanged = True
        clean_model_instances = True
        skip_html_diff = True

    def __init__(self, *, sheet_rows: Sequence[int] = ()) -> None:
        super().__init__()
        # Dataset row i (1-based) is sheet row sheet_rows[i - 1]; the header is row 1.
        self.sheet_rows = list(sheet_rows)
        for name, resource_field in self.fields.items():
            resource_field.readonly = name not in self.IMPORTED
        self.columns = {
            (f.attribute or name): f.column_name for name, f in self.fields.items()
        }

    @staticmethod
    def _check_points(
        instance: EvaluationIndicator, errors: dict[str, list[str]]
    ) -> None:
        """清单要点 only on a 清单 indicator, and only the points its rule has."""
        if "satisfied_points" in errors or not instance.satisfied_points:
            return
        if instance.rule_kind != RuleKind.CHECKLIST:
            errors["satisfied_points"] = ["该指标不按清单评分，清单要点请留空。"]
            return
        count = len((instance.rule_params or {}).get("points") or ())
        if max(instance.satisfied_points) >= count:
            errors["satisfied_points"] = [f"该清单只有第 1 至 {count} 个评分要点。"]

    def sheet_row(self, number: int) -> int:
        """The sheet row of dataset row ``number`` (1-based)."""
        if 0 < number <= len(self.sheet_rows):
            return self.sheet_rows[number - 1]
        return number + 1

    def error_messages(self, number: int, error: ValidationError) -> list[str]:
        """``error`` of dataset row ``number`` as row-and-column messages, in column order."""
        row = self.sheet_row(number)
        if not hasattr(error, "error_dict"):
            return [row_message(row, "", m) for m in error.messages]
        order = {header: index for index, header in enumerate(HEADERS)}
        items = sorted(
            error.message_dict.items(),
            key=lambda item: order.get(self.columns.get(item[0], ""), len(order)),
        )
        messages = []
        for key, texts in items:
            column = "" if key == NON_FIELD_ERRORS else self.columns.get(key, key)
            messages += [row_message(row, column, text) for text in texts]
        return messages

    def result_messages(self, result: Any) -> list[str]:
        """Every error of an import ``result``: whole-file errors first, then by row."""
        messages: list[str] = []
        for error in result.base_errors:
            exc = error.error
            if isinstance(exc, ValidationError):
                messages += exc.messages
            else:
                messages.append(f"导入失败：{exc}")
        by_row: list[tuple[int, list[str]]] = []
        for invalid in result.invalid_rows:
            by_row.append(
                (invalid.number, self.error_messages(invalid.number, invalid.error))
            )
        for number, errors in result.row_errors():
            by_row.append(
                (
                    number,
                    [
                        row_message(self.sheet_row(number), "", f"{e.error}")
                        for e in errors
                    ],
                )
            )
        for _number, row_messages in sorted(by_row, key=lambda item: item[0]):
            messages += row_messages
        return messages

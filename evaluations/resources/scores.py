"""Scores of an existing evaluation in and out of its 评分表."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.resources.cells import (
    ACTUAL,
    DEVIATION,
    KEY,
    METHOD,
    NAME_HEADERS,
    NOT_APPLICABLE,
    POINTS,
    REASON,
    SCORE,
    TARGET,
    TIER,
    WEIGHT,
    YES,
    TextWidget,
    method_text,
    plain_number,
    row_message,
)
from evaluations.resources.rows import IndicatorRowsResource, path_of, row_path
from evaluations.scoring import LeafResult, RuleKind
from evaluations.selectors import ScoredEvaluation, evaluation_rows, evaluation_score
from evaluations.services import evaluation_indicator_score
from evaluations.services.data import evaluation_indicator_points


@dataclass(frozen=True)
class Change:
    """One imported cell that changes the evaluation: ``old`` → ``new`` as shown."""

    row: int
    indicator: str
    column: str
    old: str
    new: str


def _text(value: object) -> str | None:
    """A cell as text to compare (``None`` for a formula without a value)."""
    try:
        return TextWidget().clean(value)
    except ValueError:
        return None


def _shown(value: object) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, bool):
        return YES if value else "否"
    return str(value)


class EvaluationScoreResource(IndicatorRowsResource):
    """An evaluation's 评分表: exports its rows; imports 得分, 评分说明, 不适用 and 档次."""

    IMPORTED = frozenset(
        {"final_score", "reason", "applicable", "tier", "satisfied_points"}
    )
    # Columns shown for reading only: an edit there is reported, not imported.
    READ_ONLY_TEXT = (
        ("target", TARGET),
        ("actual", ACTUAL),
        ("method", METHOD),
        ("deviation_reason", DEVIATION),
    )

    def __init__(
        self, *, scored: ScoredEvaluation, sheet_rows: Sequence[int] = ()
    ) -> None:
        super().__init__(sheet_rows=sheet_rows)
        self.scored = scored
        self.evaluation: Evaluation = scored.evaluation
        by_pk = {i.pk: i for i in scored.indicators}
        self.paths = {i.pk: path_of(i, by_pk) for i in scored.indicators}
        self.by_position: dict[int, list[EvaluationIndicator]] = {}
        self.by_path: dict[tuple[str, str, str], list[EvaluationIndicator]] = {}
        for indicator in scored.indicators:
            self.by_position.setdefault(indicator.position, []).append(indicator)
            self.by_path.setdefault(self.paths[indicator.pk], []).append(indicator)
        self.seen: dict[int, int] = {}  # indicator pk → sheet row
        self.changes: list[Change] = []
        self.notes: list[str] = []
        self.scored_after: ScoredEvaluation | None = None
        self.has_key_column = True

    def is_leaf(self, indicator: EvaluationIndicator) -> bool:
        return not self.scored.children.get(indicator.pk)

    # export -----------------------------------------------------------------------

    def rows(self) -> list[EvaluationIndicator]:
        """The indicators in tree order, as the sheet lists them."""
        return [row.indicator for row in evaluation_rows(self.scored)]

    def dehydrate_level1(self, indicator: EvaluationIndicator) -> str:
        return self.paths[indicator.pk][0]

    def dehydrate_level2(self, indicator: EvaluationIndicator) -> str:
        return self.paths[indicator.pk][1]

    def dehydrate_level3(self, indicator: EvaluationIndicator) -> str:
        return self.paths[indicator.pk][2]

    def dehydrate_target(self, indicator: EvaluationIndicator) -> str:
        if indicator.target_text or indicator.target_number is None:
            return indicator.target_text
        return plain_number(indicator.target_number) + indicator.target_unit

    def dehydrate_actual(self, indicator: EvaluationIndicator) -> str:
        if indicator.actual_text or indicator.actual_number is None:
            return indicator.actual_text
        return plain_number(indicator.actual_number) + indicator.actual_unit

    def dehydrate_method(self, indicator: EvaluationIndicator) -> str:
        return method_text(indicator.rule_kind) if self.is_leaf(indicator) else ""

    def dehydrate_final_score(self, indicator: EvaluationIndicator) -> Decimal | None:
        """三级: the evaluator's score as stored (blank: the rule's 计算得分 applies);
        groups: the node's score (the workbook sums it with a formula)."""
        if self.is_leaf(indicator):
            score: Decimal | None = indicator.final_score
            return score
        result = self.scored.result_for(indicator)
        return None if isinstance(result, LeafResult) else result.score

    def dehydrate_reason(self, indicator: EvaluationIndicator) -> str:
        return indicator.reason if self.is_leaf(indicator) else ""

    def dehydrate_computed(self, indicator: EvaluationIndicator) -> Decimal | None:
        result = self.scored.result_for(indicator)
        return result.computed_score if isinstance(result, LeafResult) else None

    def dehydrate_applicable(self, indicator: EvaluationIndicator) -> str:
        return "" if indicator.applicable or not self.is_leaf(indicator) else YES

    def dehydrate_satisfied_points(self, indicator: EvaluationIndicator) -> str:
        """清单 leaves: the review points ticked (1、3、5); other rows: blank."""
        if indicator.rule_kind != RuleKind.CHECKLIST or not self.is_leaf(indicator):
            return ""
        return str(
            self.fields["satisfied_points"].widget.render(indicator.satisfied_points)
        )

    def dehydrate_rule_kind(self, indicator: EvaluationIndicator) -> str:
        return indicator.rule_kind if self.is_leaf(indicator) else ""

    # import -----------------------------------------------------------------------

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.has_key_column = KEY in (dataset.headers or ())

    def get_import_id_fields(self) -> Sequence[str]:
        # Without a 指标编号 column, rows are matched by their names (get_instance).
        return ("position",) if self.has_key_column else ()

    def get_instance(self, instance_loader: Any, row: Mapping[str, Any]) -> Any:
        """The indicator a row is about: by 指标编号, else by its three names."""
        try:
            key = self.fields["position"].clean(row) if KEY in row else None
        except ValueError as exc:
            raise ValidationError({"position": [str(exc)]}) from None
        path = row_path(row)
        if key is not None:
            found = self.by_position.get(key, [])
            if not found:
                raise ValidationError(
                    {"position": [f"本评价没有编号为 {key} 的指标。"]}
                )
        else:
            if not any(path):
                raise ValidationError({"level1": ["缺少指标名称，也没有指标编号。"]})
            found = self.by_path.get(path, [])
            if not found:
                shown = " / ".join(name for name in path if name)
                raise ValidationError(
                    {self._deepest(path): [f"本评价没有指标“{shown}”。"]}
                )
        if len(found) > 1:
            raise ValidationError(
                {"position": ["有多个指标与这一行对应，请填写导出时的指标编号。"]}
            )
        indicator = found[0]
        if indicator.pk in self.seen:
            raise ValidationError(
                {"position": [f"与第{self.seen[indicator.pk]}行是同一个指标。"]}
            )
        return indicator

    @staticmethod
    def _deepest(path: tuple[str, str, str]) -> str:
        return "level3" if path[2] else "level2" if path[1] else "level1"

    def after_init_instance(
        self, instance: Any, new: bool, row: Any, **kwargs: Any
    ) -> None:
        self.seen[instance.pk] = self.sheet_row(kwargs["row_number"])

    def import_instance(
        self, instance: EvaluationIndicator, row: Mapping[str, Any], **kwargs: Any
    ) -> None:
        errors: dict[str, list[str]] = {}
        expected = self.paths[instance.pk]
        given = row_path(row)
        for name, header, want, got in zip(
            ("level1", "level2", "level3"), NAME_HEADERS, expected, given, strict=True
        ):
            if header in row and want != got:
                errors[name] = [
                    f"指标编号 {instance.position} 是“{want or '（空）'}”，"
                    f"工作簿中为“{got or '（空）'}”：指标名称不能在导入时修改。"
                ]
                break
        if WEIGHT in row:
            try:
                weight = self.fields["weight"].clean(row)
            except ValueError as exc:
                errors["weight"] = [str(exc)]
            else:
                if weight is not None and weight != instance.weight:
                    errors["weight"] = [
                        f"分值是 {instance.weight}，工作簿中为 {weight}：分值不能在导入时修改。"
                    ]
        for name, header in self.READ_ONLY_TEXT:
            if header in row and _text(row[header]) != _text(
                self.export_field(self.fields[name], instance)
            ):
                self.notes.append(
                    row_message(
                        self.sheet_row(kwargs["row_number"]),
                        header,
                        "导入只更新得分、评分说明、不适用和档次，此列的修改不会导入。",
                    )
                )
        if self.is_leaf(instance):
            stored_reason = instance.reason
            try:
                super().import_instance(instance, row, **kwargs)
            except ValidationError as exc:
                for key, texts in exc.message_dict.items():
                    errors.setdefault(key, []).extend(texts)
            if TextWidget().clean(stored_reason) == instance.reason:
                # The same text; a spreadsheet only changed its line ends (\r\n → \n).
                instance.reason = stored_reason
            self._check_points(instance, errors)
            score = instance.final_score
            if (
                "final_score" not in errors
                and score is not None
                and not Decimal(0) <= score <= instance.weight
            ):
                errors["final_score"] = [
                    _("The score must lie between 0 and the weight %(weight)s.")
                    % {"weight": instance.weight}
                ]
        if errors:
            raise ValidationError(errors)

    def save_instance(
        self, instance: EvaluationIndicator, is_create: bool, row: Any, **kwargs: Any
    ) -> None:
        """A changed 三级 row, through the services that record review points and a
        score (the 得分 cell as written wins over the score the points would give)."""
        before = EvaluationIndicator.objects.get(pk=instance.pk)
        if sorted(before.satisfied_points or ()) != instance.satisfied_points:
            typed_score = instance.final_score
            evaluation_indicator_points(
                indicator=instance, points=instance.satisfied_points
            )
            instance.final_score = typed_score
        evaluation_indicator_score(
            indicator=instance,
            final_score=instance.final_score,
            reason=instance.reason,
            tier=instance.tier,
            applicable=instance.applicable,
        )
        sheet_row = self.sheet_row(kwargs["row_number"])
        shown = " / ".join(name for name in self.paths[instance.pk] if name)
        for attribute, column in (
            ("final_score", SCORE),
            ("reason", REASON),
            ("applicable", NOT_APPLICABLE),
            ("tier", TIER),
            ("satisfied_points", POINTS),
        ):
            old, new = getattr(before, attribute), getattr(instance, attribute)
            if attribute == "satisfied_points":
                widget = self.fields["satisfied_points"].widget
                old, new = widget.render(sorted(old or ())), widget.render(new)
            if old != new:
                if attribute == "applicable":
                    old, new = not old, not new
                self.changes.append(
                    Change(sheet_row, shown, column, _shown(old), _shown(new))
                )

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        # Inside the import's transaction: the scores as they stand once every row is in.
        self.scored_after = evaluation_score(self.evaluation)

"""Reads of evaluations: the scored tree as plain data for pages, commands and workbooks.

``evaluation_score`` fetches an evaluation's tree and hands plain values to
``evaluations.scoring`` (through ``evaluations.engine``); everything the pages, the command
and the workbook show comes from its ``TreeResult``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from budgets.models import ProjectTask
from budgets.selectors import BudgetYearFigures
from evaluations.engine import (
    BLOCKING_FLAGS,
    grade_bands_of,
    indicator_key,
    leaf_input,
)
from evaluations.models import (
    Evaluation,
    EvaluationIndicator,
    EvaluationSnapshot,
    Finding,
    Recommendation,
)
from evaluations.rule_names import RULE_NAMES
from evaluations.scoring import (
    Flag,
    LeafInput,
    LeafResult,
    NodeInput,
    NodeResult,
    RuleKind,
    TreeResult,
    score_tree,
)
from evaluations.snapshots import (
    EvaluationFigures,
    apply_frozen_indicators,
    figures_changes,
    frozen_figures,
    frozen_result,
    live_budget,
    live_figures,
    score_changes,
)


@dataclass(frozen=True)
class ScoredEvaluation:
    """An evaluation, its indicators in tree order, and the engine's result for them."""

    evaluation: Evaluation
    indicators: list[EvaluationIndicator]
    children: Mapping[int | None, list[EvaluationIndicator]]
    result: TreeResult
    results: Mapping[str, NodeResult | LeafResult] = field(repr=False)

    def result_for(self, indicator: EvaluationIndicator) -> NodeResult | LeafResult:
        return self.results[indicator_key(indicator)]

    @property
    def blocking_flags(self) -> list[Flag]:
        return [f for f in self.result.flags if f.kind in BLOCKING_FLAGS]

    def indicator_name(self, flag: Flag) -> str:
        """The indicator a flag is about, by name (the engine knows it by key)."""
        result = self.results.get(flag.indicator or "")
        return result.name if result is not None else ""


def compared_total(evaluation: Evaluation) -> Decimal | None:
    """The total the engine's total is compared with: the published one once submitted,
    before that the one the source report printed (the seeds'), if any."""
    published: Decimal | None = evaluation.published_total
    source: Decimal | None = evaluation.source_total
    return published if evaluation.is_locked and published is not None else source


def evaluation_indicators(evaluation: Evaluation) -> list[EvaluationIndicator]:
    return list(
        evaluation.indicators.select_related(
            "target_indicator__form", "library_indicator"
        )
        .annotate(evidence_count=Count("evidence"))
        .order_by("position", "pk")
    )


def evaluation_score(
    evaluation: Evaluation, *, as_submitted: bool = True
) -> ScoredEvaluation:
    """Score ``evaluation`` with the engine (two queries, whatever the tree's size).

    A submitted evaluation is, by default, as it was submitted: the result and the
    indicators' values come from its snapshot (``evaluations.snapshots``, one query
    more); ``as_submitted=False`` scores the stored rows again, to compare."""
    indicators = evaluation_indicators(evaluation)
    children: dict[int | None, list[EvaluationIndicator]] = {}
    for indicator in indicators:
        children.setdefault(indicator.parent_id, []).append(indicator)
    snapshot = (
        EvaluationSnapshot.objects.filter(evaluation_id=evaluation.pk).first()
        if as_submitted and evaluation.is_locked
        else None
    )
    if snapshot is not None:
        apply_frozen_indicators(indicators, snapshot.data)
        return _scored(evaluation, indicators, children, frozen_result(snapshot.data))

    def build(indicator: EvaluationIndicator) -> NodeInput | LeafInput:
        kids = children.get(indicator.pk)
        if not kids:
            return leaf_input(indicator)
        return NodeInput(
            key=indicator_key(indicator),
            name=indicator.name,
            weight=indicator.weight,
            children=tuple(build(kid) for kid in kids),
        )

    result = score_tree(
        [build(root) for root in children.get(None, [])],
        grade_bands=grade_bands_of(evaluation.grade_bands),
        over_achievement_ratio=evaluation.over_achievement_ratio,
        published_total=compared_total(evaluation),
    )
    return _scored(evaluation, indicators, children, result)


def _scored(
    evaluation: Evaluation,
    indicators: list[EvaluationIndicator],
    children: Mapping[int | None, list[EvaluationIndicator]],
    result: TreeResult,
) -> ScoredEvaluation:
    results: dict[str, NodeResult | LeafResult] = {}

    def index(items: Sequence[NodeResult | LeafResult]) -> None:
        for item in items:
            results[item.key] = item
            if isinstance(item, NodeResult):
                index(item.children)

    index(result.nodes)
    return ScoredEvaluation(
        evaluation=evaluation,
        indicators=indicators,
        children=children,
        result=result,
        results=results,
    )


@dataclass(frozen=True)
class Row:
    """One indicator of a scored evaluation, in tree order, ready to show."""

    indicator: EvaluationIndicator
    depth: int
    is_leaf: bool
    result: NodeResult | LeafResult

    @property
    def score(self) -> Decimal | None:
        if isinstance(self.result, LeafResult):
            return self.result.final_score
        return self.result.score

    @property
    def computed_score(self) -> Decimal | None:
        return (
            self.result.computed_score if isinstance(self.result, LeafResult) else None
        )

    @property
    def rate(self) -> Decimal | None:
        return self.result.rate

    @property
    def rule_label(self) -> str:
        kind = self.indicator.rule_kind
        return str(RULE_NAMES[RuleKind(kind)]) if kind else ""


def evaluation_rows(scored: ScoredEvaluation) -> Iterator[Row]:
    def walk(parent_id: int | None, depth: int) -> Iterator[Row]:
        for indicator in scored.children.get(parent_id, []):
            kids = scored.children.get(indicator.pk)
            yield Row(indicator, depth, not kids, scored.result_for(indicator))
            if kids:
                yield from walk(indicator.pk, depth + 1)

    return walk(None, 0)


def evaluation_by_code(code: str) -> Evaluation:
    return Evaluation.objects.select_related("project", "framework", "evaluator").get(
        code=code
    )


def _num(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def evaluation_as_dict(scored: ScoredEvaluation) -> dict[str, Any]:
    """The scored tree in the documented JSON shape of ``manage.py evaluate --json``."""

    def node(indicator: EvaluationIndicator) -> dict[str, Any]:
        result = scored.result_for(indicator)
        kids = scored.children.get(indicator.pk, [])
        item: dict[str, Any] = {
            "name": indicator.name,
            "weight": _num(indicator.weight),
            "score": _num(
                result.final_score if isinstance(result, LeafResult) else result.score
            ),
            "rate": _num(result.rate),
            "reconstructed": indicator.weight_reconstructed
            or indicator.score_reconstructed,
        }
        if kids:
            item["children"] = [node(kid) for kid in kids]
        else:
            assert isinstance(result, LeafResult)
            item.update(
                target=indicator.target_text or None,
                actual=indicator.actual_text or None,
                actual_source=indicator.actual_source or None,
                computed_score=_num(result.computed_score),
                rule=indicator.rule_kind or None,
                applicable=indicator.applicable,
                reason=indicator.reason or None,
            )
        return item

    result = scored.result
    return {
        "code": scored.evaluation.code,
        "title": scored.evaluation.title,
        "total": _num(result.total),
        "grade": result.grade,
        "tree": [node(root) for root in scored.children.get(None, [])],
        "flags": [
            {
                "indicator": scored.indicator_name(f),
                "kind": str(f.kind),
                "message": f.message,
            }
            for f in result.flags
        ],
    }


def scored_evaluation(code: str) -> ScoredEvaluation:
    return evaluation_score(evaluation_by_code(code))


@dataclass(frozen=True)
class EvaluationReportData:
    """An evaluation as its report prints it: the scored tree (``evaluation_score``), the
    project with the organisations the report names, its tasks, the findings and the
    recommendations, in their order."""

    scored: ScoredEvaluation
    tasks: list[ProjectTask]
    findings: list[Finding]
    recommendations: list[Recommendation]

    @property
    def evaluation(self) -> Evaluation:
        return self.scored.evaluation


def evaluation_report_data(code: str) -> EvaluationReportData:
    """Evaluation ``code`` for its report (raises ``Evaluation.DoesNotExist``); a fixed
    number of queries whatever the size of the tree."""
    evaluation = Evaluation.objects.select_related(
        "project__department",
        "project__unit",
        "project__contractor",
        "organisation",
        "commissioned_by",
        "evaluator",
        "framework",
    ).get(code=code)
    project = evaluation.project
    return EvaluationReportData(
        scored=evaluation_score(evaluation),
        tasks=list(project.tasks.order_by("position", "pk")) if project else [],
        findings=list(evaluation.findings.order_by("position", "pk")),
        recommendations=list(
            evaluation.recommendations.select_related("finding").order_by(
                "position", "pk"
            )
        ),
    )


def evaluation_figures(evaluation: Evaluation) -> EvaluationFigures:
    """The budget year and cost table a report or export prints: as submitted once the
    evaluation is submitted (its snapshot), the live data before."""
    if evaluation.is_locked:
        snapshot = EvaluationSnapshot.objects.filter(
            evaluation_id=evaluation.pk
        ).first()
        if snapshot is not None:
            return frozen_figures(snapshot.data)
    return live_figures(evaluation)


def evaluation_budget(evaluation: Evaluation) -> BudgetYearFigures | None:
    """The budget year alone, as ``evaluation_figures`` gives it (the workbook's sheet)."""
    if evaluation.is_locked:
        snapshot = EvaluationSnapshot.objects.filter(
            evaluation_id=evaluation.pk
        ).first()
        if snapshot is not None:
            return frozen_figures(snapshot.data).budget
    return live_budget(evaluation)


def evaluation_snapshot_notes(evaluation: Evaluation) -> list[str]:
    """For a submitted evaluation, what in the live data has moved since submission
    (old → new), one sentence per kind of data; nothing when nothing moved."""
    if not evaluation.is_locked:
        return []
    snapshot = EvaluationSnapshot.objects.filter(evaluation_id=evaluation.pk).first()
    if snapshot is None:
        return []
    budget, costs = figures_changes(
        frozen_figures(snapshot.data), live_figures(evaluation)
    )
    scores = score_changes(
        frozen_result(snapshot.data),
        evaluation_score(evaluation, as_submitted=False).result,
    )
    separator = pgettext("list separator", "; ")
    notes = []
    for changes, sentence in (
        (budget, _("Budget figures have changed since submission: %(changes)s.")),
        (costs, _("Operating data have changed since submission: %(changes)s.")),
        (scores, _("Scoring the stored values now gives: %(changes)s.")),
    ):
        if changes:
            notes.append(
                sentence % {"changes": separator.join(str(c) for c in changes)}
            )
    if notes:
        notes.append(
            _(
                "The report, the exports and this page show the figures as submitted "
                "on %(date)s."
            )
            % {"date": f"{timezone.localtime(snapshot.taken_at):%Y-%m-%d %H:%M}"}
        )
    return notes

"""What a submitted evaluation keeps of the figures it was scored with and prints.

At submission (``evaluations.services.evaluation_submit``, in its transaction) the snapshot
takes, as plain values (``kernel.plain``; amounts as exact strings):

- ``result``: the engine's ``TreeResult`` (every score, 得分率, the total and the grade);
- ``indicators``: each indicator's name, weight, 指标值, 实际完成值, score and reason as
  scored;
- ``budget``: the project's budget year for the evaluated year (表1-1, 1-2, 1-3 and the
  funds paragraph), ``budgets.snapshots``;
- ``costs``: the cost table from the operating data (表3 and 图2).

Once submitted, ``evaluation_score`` returns the snapshot's result and ``evaluation_figures``
its budget and costs, so the report, the workbook and the pages print what was submitted
however the live data moves; ``figures_changes`` says what moved, for the pages' note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from budgets.models import BudgetYear
from budgets.selectors import BudgetYearFigures, budget_year_figures
from budgets.snapshots import (
    Change,
    Figures,
    budget_year_changes,
    budget_year_figures_from_plain,
    budget_year_plain,
    changes_between,
    shown,
)
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.scoring import TreeResult
from kernel.metrics import CostTable
from kernel.plain import from_plain, to_plain
from operations.selectors import (
    ActualValue,
    actual_values_by_year,
    cost_table,
    reconstructed_metrics,
)

Plain = dict[str, Any]

# The indicator fields a report or page prints, as they were when scored.
INDICATOR_FIELDS = (
    "name",
    "weight",
    "target_text",
    "actual_text",
    "actual_source",
    "final_score",
    "reason",
    "applicable",
    "tier",
)


@dataclass(frozen=True)
class EvaluationFigures:
    """The figures a report prints besides the scores: the budget year, 表3, and the
    operating figures its sentences place (``evaluations.reports.figures``), by year and
    metric code, with the codes whose figure is reconstructed."""

    budget: BudgetYearFigures | None
    costs: CostTable | None
    operating: Mapping[int, Mapping[str, ActualValue]] = field(default_factory=dict)
    reconstructed: Mapping[int, set[str]] = field(default_factory=dict)


def live_budget(evaluation: Evaluation) -> BudgetYearFigures | None:
    """The evaluated project's budget year as it is stored now."""
    if evaluation.project is None:
        return None
    try:
        return budget_year_figures(
            project_code=evaluation.project.code, year=evaluation.year
        )
    except BudgetYear.DoesNotExist:
        return None


def live_figures(evaluation: Evaluation) -> EvaluationFigures:
    """The budget year and the cost table as they are stored now."""
    project = evaluation.project
    unit = project.unit if project is not None else evaluation.organisation
    costs = (
        cost_table(organisation=unit, year=evaluation.year)
        if unit is not None
        else None
    )
    years = [evaluation.year - 2, evaluation.year - 1, evaluation.year]
    return EvaluationFigures(
        budget=live_budget(evaluation),
        costs=costs,
        operating=(
            actual_values_by_year(organisation=unit, years=years) if unit else {}
        ),
        reconstructed=(
            reconstructed_metrics(organisation=unit, years=years) if unit else {}
        ),
    )


def _plain_value(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def snapshot_data(
    *,
    result: TreeResult,
    indicators: Sequence[EvaluationIndicator],
    figures: EvaluationFigures,
) -> Plain:
    return {
        "result": to_plain(result),
        "indicators": {
            str(indicator.pk): {
                name: _plain_value(getattr(indicator, name))
                for name in INDICATOR_FIELDS
            }
            for indicator in indicators
        },
        "budget": None if figures.budget is None else budget_year_plain(figures.budget),
        "costs": None if figures.costs is None else to_plain(figures.costs),
        "operating": {
            str(year): {code: to_plain(actual) for code, actual in actuals.items()}
            for year, actuals in figures.operating.items()
        },
        "reconstructed": {
            str(year): sorted(codes) for year, codes in figures.reconstructed.items()
        },
    }


def frozen_result(data: Mapping[str, Any]) -> TreeResult:
    return from_plain(TreeResult, data["result"])


def frozen_figures(data: Mapping[str, Any]) -> EvaluationFigures:
    budget, costs = data.get("budget"), data.get("costs")
    # snapshots taken before the operating figures were kept have none: the report's
    # sentences then read the live data (``evaluations.reports.context``)
    operating = data.get("operating")
    return EvaluationFigures(
        budget=None if budget is None else budget_year_figures_from_plain(budget),
        costs=None if costs is None else from_plain(CostTable, costs),
        operating={
            int(year): {
                code: from_plain(ActualValue, actual)
                for code, actual in by_code.items()
            }
            for year, by_code in (operating or {}).items()
        },
        reconstructed={
            int(year): set(codes)
            for year, codes in (data.get("reconstructed") or {}).items()
        },
    )


def apply_frozen_indicators(
    indicators: Sequence[EvaluationIndicator], data: Mapping[str, Any]
) -> None:
    """Give the (unsaved, in-memory) indicators the values they were scored with."""
    frozen = data.get("indicators") or {}
    for indicator in indicators:
        values = frozen.get(str(indicator.pk))
        if values is None:
            continue
        for name in INDICATOR_FIELDS:
            if name in values:
                field = EvaluationIndicator._meta.get_field(name)
                assert isinstance(field, models.Field)
                setattr(indicator, name, field.to_python(values[name]))


# --- what moved -------------------------------------------------------------------------


def _cost_figures(costs: CostTable | None) -> Figures:
    if costs is None:
        return {}
    figures: Figures = {}
    for column in costs.columns:
        name = "均值" if column.is_mean else f"{column.years[0]}年"
        figures |= {
            f"表3 {name} 接听量（万次）": shown(column.answered_10k),
            f"表3 {name} 人工费用（万元）": shown(column.labour_cost),
            f"表3 {name} 月均人员数量": shown(column.average_staff),
            f"表3 {name} 月均流失人数": shown(column.average_leavers),
            f"表3 {name} 月均人员流失率": f"{shown(column.turnover_rate)}%",
            f"表3 {name} 每1万接听量人工成本（万元）": shown(column.cost_per_10k_calls),
            f"表3 {name} 单位人工成本（万元）": shown(column.unit_labour_cost),
        }
    return figures


def cost_changes(before: CostTable | None, after: CostTable | None) -> list[Change]:
    return changes_between(_cost_figures(before), _cost_figures(after))


def score_changes(before: TreeResult, after: TreeResult) -> list[Change]:
    """The total, the grade and each indicator's score, submitted → computed now."""

    def figures(result: TreeResult) -> Figures:
        shown_figures: Figures = {
            "总分": shown(result.total),
            "等级": result.grade,
        }
        stack = list(result.nodes)
        while stack:
            node = stack.pop(0)
            score = getattr(node, "final_score", getattr(node, "score", None))
            shown_figures[f"{node.name} 得分"] = shown(score)
            stack[:0] = list(getattr(node, "children", ()))
        return shown_figures

    return changes_between(figures(before), figures(after))


def figures_changes(
    before: EvaluationFigures, after: EvaluationFigures
) -> tuple[list[Change], list[Change]]:
    """(budget changes, cost-table changes) between the snapshot and the live data."""
    return (
        budget_year_changes(before.budget, after.budget),
        cost_changes(before.costs, after.costs),
    )

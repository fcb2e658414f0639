"""Everything a report's text is filled from, read once: the scored tree, the project's
tasks, findings and recommendations, the budget year and cost table (as submitted once the
evaluation is) and the figures a sentence may place."""

from __future__ import annotations

from dataclasses import dataclass

from budgets.models import Organisation
from budgets.selectors import BudgetYearFigures
from evaluations.models import Evaluation
from evaluations.reports.figures import ReportFigure, report_figures
from evaluations.selectors import (
    EvaluationReportData,
    evaluation_figures,
    evaluation_report_data,
)
from evaluations.snapshots import EvaluationFigures
from kernel.metrics import CostTable
from operations.selectors import actual_values_by_year, reconstructed_metrics


@dataclass(frozen=True)
class ReportContext:
    data: EvaluationReportData
    figures: EvaluationFigures
    values: dict[str, ReportFigure]

    @property
    def evaluation(self) -> Evaluation:
        return self.data.evaluation

    @property
    def budget(self) -> BudgetYearFigures | None:
        return self.figures.budget

    @property
    def costs(self) -> CostTable | None:
        return self.figures.costs


def evaluated_unit(evaluation: Evaluation) -> Organisation | None:
    """Whose operating data the report cites: the project's unit (the hotline centre), or
    the organisation evaluated."""
    project = evaluation.project
    return project.unit if project is not None else evaluation.organisation


def report_context(code: str) -> ReportContext:
    """The context of evaluation ``code``'s report (raises ``Evaluation.DoesNotExist``)."""
    data = evaluation_report_data(code)
    evaluation = data.evaluation
    # live, or as submitted (the snapshot), like the tables
    figures = evaluation_figures(evaluation)
    operating, reconstructed = figures.operating, figures.reconstructed
    unit = evaluated_unit(evaluation)
    if evaluation.is_locked and not operating and unit is not None:
        # a snapshot taken before the operating figures were kept: the live data
        years = [evaluation.year - 2, evaluation.year - 1, evaluation.year]
        operating = actual_values_by_year(organisation=unit, years=years)
        reconstructed = reconstructed_metrics(organisation=unit, years=years)
    values = report_figures(
        evaluation,
        scored=data.scored,
        costs=figures.costs,
        budget=figures.budget,
        operating=operating,
        reconstructed=reconstructed,
    )
    return ReportContext(data=data, figures=figures, values=values)

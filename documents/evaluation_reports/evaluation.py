"""表2, the score table, from the evaluation scored by the engine."""

from __future__ import annotations

from decimal import Decimal

from documents.evaluation_reports.blocks import TableBlock, figure, name_of, percent
from evaluations.scoring import LeafResult, NodeResult
from evaluations.selectors import EvaluationReportData
from kernel.grids import SectionBuilder, label, text


def _score(result: NodeResult | LeafResult) -> Decimal | None:
    return result.final_score if isinstance(result, LeafResult) else result.score


def _figure_or_dash(value: Decimal | None) -> str:
    return "-" if value is None else figure(value)


def _total_weight(data: EvaluationReportData) -> Decimal:
    return sum((root.weight for root in data.scored.children.get(None, [])), Decimal(0))


def score_table(data: EvaluationReportData) -> TableBlock:
    """表2: 分值, 得分, 得分率 by 一级 indicator, and 合计 (the engine's total)."""
    scored = data.scored
    roots = scored.children.get(None, [])
    result = scored.result
    table = SectionBuilder("scores", len(roots) + 2)
    table.head(label("指标"), *[label(root.name) for root in roots], label("合计"))

    def flagged(value: str, reconstructed: bool) -> str:
        return f"{value}※" if reconstructed else value

    table.row(
        label("分值"),
        *[
            text(
                flagged(figure(root.weight), root.weight_reconstructed), style="number"
            )
            for root in roots
        ],
        text(figure(_total_weight(data)), style="number"),
    )
    table.row(
        label("得分"),
        *[
            text(
                flagged(
                    _figure_or_dash(_score(scored.result_for(root))),
                    root.score_reconstructed,
                ),
                style="number",
            )
            for root in roots
        ],
        text(figure(result.total), style="number"),
    )
    table.row(
        label("得分率"),
        *[
            text(percent(scored.result_for(root).rate), style="number")
            for root in roots
        ],
        text(percent(result.rate), style="number"),
    )
    first = 16
    rest = 100 - first
    count = len(roots) + 1
    widths = (
        first,
        *([rest // count] * (count - 1)),
        rest - rest // count * (count - 1),
    )
    subject = (
        data.evaluation.project.name
        if data.evaluation.project is not None
        else name_of(data.evaluation.organisation)
    )
    return TableBlock(
        number="表2",
        title=f"{subject}绩效得分情况表",
        unit="单位：分",
        widths=widths,
        section=table.build(),
        name="scores",
    )

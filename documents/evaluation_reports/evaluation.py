"""二、绩效评价工作开展情况, 三、评价结论及分析 (表2, 图1 and every indicator), 四、存在的主要
问题 and 五、相关建议, from the evaluation scored by the engine."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from documents.charts import Point, bar_chart
from documents.evaluation_reports.blocks import (
    Builder,
    FigureBlock,
    IndicatorBlock,
    Mark,
    NumberedList,
    TableBlock,
    chinese_number,
    figure,
    lines_of,
    name_of,
    percent,
)
from documents.evaluation_reports.costs import cost_blocks
from evaluations.models import EvaluationIndicator
from evaluations.scoring import LeafResult, NodeResult
from evaluations.selectors import EvaluationReportData
from kernel.grids import SectionBuilder, label, text
from kernel.metrics import CostTable


def score_sentence(data: EvaluationReportData) -> str:
    result = data.scored.result
    return f"该项目评价结果为{figure(result.total)}分，评价等级为“{result.grade}”。"


# --- 二、绩效评价工作开展情况 -------------------------------------------------------------


def evaluation_work(builder: Builder, data: EvaluationReportData) -> None:
    evaluation = data.evaluation
    builder.heading(1, "绩效评价工作开展情况")
    for title, value in [
        ("评价目的", evaluation.purpose),
        ("评价对象与范围", evaluation.scope),
    ]:
        if value:
            builder.heading(2, title)
            builder.paragraphs(*lines_of(value))
    basis = tuple(str(item).strip() for item in evaluation.basis if str(item).strip())
    if basis:
        builder.heading(2, "评价依据")
        builder.add(NumberedList(basis))
    for title, value in [
        ("评价原则", evaluation.principles),
        ("评价方法", evaluation.methods),
    ]:
        if value:
            builder.heading(2, title)
            builder.paragraphs(*lines_of(value))
    builder.heading(2, "评价结果等级划分")
    builder.paragraphs(grade_band_sentence(evaluation.grade_bands, _total_weight(data)))
    roots = data.scored.children.get(None, [])
    if roots:
        builder.heading(2, "评价指标体系")
        builder.paragraphs(indicator_system_sentence(data))
        builder.add(
            NumberedList(
                tuple(_root_summary(root, data.scored.children) for root in roots)
            )
        )
    process = lines_of(evaluation.process)
    if process or evaluation.period_text:
        builder.heading(2, "评价工作过程")
        if evaluation.period_text:
            builder.paragraphs(f"评价工作时间：{evaluation.period_text}。")
        builder.paragraphs(*process)


def _total_weight(data: EvaluationReportData) -> Decimal:
    return sum((root.weight for root in data.scored.children.get(None, [])), Decimal(0))


def grade_band_sentence(
    bands: Sequence[Mapping[str, object]], total_weight: Decimal
) -> str:
    """等级划分 from the evaluation's bands, highest first: 90（含）-100分为“优”，…，60分以下
    为“差”。"""
    ordered = sorted(
        ((str(b["grade"]), Decimal(str(b["minimum"]))) for b in bands),
        key=lambda band: band[1],
        reverse=True,
    )
    parts = []
    upper = total_weight
    for grade, minimum in ordered:
        if minimum > 0:
            parts.append(f"{figure(minimum)}（含）-{figure(upper)}分为“{grade}”")
        else:
            parts.append(f"{figure(upper)}分以下为“{grade}”")
        upper = minimum
    grades = "、".join(grade for grade, _ in ordered)
    return (
        f"评价总分为{figure(total_weight)}分，评价结果分为{grades}"
        f"{chinese_number(len(ordered))}个等级：综合得分" + "，".join(parts) + "。"
    )


def _count_levels(
    children: Mapping[int | None, list[EvaluationIndicator]],
) -> dict[int, int]:
    counts = {1: 0, 2: 0, 3: 0}
    for indicators in children.values():
        for indicator in indicators:
            counts[indicator.level] = counts.get(indicator.level, 0) + 1
    return counts


def indicator_system_sentence(data: EvaluationReportData) -> str:
    """指标体系 from the tree: …4个一级指标、9个二级指标和16个三级指标，满分为100分。"""
    children = data.scored.children
    counts = _count_levels(children)
    names = "、".join(root.name for root in children.get(None, []))
    return (
        f"本次评价指标体系包括{names}{counts[1]}个一级指标、{counts[2]}个二级指标"
        f"和{counts[3]}个三级指标，满分为{figure(_total_weight(data))}分。"
    )


def _root_summary(
    root: EvaluationIndicator,
    children: Mapping[int | None, list[EvaluationIndicator]],
) -> str:
    kids = children.get(root.pk, [])
    summary = f"{root.name}：分值{figure(root.weight)}分"
    if kids:
        summary += (
            f"，包括{'、'.join(k.name for k in kids)}{len(kids)}个"
            f"{'二级' if kids[0].level == 2 else '三级'}指标"
        )
    return summary


# --- 三、评价结论及分析 -------------------------------------------------------------------


def _score(result: NodeResult | LeafResult) -> Decimal | None:
    return result.final_score if isinstance(result, LeafResult) else result.score


def conclusions(
    builder: Builder, data: EvaluationReportData, costs: CostTable | None
) -> None:
    scored = data.scored
    roots = scored.children.get(None, [])
    builder.heading(1, "评价结论及分析")
    builder.heading(2, "综合评价结论")
    stored = lines_of(data.evaluation.conclusion)
    if stored:
        builder.paragraphs(stored[0])
    else:
        parts = "、".join(
            f"{root.name}{_figure_or_dash(_score(scored.result_for(root)))}分"
            for root in roots
        )
        result = scored.result
        builder.paragraphs(
            f"经综合评价，该项目得分{figure(result.total)}分，评价等级为“{result.grade}”。"
            f"其中，{parts}。具体情况见表2、图1。"
        )
    builder.add(_score_table(builder, data))
    builder.add(
        FigureBlock(
            number="图1",
            title="各一级指标得分率",
            chart=bar_chart(
                [
                    Point(
                        root.name,
                        scored.result_for(root).rate or Decimal(0),
                        percent(scored.result_for(root).rate),
                    )
                    for root in roots
                ],
                axis_maximum=Decimal(100),
                axis_step=Decimal(25),
                axis_suffix="%",
                description="各一级指标得分率",
            ),
        )
    )
    builder.paragraphs(*stored[1:])

    cost_group = _cost_group(scored.children) if costs is not None else None
    for root in roots:
        _indicator_blocks(
            builder, data, root, depth=0, cost_group=cost_group, costs=costs
        )
    if costs is not None and cost_group is None:
        builder.heading(2, "运行成本分析")
        cost_blocks(builder, costs)


def _figure_or_dash(value: Decimal | None) -> str:
    return "-" if value is None else figure(value)


def _score_table(builder: Builder, data: EvaluationReportData) -> TableBlock:
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


def _cost_group(
    children: Mapping[int | None, list[EvaluationIndicator]],
) -> int | None:
    """The group the cost table belongs to: the first 二级 indicator about cost (产出成本)."""
    for indicators in children.values():
        for indicator in indicators:
            if indicator.level == 2 and "成本" in indicator.name:
                return indicator.pk
    return None


def _indicator_blocks(
    builder: Builder,
    data: EvaluationReportData,
    node: EvaluationIndicator,
    *,
    depth: int,
    cost_group: int | None,
    costs: CostTable | None,
) -> None:
    scored = data.scored
    result = scored.result_for(node)
    kids = scored.children.get(node.pk, [])
    level = min(depth + 2, 4)
    if not kids:
        builder.add(_leaf_block(builder, node, result, level))
        return
    builder.heading(
        level,
        node.name,
        suffix=f"{figure(node.weight)}分",
        mark=builder.mark(node.weight_reconstructed),
    )
    if depth == 0:
        score = _score(result)
        builder.paragraphs(
            f"该部分分值{figure(node.weight)}分，得分{_figure_or_dash(score)}分，"
            f"得分率{percent(result.rate)}。"
        )
    for kid in kids:
        _indicator_blocks(
            builder, data, kid, depth=depth + 1, cost_group=cost_group, costs=costs
        )
    if costs is not None and node.pk == cost_group:
        cost_blocks(builder, costs)


def _leaf_block(
    builder: Builder,
    indicator: EvaluationIndicator,
    result: NodeResult | LeafResult,
    level: int,
) -> IndicatorBlock:
    assert isinstance(result, LeafResult)
    number = builder.next_number(level)
    weight_mark = builder.mark(indicator.weight_reconstructed)
    values = "；".join(
        part
        for part in (
            f"指标值：{indicator.target_text}" if indicator.target_text else "",
            f"实际完成值：{indicator.actual_text}" if indicator.actual_text else "",
        )
        if part
    )
    reason = lines_of(indicator.reason)
    score_mark: Mark = ""
    if not result.applicable:
        score_text = "该指标不适用，不计分，其分值按比例分配至其他适用指标"
    elif result.final_score is None:
        score_text = "该指标尚未评分"
    else:
        score = figure(result.final_score)
        said = reason and re.search(rf"得\s*{re.escape(score)}\s*分[。.]?$", reason[-1])
        if said and not indicator.score_reconstructed:
            score_text = ""
        else:
            score_text = f"依据评分细则，得{score}分"
            score_mark = builder.mark(indicator.score_reconstructed)
    return IndicatorBlock(
        number=number,
        name=indicator.name,
        weight=f"{figure(indicator.weight)}分",
        weight_mark=weight_mark,
        values=f"{values}。" if values else "",
        reason=reason,
        score_text=score_text,
        score_mark=score_mark,
        heading_level=level,
    )


# --- 四、存在的主要问题; 五、相关建议 ------------------------------------------------------


def findings(builder: Builder, data: EvaluationReportData) -> None:
    if not data.findings:
        return
    builder.heading(1, "存在的主要问题")
    for finding in data.findings:
        builder.heading(2, finding.title)
        builder.paragraphs(*lines_of(finding.text))


def recommendations(builder: Builder, data: EvaluationReportData) -> None:
    if not data.recommendations:
        return
    builder.heading(1, "相关建议")
    for recommendation in data.recommendations:
        builder.heading(2, recommendation.title)
        builder.paragraphs(*lines_of(recommendation.text))

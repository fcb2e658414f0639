"""Sentences generated from the data, offered to the evaluator as suggestions (never printed
unless accepted). Figures are written as ``{{name}}`` (``figures``), so an accepted sentence
keeps following the data it cites."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from budgets.models import Project, ProjectTask
from budgets.selectors import BudgetYearFigures
from evaluations.models import EvaluationIndicator
from evaluations.reports.formatting import figure
from evaluations.selectors import ScoredEvaluation

_DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (section numbers up to 99)."""
    if number < 10:
        return _DIGITS[number]
    tens, ones = divmod(number, 10)
    return (_DIGITS[tens] if tens > 1 else "") + "十" + (_DIGITS[ones] if ones else "")


def total_weight(scored: ScoredEvaluation) -> Decimal:
    return sum((root.weight for root in scored.children.get(None, [])), Decimal(0))


def score_sentence() -> str:
    return "该项目评价结果为{{总分}}分，评价等级为“{{等级}}”。"


def conclusion_sentence(scored: ScoredEvaluation) -> str:
    parts = "、".join(
        f"{root.name}{{{{{root.name}得分}}}}分"
        for root in scored.children.get(None, [])
    )
    return (
        "经综合评价，该项目得分{{总分}}分，评价等级为“{{等级}}”。"
        f"其中，{parts}。具体情况见表2。"
    )


def grade_band_sentence(bands: Sequence[Mapping[str, object]], total: Decimal) -> str:
    """等级划分 from the evaluation's bands, highest first: 90（含）-100分为“优”，…，60分以下
    为“差”。"""
    ordered = sorted(
        ((str(b["grade"]), Decimal(str(b["minimum"]))) for b in bands),
        key=lambda band: band[1],
        reverse=True,
    )
    parts = []
    upper = total
    for grade, minimum in ordered:
        if minimum > 0:
            parts.append(f"{figure(minimum)}（含）-{figure(upper)}分为“{grade}”")
        else:
            parts.append(f"{figure(upper)}分以下为“{grade}”")
        upper = minimum
    grades = "、".join(grade for grade, _ in ordered)
    return (
        f"评价总分为{figure(total)}分，评价结果分为{grades}"
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


def indicator_system_sentences(scored: ScoredEvaluation) -> list[str]:
    """指标体系 from the tree: …4个一级指标、9个二级指标和16个三级指标，满分为100分。 and a
    line per 一级 indicator."""
    children = scored.children
    counts = _count_levels(children)
    roots = children.get(None, [])
    names = "、".join(root.name for root in roots)
    lines = [
        f"本次评价指标体系包括{names}{counts[1]}个一级指标、{counts[2]}个二级指标"
        f"和{counts[3]}个三级指标，满分为{figure(total_weight(scored))}分。"
    ]
    for number, root in enumerate(roots, start=1):
        kids = children.get(root.pk, [])
        line = f"{number}、{root.name}：分值{{{{{root.name}分值}}}}分"
        if kids:
            line += (
                f"，包括{'、'.join(k.name for k in kids)}{len(kids)}个"
                f"{'二级' if kids[0].level == 2 else '三级'}指标"
            )
        lines.append(line + "。")
    return lines


def organisation_sentence(project: Project) -> str:
    department, unit = project.department, project.unit
    if department.pk == unit.pk:
        sentence = f"{department.name}为项目主管单位和实施单位"
    else:
        sentence = f"{department.name}为项目主管单位，{unit.name}为项目实施单位"
    if project.contractor is not None:
        sentence += f"，{project.contractor.name}为项目承接单位"
    return sentence + "。"


def task_sentence(number: int, task: ProjectTask) -> str:
    content = task.content.strip()
    start = task.planned_start.strip()
    finish = task.planned_finish.strip().rstrip("。")
    plan = "；".join(
        part
        for part in (
            f"计划启动时间：{start}" if start else "",
            f"计划完成时间：{finish}" if finish else "",
        )
        if part
    )
    if not plan:
        return f"（{number}）{content}"
    return f"（{number}）{content.rstrip('。')}（{plan}）。"


def budget_tables(budget: BudgetYearFigures) -> list[str]:
    tables = ["表1-1"]
    if budget.payroll:
        tables.append("表1-2")
    if budget.goods_services:
        tables.append("表1-3")
    return tables


def budget_sentence(budget: BudgetYearFigures) -> str:
    year = budget.budget_year
    unit = year.unit
    parts = [f"本项目{year.year}年预算资金{{{{调整后预算}}}}{unit}"]
    if year.addition or year.reduction:
        detail = [f"年初预算{{{{年初预算}}}}{unit}"]
        if year.addition:
            detail.append(f"追加预算{{{{追加预算}}}}{unit}")
        if year.reduction:
            detail.append(f"调减预算{{{{调减预算}}}}{unit}")
        parts.append("其中" + "、".join(detail))
    execution = []
    if year.received is not None:
        execution.append(
            f"实际到位资金{{{{到位资金}}}}{unit}，资金到位率为{{{{资金到位率}}}}"
        )
    if year.expenditure is not None:
        execution.append(
            f"实际支出{{{{支出金额}}}}{unit}，预算执行率为{{{{预算执行率}}}}"
        )
    sentence = "，".join(parts) + "。"
    if execution:
        sentence += f"截至{year.year}年末，" + "；".join(execution) + "。"
    return sentence + f"具体情况见{'、'.join(budget_tables(budget))}。"


def cost_sentence(current_year: int, base_years: Sequence[int]) -> str:
    span = (
        f"{min(base_years)}年-{max(base_years)}年"
        if len(base_years) > 1
        else f"{base_years[0]}年"
    )
    return f"{current_year}年与{span}的接听量、人工费用、人员流失及人工成本情况见表3。"


def indicator_values_sentence(indicator: EvaluationIndicator) -> str:
    """指标值：…；实际完成值：…。 from the indicator's own target and actual."""
    values = "；".join(
        part
        for part in (
            f"指标值：{indicator.target_text}" if indicator.target_text else "",
            f"实际完成值：{indicator.actual_text}" if indicator.actual_text else "",
        )
        if part
    )
    return f"{values}。" if values else ""

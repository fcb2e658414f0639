"""一、项目基本情况: the project (overview, 立项依据, tasks, organisations), its funds (the
budget year's paragraph, 表1-1 and, when the year has them, 表1-2 and 表1-3) and its goal."""

from __future__ import annotations

from decimal import Decimal

from budgets.models import Project, ProjectTask
from budgets.selectors import BudgetYearFigures
from documents.evaluation_reports.blocks import (
    Builder,
    NumberedList,
    TableBlock,
    figure,
    lines_of,
    rate,
)
from evaluations.selectors import EvaluationReportData
from kernel.grids import Cell, SectionBuilder, label, text

# --- 一、项目基本情况 ---------------------------------------------------------------------


def basic_information(
    builder: Builder, data: EvaluationReportData, figures: BudgetYearFigures | None
) -> None:
    evaluation = data.evaluation
    project = evaluation.project
    builder.heading(1, "项目基本情况")
    if project is not None:
        builder.heading(2, "项目概况")
        period = project.period_text
        overview = lines_of(project.overview)
        builder.paragraphs(
            *overview,
            f"项目实施期限：{period}。"
            if period and not any(period in line for line in overview)
            else "",
        )
        if project.basis:
            builder.heading(3, "立项依据")
            builder.paragraphs(*lines_of(project.basis))
        if data.tasks:
            builder.heading(3, "主要内容")
            builder.add(
                NumberedList(tuple(_task(t) for t in data.tasks), "parenthesised")
            )
        builder.heading(3, "项目组织管理")
        builder.paragraphs(
            _organisation_sentence(project), *lines_of(project.implementation_plan)
        )
        if figures is not None:
            builder.heading(3, "资金投入和使用情况")
            _budget_blocks(builder, figures)
    elif evaluation.organisation is not None:
        builder.heading(2, "单位概况")
        builder.paragraphs(f"被评价单位：{evaluation.organisation.name}。")
    goal = evaluation.annual_goal
    if goal:
        builder.heading(2, "项目绩效目标" if project else "绩效目标")
        builder.paragraphs(*lines_of(goal))


def _task(task: ProjectTask) -> str:
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
        return content
    return f"{content.rstrip('。')}（{plan}）。"


def _organisation_sentence(project: Project) -> str:
    department, unit = project.department, project.unit
    if department.pk == unit.pk:
        sentence = f"{department.name}为项目主管单位和实施单位"
    else:
        sentence = f"{department.name}为项目主管单位，{unit.name}为项目实施单位"
    if project.contractor is not None:
        sentence += f"，{project.contractor.name}为项目承接单位"
    return sentence + "。"


def _budget_blocks(builder: Builder, figures: BudgetYearFigures) -> None:
    """The 资金投入和使用情况 paragraph and 表1-1 (with 1-2 and 1-3 when present)."""
    year = figures.budget_year
    unit = year.unit
    parts = [f"本项目{year.year}年预算资金{figure(year.adjusted)}{unit}"]
    if year.addition or year.reduction:
        detail = [f"年初预算{figure(year.initial)}{unit}"]
        if year.addition:
            detail.append(f"追加预算{figure(year.addition)}{unit}")
        if year.reduction:
            detail.append(f"调减预算{figure(year.reduction)}{unit}")
        parts.append("其中" + "、".join(detail))
    execution = []
    if year.received is not None:
        execution.append(
            f"实际到位资金{figure(year.received)}{unit}，"
            f"资金到位率为{rate(year.receipt_rate)}"
        )
    if year.expenditure is not None:
        execution.append(
            f"实际支出{figure(year.expenditure)}{unit}，"
            f"预算执行率为{rate(year.execution_rate)}"
        )
    tables = ["表1-1"]
    if figures.payroll:
        tables.append("表1-2")
    if figures.goods_services:
        tables.append("表1-3")
    sentence = "，".join(parts) + "。"
    if execution:
        sentence += f"截至{year.year}年末，" + "；".join(execution) + "。"
    builder.paragraphs(sentence + f"具体情况见{'、'.join(tables)}。")
    builder.add(_execution_table(figures))
    if figures.payroll:
        builder.add(_payroll_table(figures))
    if figures.goods_services:
        builder.add(_goods_table(figures))


def _amount(value: Decimal | None) -> Cell:
    return text("-" if value is None else figure(value), style="number")


def _count(value: int | None) -> Cell:
    return text("-" if value is None else str(value), style="number")


def _execution_table(figures: BudgetYearFigures) -> TableBlock:
    """表1-1 预算执行情况明细表: a row per economic category and 合计; a year without
    category lines has its 合计 row alone (调整后预算, 到位, 支出)."""
    year = figures.budget_year
    table = SectionBuilder("budget", 5)
    table.head(
        label("类别"),
        label("预算金额"),
        label("到位金额"),
        label("支出金额"),
        label("预算执行率"),
    )
    for line in figures.lines:
        table.row(
            text(line.category),
            _amount(line.budget),
            _amount(line.received),
            _amount(line.expenditure),
            text(rate(line.execution_rate), style="number"),
        )
    if figures.lines:
        total = figures.lines_total
        table.row(
            text("合计", style="total"),
            _amount(total.budget),
            _amount(total.received),
            _amount(total.expenditure),
            text(rate(total.execution_rate), style="number"),
        )
    else:
        table.row(
            text("合计", style="total"),
            _amount(year.adjusted),
            _amount(year.received),
            _amount(year.expenditure),
            text(rate(year.execution_rate), style="number"),
        )
    return TableBlock(
        number="表1-1",
        title="预算执行情况明细表",
        unit=f"单位：{year.unit}",
        widths=(28, 18, 18, 18, 18),
        section=table.build(),
        name="budget",
    )


def _payroll_table(figures: BudgetYearFigures) -> TableBlock:
    """表1-2 工资福利支出明细表, with the 其中 split of the total."""
    year = figures.budget_year.year
    table = SectionBuilder("payroll", 7)
    table.head(
        label("职务", rowspan=2),
        label(f"{year}年末人数", rowspan=2),
        label(f"{year}年月均人数", rowspan=2),
        label("工资福利支出总额", rowspan=2),
        label("其中：", colspan=3),
    )
    table.head(label("基本工资等"), label("保险"), label("公积金"))
    for row in figures.payroll:
        table.row(
            text(row.title),
            _count(row.year_end_headcount),
            _count(row.monthly_average_headcount),
            _amount(row.total),
            _amount(row.basic_pay),
            _amount(row.insurance),
            _amount(row.housing_fund),
        )
    total = figures.payroll_total
    table.row(
        text("合计", style="total"),
        _count(total.year_end_headcount),
        _count(total.monthly_average_headcount),
        _amount(total.total),
        _amount(total.basic_pay),
        _amount(total.insurance),
        _amount(total.housing_fund),
    )
    return TableBlock(
        number="表1-2",
        title="工资福利支出明细表",
        unit=f"单位：人、{figures.budget_year.unit}",
        widths=(22, 12, 12, 15, 13, 13, 13),
        section=table.build(),
        name="payroll",
    )


def _goods_table(figures: BudgetYearFigures) -> TableBlock:
    table = SectionBuilder("goods", 2)
    table.head(label("商品和服务支出内容"), label("实际支出金额"))
    for item in figures.goods_services:
        table.row(text(item.item), _amount(item.expenditure))
    table.row(text("合计", style="total"), _amount(figures.goods_services_total))
    return TableBlock(
        number="表1-3",
        title="商品和服务支出明细表",
        unit=f"单位：{figures.budget_year.unit}",
        widths=(60, 40),
        section=table.build(),
        name="goods",
    )

"""表1-1, 表1-2 and 表1-3: the budget year's execution by economic category, its payroll and
its goods and services."""

from __future__ import annotations

from decimal import Decimal

from budgets.selectors import BudgetYearFigures
from documents.evaluation_reports.blocks import (
    TableBlock,
    figure,
    rate,
)
from kernel.grids import Cell, SectionBuilder, label, text


def _amount(value: Decimal | None) -> Cell:
    return text("-" if value is None else figure(value), style="number")


def _count(value: int | None) -> Cell:
    return text("-" if value is None else str(value), style="number")


def execution_table(figures: BudgetYearFigures) -> TableBlock:
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


def payroll_table(figures: BudgetYearFigures) -> TableBlock:
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


def goods_table(figures: BudgetYearFigures) -> TableBlock:
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

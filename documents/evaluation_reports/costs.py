"""表3 成本统计情况表 and 图2: the cost table of ``kernel.metrics`` (from the
uploaded operating data, ``operations.selectors.cost_table``) with seed 001's notes 注¹–注⁴,
and the multi-year trend of 接听量, 每1万接听量人工成本 and 月均人员流失率."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from documents.charts import Point, TrendPanel, trend_chart
from documents.evaluation_reports.blocks import (
    Builder,
    FigureBlock,
    TableBlock,
    figure,
    percent,
)
from kernel.grids import SectionBuilder, label, text
from kernel.metrics import CostTable


def _year_span(years: Sequence[int]) -> str:
    return f"{min(years)}年-{max(years)}年" if len(years) > 1 else f"{years[0]}年"


def cost_blocks(builder: Builder, costs: CostTable) -> None:
    """表3 成本统计情况表 (every figure of ``metrics.cost_table``) and the trend chart."""
    builder.add(cost_table_block(costs))
    builder.add(cost_chart_block(costs))


def cost_table_block(costs: CostTable) -> TableBlock:
    """表3 成本统计情况表 with seed 001's notes 注¹–注⁴."""
    current = costs.current_year
    span = _year_span(costs.base_years)
    base = f"{min(costs.base_years)}年至{max(costs.base_years)}年期间"
    columns = costs.columns
    table = SectionBuilder("costs", len(columns) + 1)
    table.head(
        label("指标 \\ 年度"),
        *[label(f"{span}均值" if c.is_mean else f"{c.years[0]}年") for c in columns],
    )

    def row(name: str, values: Sequence[str]) -> None:
        table.row(label(name), *[text(v, style="number") for v in values])

    def compared(value: Decimal) -> list[str]:
        return [percent(value), *["-"] * (len(columns) - 1)]

    row("接听量（万次）", [figure(c.answered_10k) for c in columns])
    row("人工费用（万元）", [figure(c.labour_cost) for c in columns])
    row("月均人员数量（人）", [figure(c.average_staff) for c in columns])
    row("月均流失人数¹（人）", [figure(c.average_leavers) for c in columns])
    row("月均人员流失率", [percent(c.turnover_rate) for c in columns])
    row(
        "月均人员流失率较均值流失率降低程度²",
        compared(costs.turnover_reduction_vs_mean),
    )
    row("每1万接听量人工成本（万元）", [figure(c.cost_per_10k_calls) for c in columns])
    row(
        "每1万接听量人工成本较历史均值增长率³",
        compared(costs.cost_per_10k_calls_growth_vs_mean),
    )
    row("单位人工成本（万元）", [figure(c.unit_labour_cost) for c in columns])
    row(
        "单位人工成本较历史均值增长率⁴",
        compared(costs.unit_labour_cost_growth_vs_mean),
    )
    rest = 100 - 32
    widths = (32, *([rest // len(columns)] * (len(columns) - 1)))
    widths = (*widths, 100 - sum(widths))
    return TableBlock(
        number="表3",
        title="项目成本统计情况表",
        unit="",
        widths=widths,
        section=table.build(),
        notes=(
            f"注¹：月均人员流失数为{current}年全年累计流失人数÷12确定的。",
            f"注²：月均人员流失率较均值流失率降低程度为（{base}平均月均人员流失率"
            f"-{current}年度月均人员流失率）÷{base}平均月均人员流失率。",
            f"注³：每1万接听量人工成本较历史均值增长率为（{current}年每1万接听量"
            f"人工成本-{base}平均每1万接听量人工成本）÷{base}平均每1万接听量"
            "人工成本。",
            f"注⁴：单位人工成本较历史均值增长率为（{current}年单位人工成本-{base}"
            f"平均单位人工成本）÷{base}平均单位人工成本。",
        ),
        name="costs",
    )


def cost_chart_block(costs: CostTable) -> FigureBlock:
    """图2: the multi-year trend of 接听量, 每1万接听量人工成本 and 月均人员流失率."""
    current = costs.current_year
    span = _year_span(costs.base_years)
    columns = costs.columns
    years = [c for c in reversed(columns) if not c.is_mean]
    mean = costs.mean
    mean_label = "均值"
    return FigureBlock(
        number="图2",
        title=(
            f"{years[0].years[0]}-{current}年接听量、人工成本及人员流失率"
            f"（虚线为{span}均值）"
        ),
        chart=trend_chart(
            [
                TrendPanel(
                    "接听量（万次）",
                    tuple(
                        Point(
                            f"{c.years[0]}年",
                            c.answered_10k,
                            figure(c.answered_10k),
                        )
                        for c in years
                    ),
                    "bar",
                    Point(mean_label, mean.answered_10k, figure(mean.answered_10k)),
                ),
                TrendPanel(
                    "每1万接听量人工成本（万元）",
                    tuple(
                        Point(
                            f"{c.years[0]}年",
                            c.cost_per_10k_calls,
                            figure(c.cost_per_10k_calls),
                        )
                        for c in years
                    ),
                    "line",
                    Point(
                        mean_label,
                        mean.cost_per_10k_calls,
                        figure(mean.cost_per_10k_calls),
                    ),
                ),
                TrendPanel(
                    "月均人员流失率",
                    tuple(
                        Point(
                            f"{c.years[0]}年",
                            c.turnover_rate,
                            percent(c.turnover_rate),
                        )
                        for c in years
                    ),
                    "line",
                    Point(mean_label, mean.turnover_rate, percent(mean.turnover_rate)),
                ),
            ],
            description="接听量、每1万接听量人工成本和月均人员流失率的逐年变化",
        ),
    )

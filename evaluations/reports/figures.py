"""The figures a report's sentences place with ``{{name}}``, each computed from the data it
describes: never stored text, so an upload that changes 接听量 changes the sentences with
the tables.

Names (``report_figures``) for an evaluation of year Y:

- each operating-data metric of the evaluated unit, by its catalogue name, for Y
  (``{{接听量}}``, ``{{接通率}}``) and by year (``{{2019年受理量}}``); and
  ``{{<metric>同比增长率}}``, Y over Y−1 by ``kernel.metrics.year_on_year_growth`` from
  the two-decimal figures (受理量 1036.39 over 751.92 = 37.83%);
- from the cost table (表3, as submitted once the evaluation is): ``{{每万接听量人工成本
  均值}}``, ``{{每万接听量人工成本较均值增长率}}``, ``{{单位人工成本均值}}``,
  ``{{单位人工成本较均值增长率}}``, ``{{月均人员流失率均值}}``, ``{{月均人员流失率较均值
  降低程度}}``;
- from the engine: ``{{总分}}``, ``{{等级}}``, ``{{<indicator>得分}}``, ``{{<indicator>
  分值}}``;
- from the budget year: ``{{调整后预算}}``, ``{{年初预算}}``, ``{{追加预算}}``,
  ``{{调减预算}}``, ``{{到位资金}}``, ``{{支出金额}}``, ``{{资金到位率}}``, ``{{预算执行率}}``.

A figure computed from reconstructed data (an operating count the seed never printed, a
score or weight the report did not publish) is ``reconstructed``: the report marks it ※.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from budgets.selectors import BudgetYearFigures
from evaluations.models import Evaluation
from evaluations.reports.formatting import figure, short_figure
from evaluations.scoring import LeafResult
from evaluations.selectors import ScoredEvaluation
from kernel.metrics import CostTable, year_on_year_growth
from kernel.rounding import quantize
from operations.selectors import ActualValue


@dataclass(frozen=True)
class ReportFigure:
    name: str
    value: Decimal | str
    percent: bool = False
    reconstructed: bool = False
    source: str = ""

    def printed(self, modifiers: Iterable[str] = ()) -> str:
        if isinstance(self.value, str):
            return self.value
        value = abs(self.value) if "绝对值" in modifiers else self.value
        text = short_figure(value) if "简" in modifiers else figure(value)
        return f"{text}%" if self.percent else text


def operating_figures(
    by_year: Mapping[int, Mapping[str, ActualValue]],
    *,
    year: int,
    reconstructed: Mapping[int, set[str]] | None = None,
) -> dict[str, ReportFigure]:
    """The operating-data figures of ``year`` and the years before it, by name."""
    marked = reconstructed or {}
    found: dict[str, ReportFigure] = {}
    for each_year in sorted(by_year, reverse=True):
        for actual in _distinct(by_year[each_year].values()):
            item = ReportFigure(
                name=f"{each_year}年{actual.name}",
                value=actual.value,
                percent=actual.unit == "%",
                reconstructed=actual.metric_code in marked.get(each_year, set()),
                source=actual.source,
            )
            found[item.name] = item
            if each_year == year:
                found[actual.name] = ReportFigure(
                    actual.name,
                    item.value,
                    item.percent,
                    item.reconstructed,
                    item.source,
                )
    current = by_year.get(year, {})
    previous = by_year.get(year - 1, {})
    for actual in _distinct(current.values()):
        before = previous.get(actual.metric_code)
        if before is None or actual.unit == "%" or before.value.is_zero():
            continue
        name = f"{actual.name}同比增长率"
        found[name] = ReportFigure(
            name,
            year_on_year_growth(quantize(actual.value), quantize(before.value)),
            percent=True,
            reconstructed=found[actual.name].reconstructed
            or found[f"{year - 1}年{actual.name}"].reconstructed,
            source=f"{actual.name}（{year}年）较{year - 1}年",
        )
    return found


def _distinct(actuals: Iterable[ActualValue]) -> list[ActualValue]:
    seen: set[str] = set()
    kept = []
    for actual in actuals:  # keyed by metric code and by library codes: one each
        if actual.metric_code not in seen:
            seen.add(actual.metric_code)
            kept.append(actual)
    return kept


def cost_figures(costs: CostTable | None) -> dict[str, ReportFigure]:
    if costs is None:
        return {}
    mean = costs.mean
    source = "表3"
    items = [
        ReportFigure("每万接听量人工成本均值", mean.cost_per_10k_calls, source=source),
        ReportFigure(
            "每万接听量人工成本较均值增长率",
            costs.cost_per_10k_calls_growth_vs_mean,
            percent=True,
            source=source,
        ),
        ReportFigure("单位人工成本均值", mean.unit_labour_cost, source=source),
        ReportFigure(
            "单位人工成本较均值增长率",
            costs.unit_labour_cost_growth_vs_mean,
            percent=True,
            source=source,
        ),
        ReportFigure(
            "月均人员流失率均值", mean.turnover_rate, percent=True, source=source
        ),
        ReportFigure(
            "月均人员流失率较均值降低程度",
            costs.turnover_reduction_vs_mean,
            percent=True,
            source=source,
        ),
    ]
    return {item.name: item for item in items}


def score_figures(scored: ScoredEvaluation) -> dict[str, ReportFigure]:
    result = scored.result
    found = {
        "总分": ReportFigure("总分", result.total, source="评分"),
        "等级": ReportFigure("等级", result.grade, source="评分"),
    }
    for indicator in scored.indicators:
        node = scored.result_for(indicator)
        score = node.final_score if isinstance(node, LeafResult) else node.score
        found[f"{indicator.name}分值"] = ReportFigure(
            f"{indicator.name}分值",
            indicator.weight,
            reconstructed=indicator.weight_reconstructed,
            source="指标体系",
        )
        if score is not None:
            found[f"{indicator.name}得分"] = ReportFigure(
                f"{indicator.name}得分",
                score,
                reconstructed=indicator.score_reconstructed,
                source="评分",
            )
    return found


def budget_figures(budget: BudgetYearFigures | None) -> dict[str, ReportFigure]:
    if budget is None:
        return {}
    year = budget.budget_year
    source = f"{year.year}年预算"
    values: list[tuple[str, Decimal | None, bool]] = [
        ("调整后预算", year.adjusted, False),
        ("年初预算", year.initial, False),
        ("追加预算", year.addition, False),
        ("调减预算", year.reduction, False),
        ("到位资金", year.received, False),
        ("支出金额", year.expenditure, False),
        (
            "资金到位率",
            year.receipt_rate.percent if year.receipt_rate else None,
            True,
        ),
        (
            "预算执行率",
            year.execution_rate.percent if year.execution_rate else None,
            True,
        ),
    ]
    return {
        name: ReportFigure(name, value, percent=is_rate, source=source)
        for name, value, is_rate in values
        if value is not None
    }


def report_figures(
    evaluation: Evaluation,
    *,
    scored: ScoredEvaluation,
    costs: CostTable | None,
    budget: BudgetYearFigures | None,
    operating: Mapping[int, Mapping[str, ActualValue]],
    reconstructed: Mapping[int, set[str]] | None = None,
) -> dict[str, ReportFigure]:
    """Every figure a section of ``evaluation``'s report may place, by name."""
    return {
        **operating_figures(
            operating, year=evaluation.year, reconstructed=reconstructed
        ),
        **cost_figures(costs),
        **budget_figures(budget),
        **score_figures(scored),
    }


def filled(text: str, values: Mapping[str, ReportFigure]) -> tuple[str, list[str]]:
    """``text`` with its ``{{figures}}`` as printed (a reconstructed one followed by ※)
    and the names the data does not hold (printed as -)."""
    from evaluations.reports.text import printable, tokens_of

    text = printable(text)
    parts, missing, at = [], [], 0
    for token in tokens_of(text):
        value = values.get(token.name)
        parts.append(text[at : token.start])
        if value is None:
            missing.append(token.name)
            parts.append("-")
        else:
            parts.append(
                value.printed(token.modifiers) + ("※" if value.reconstructed else "")
            )
        at = token.end
    parts.append(text[at:])
    return "".join(parts), missing

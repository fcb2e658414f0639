"""Budget figures as plain data, for the snapshots that submitted evaluations and approved
target forms keep of the budget they were scored or approved with.

A snapshot holds the stored values of the budget's rows (amounts as exact strings); read
back, the rows are unsaved model instances and every total and rate is derived from them by
the same selector as for live data (``budgets.selectors.budget_year_figures_of``), so a
snapshot prints exactly as the live figures printed when it was taken. ``*_changes`` lists
what differs between a snapshot and the live figures, by the names the pages and reports
use, for the note that tells a reader the live data has moved since.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

from budgets.models import (
    BudgetLine,
    BudgetYear,
    DepartmentBudget,
    DepartmentExpenditure,
    DepartmentIncome,
    GoodsServicesLine,
    PayrollLine,
    SubProject,
)
from budgets.selectors import (
    BudgetYearFigures,
    DepartmentBudgetFigures,
    budget_year_figures_of,
    department_budget_figures_of,
)
from kernel.rates import Rate
from kernel.rounding import quantize

Plain = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One figure that differs between a snapshot and the live data, as shown."""

    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label} {self.before} → {self.after}"


# --- rows as plain data ----------------------------------------------------------------


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.is_relation and not f.primary_key
    ]


def _row(obj: models.Model) -> Plain:
    plain: Plain = {}
    for field in _fields(type(obj)):
        value = field.value_from_object(obj)
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        plain[field.name] = value
    return plain


def _instance[M: models.Model](model: type[M], plain: Mapping[str, Any]) -> M:
    """An unsaved ``model`` with the snapshot's values (fields it lacks keep defaults)."""
    return model(
        **{
            field.attname: field.to_python(plain[field.name])
            for field in _fields(model)
            if field.name in plain
        }
    )


def budget_year_plain(figures: BudgetYearFigures) -> Plain:
    return {
        "budget_year": _row(figures.budget_year),
        "lines": [_row(line) for line in figures.lines],
        "sub_projects": [_row(sub) for sub in figures.sub_projects],
        "payroll": [_row(row) for row in figures.payroll],
        "goods_services": [_row(item) for item in figures.goods_services],
    }


def budget_year_figures_from_plain(plain: Mapping[str, Any]) -> BudgetYearFigures:
    return budget_year_figures_of(
        _instance(BudgetYear, plain["budget_year"]),
        lines=[_instance(BudgetLine, row) for row in plain["lines"]],
        sub_projects=[_instance(SubProject, row) for row in plain["sub_projects"]],
        payroll=[_instance(PayrollLine, row) for row in plain["payroll"]],
        goods=[_instance(GoodsServicesLine, row) for row in plain["goods_services"]],
    )


def department_budget_plain(figures: DepartmentBudgetFigures) -> Plain:
    return {
        "budget": _row(figures.budget),
        "income": [_row(line) for line in figures.income],
        "expenditure": [_row(line) for line in (*figures.basic, *figures.projects)],
    }


def department_budget_figures_from_plain(
    plain: Mapping[str, Any],
) -> DepartmentBudgetFigures:
    return department_budget_figures_of(
        _instance(DepartmentBudget, plain["budget"]),
        income=[_instance(DepartmentIncome, row) for row in plain["income"]],
        expenditure=[
            _instance(DepartmentExpenditure, row) for row in plain["expenditure"]
        ],
    )


# --- what moved -------------------------------------------------------------------------


def shown(value: Decimal | Rate | int | None) -> str:
    """A figure as the reports print it: half-up to two places, whole numbers bare;
    a rate in percent; a missing figure as "—"."""
    if isinstance(value, Rate):
        value = value.percent
        return "—" if value is None else f"{shown(value)}%"
    if value is None:
        return "—"
    rounded = quantize(Decimal(value))
    if rounded == rounded.to_integral_value():
        return f"{rounded:.0f}"
    return f"{rounded:.2f}"


Figures = dict[str, str]


def _budget_year_figures(figures: BudgetYearFigures | None) -> Figures:
    if figures is None:
        return {}
    year = figures.budget_year
    unit = f"（{year.unit}）"
    shown_figures = {
        f"年初预算{unit}": shown(year.initial),
        f"追加预算{unit}": shown(year.addition),
        f"调减预算{unit}": shown(year.reduction),
        f"调整后预算{unit}": shown(year.adjusted),
        f"到位资金{unit}": shown(year.received),
        f"支出{unit}": shown(year.expenditure),
        "资金到位率": shown(year.receipt_rate),
        "预算执行率": shown(year.execution_rate),
        f"上年预算{unit}": shown(year.previous_budget),
        f"上年执行数{unit}": shown(year.previous_expenditure),
    }
    for line in figures.lines:
        shown_figures |= {
            f"{line.category} 预算{unit}": shown(line.budget),
            f"{line.category} 到位{unit}": shown(line.received),
            f"{line.category} 支出{unit}": shown(line.expenditure),
        }
    for sub in figures.sub_projects:
        shown_figures[f"子项目“{sub.name}”{unit}"] = shown(sub.amount)
    for row in figures.payroll:
        shown_figures |= {
            f"工资福利 {row.title} 年末人数": shown(row.year_end_headcount),
            f"工资福利 {row.title} 月均人数": shown(row.monthly_average_headcount),
            f"工资福利 {row.title} 支出总额{unit}": shown(row.total),
        }
    for item in figures.goods_services:
        shown_figures[f"商品和服务 {item.item}{unit}"] = shown(item.expenditure)
    return shown_figures


def _department_figures(figures: DepartmentBudgetFigures | None) -> Figures:
    if figures is None:
        return {}
    unit = f"（{figures.budget.unit}）"
    shown_figures = {
        f"资金总额{unit}": shown(figures.total_income),
        f"财政拨款小计{unit}": shown(figures.fiscal_appropriation),
    }
    for line in figures.income:
        shown_figures[f"收入 {line.source}{unit}"] = shown(line.amount)
    for expenditure in (*figures.basic, *figures.projects):
        name = f"{expenditure.get_kind_display()} {expenditure.name}"
        shown_figures |= {
            f"{name} 半年计划执行数{unit}": shown(expenditure.half_year_plan),
            f"{name} 全年预算数{unit}": shown(expenditure.full_year_budget),
        }
    return shown_figures


def changes_between(before: Figures, after: Figures) -> list[Change]:
    """Every labelled figure that differs, in the snapshot's order, then the new ones."""
    labels: Iterable[str] = [
        *before,
        *(label for label in after if label not in before),
    ]
    return [
        Change(label, before.get(label, "—"), after.get(label, "—"))
        for label in labels
        if before.get(label, "—") != after.get(label, "—")
    ]


def budget_year_changes(
    before: BudgetYearFigures | None, after: BudgetYearFigures | None
) -> list[Change]:
    """What differs between the budget year as snapshotted and as it is now."""
    return changes_between(_budget_year_figures(before), _budget_year_figures(after))


def department_budget_changes(
    before: DepartmentBudgetFigures | None, after: DepartmentBudgetFigures | None
) -> list[Change]:
    return changes_between(_department_figures(before), _department_figures(after))

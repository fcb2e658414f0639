"""Reads of budgets with their derived figures (totals, 调整后预算, 执行率).

Totals are summed here from the stored rows, never stored; rates are ``Rate`` values that keep
numerator and denominator and round once, half-up, when shown (``kernel.rounding``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from budgets.models import (
    FISCAL_APPROPRIATION_SOURCES,
    BudgetLine,
    BudgetYear,
    DepartmentBudget,
    DepartmentExpenditure,
    DepartmentIncome,
    GoodsServicesLine,
    PayrollLine,
    SubProject,
)
from kernel.rates import Rate

ZERO = Decimal(0)


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


@dataclass(frozen=True)
class LinesTotal:
    budget: Decimal
    received: Decimal
    expenditure: Decimal

    @property
    def execution_rate(self) -> Rate:
        return Rate(self.expenditure, self.budget)


@dataclass(frozen=True)
class PayrollTotal:
    total: Decimal
    basic_pay: Decimal
    insurance: Decimal
    housing_fund: Decimal
    year_end_headcount: int
    monthly_average_headcount: int


@dataclass(frozen=True)
class BudgetYearFigures:
    """A budget year, its rows in order, and every total derived from them."""

    budget_year: BudgetYear
    lines: list[BudgetLine]
    lines_total: LinesTotal
    sub_projects: list[SubProject]
    sub_projects_total: Decimal
    payroll: list[PayrollLine]
    payroll_total: PayrollTotal
    goods_services: list[GoodsServicesLine]
    goods_services_total: Decimal

    @property
    def disagreements(self) -> list[Disagreement]:
        """Where the year's own figures (调整后预算, 到位, 支出) differ from the sum of its
        lines by economic category: the page flags them (a year without lines has
        nothing to disagree with; a figure not entered is not compared)."""
        if not self.lines:
            return []
        year, total = self.budget_year, self.lines_total
        pairs = (
            ("adjusted", year.adjusted, total.budget),
            ("received", year.received, total.received),
            ("expenditure", year.expenditure, total.expenditure),
        )
        return [
            Disagreement(name, header, lines)
            for name, header, lines in pairs
            if header is not None and header != lines
        ]


@dataclass(frozen=True)
class Disagreement:
    """A budget year's figure against the sum of its lines (``name``: adjusted, received
    or expenditure)."""

    name: str
    header: Decimal
    lines: Decimal

    @property
    def difference(self) -> Decimal:
        return self.header - self.lines


def budget_year_figures(*, project_code: str, year: int) -> BudgetYearFigures:
    """The budget year of project ``project_code`` for ``year`` (raises ``DoesNotExist``)."""
    budget_year = (
        BudgetYear.objects.select_related("project")
        .prefetch_related(
            "lines", "sub_projects", "payroll_lines", "goods_services_lines"
        )
        .get(project__code=project_code, year=year)
    )
    return figures_for_budget_year(budget_year)


def figures_for_budget_year(budget_year: BudgetYear) -> BudgetYearFigures:
    return budget_year_figures_of(
        budget_year,
        lines=list(budget_year.lines.all()),
        sub_projects=list(budget_year.sub_projects.all()),
        payroll=list(budget_year.payroll_lines.all()),
        goods=list(budget_year.goods_services_lines.all()),
    )


def budget_year_figures_of(
    budget_year: BudgetYear,
    *,
    lines: list[BudgetLine],
    sub_projects: list[SubProject],
    payroll: list[PayrollLine],
    goods: list[GoodsServicesLine],
) -> BudgetYearFigures:
    """The figures of a budget year from its rows as given (stored, or read back from a
    snapshot by ``budgets.snapshots``): every total derived here, in one place."""
    return BudgetYearFigures(
        budget_year=budget_year,
        lines=lines,
        lines_total=LinesTotal(
            budget=_sum(line.budget for line in lines),
            received=_sum(line.received for line in lines),
            expenditure=_sum(line.expenditure for line in lines),
        ),
        sub_projects=sub_projects,
        sub_projects_total=_sum(sub.amount for sub in sub_projects),
        payroll=payroll,
        payroll_total=PayrollTotal(
            total=_sum(row.total for row in payroll),
            basic_pay=_sum(row.basic_pay for row in payroll),
            insurance=_sum(row.insurance for row in payroll),
            housing_fund=_sum(row.housing_fund for row in payroll),
            year_end_headcount=sum(row.year_end_headcount or 0 for row in payroll),
            monthly_average_headcount=sum(
                row.monthly_average_headcount or 0 for row in payroll
            ),
        ),
        goods_services=goods,
        goods_services_total=_sum(item.expenditure for item in goods),
    )


@dataclass(frozen=True)
class DepartmentBudgetFigures:
    """部门整体资金: income by source and expenditure, with the subtotals of the form."""

    budget: DepartmentBudget
    income: list[DepartmentIncome]
    total_income: Decimal  # 资金总额
    fiscal_appropriation: Decimal  # 财政拨款 小计
    basic: list[DepartmentExpenditure]
    projects: list[DepartmentExpenditure]
    basic_full_year: Decimal
    basic_half_year: Decimal
    projects_full_year: Decimal
    projects_half_year: Decimal

    @property
    def total_full_year(self) -> Decimal:
        return self.basic_full_year + self.projects_full_year

    @property
    def total_half_year(self) -> Decimal:
        return self.basic_half_year + self.projects_half_year


def department_budget_figures(
    *, organisation_code: str, year: int
) -> DepartmentBudgetFigures:
    budget = (
        DepartmentBudget.objects.select_related("organisation")
        .prefetch_related(
            "income_lines",
            Prefetch(
                "expenditure_lines",
                queryset=DepartmentExpenditure.objects.order_by("position"),
            ),
        )
        .get(organisation__code=organisation_code, year=year)
    )
    return department_budget_figures_of(
        budget,
        income=list(budget.income_lines.all()),
        expenditure=list(budget.expenditure_lines.all()),
    )


def department_budget_figures_of(
    budget: DepartmentBudget,
    *,
    income: list[DepartmentIncome],
    expenditure: list[DepartmentExpenditure],
) -> DepartmentBudgetFigures:
    """The figures of a department budget from its rows as given (expenditure in order)."""
    basic = [e for e in expenditure if e.kind == DepartmentExpenditure.Kind.BASIC]
    projects = [e for e in expenditure if e.kind == DepartmentExpenditure.Kind.PROJECT]
    return DepartmentBudgetFigures(
        budget=budget,
        income=income,
        total_income=_sum(line.amount for line in income),
        fiscal_appropriation=_sum(
            line.amount
            for line in income
            if line.source in FISCAL_APPROPRIATION_SOURCES
        ),
        basic=basic,
        projects=projects,
        basic_full_year=_sum(e.full_year_budget for e in basic),
        basic_half_year=_sum(e.half_year_plan for e in basic),
        projects_full_year=_sum(e.full_year_budget for e in projects),
        projects_half_year=_sum(e.half_year_plan for e in projects),
    )

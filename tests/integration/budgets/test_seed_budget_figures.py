"""Every budget figure of the seeds is reproduced from the stored rows by the selectors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgets.models import EconomicCategory, IncomeSource, Project
from budgets.selectors import budget_year_figures, department_budget_figures

pytestmark = pytest.mark.django_db

D = Decimal


def test_tianjin_adjusted_budget_is_initial_plus_addition_minus_reduction() -> None:
    figures = budget_year_figures(project_code="tianjin-2020", year=2020)
    budget_year = figures.budget_year
    assert (budget_year.initial, budget_year.addition, budget_year.reduction) == (
        D("10200.59"),
        D("913"),
        D("21.19"),
    )
    assert budget_year.adjusted == D("11092.40")
    assert budget_year.receipt_rate is not None
    assert budget_year.receipt_rate.percent == D("100.00")
    assert budget_year.execution_rate is not None
    assert budget_year.execution_rate.percent == D("99.86")


def test_tianjin_table_1_1_lines_and_execution_rates() -> None:
    figures = budget_year_figures(project_code="tianjin-2020", year=2020)
    rows = {
        line.category: (
            line.budget,
            line.received,
            line.expenditure,
            line.execution_rate,
        )
        for line in figures.lines
    }
    assert {k: v[:3] for k, v in rows.items()} == {
        EconomicCategory.WAGES: (D("9113.78"), D("9113.78"), D("9098.24")),
        EconomicCategory.GOODS_SERVICES: (D("1969.62"), D("1969.62"), D("1978.55")),
        EconomicCategory.CAPITAL: (D("9"), D("9"), D("0")),
    }
    rates = {k: v[3].percent for k, v in rows.items() if v[3] is not None}
    assert rates == {
        EconomicCategory.WAGES: D("99.83"),
        EconomicCategory.GOODS_SERVICES: D("100.45"),
        EconomicCategory.CAPITAL: D("0.00"),
    }
    total = figures.lines_total
    assert (total.budget, total.received, total.expenditure) == (
        D("11092.40"),
        D("11092.40"),
        D("11076.79"),
    )
    assert total.execution_rate.percent == D("99.86")
    # the lines add up to the project's adjusted budget and expenditure
    assert total.budget == figures.budget_year.adjusted
    assert total.expenditure == figures.budget_year.expenditure


def test_tianjin_goods_and_services_overspend_is_the_second_finding() -> None:
    figures = budget_year_figures(project_code="tianjin-2020", year=2020)
    overspend = {line.category: line.overspend for line in figures.lines}
    assert overspend[EconomicCategory.GOODS_SERVICES] == D("8.93")
    assert overspend[EconomicCategory.WAGES] == D("0")


def test_tianjin_table_1_2_payroll_totals_and_headcounts() -> None:
    figures = budget_year_figures(project_code="tianjin-2020", year=2020)
    total = figures.payroll_total
    assert total.total == D("9098.24")
    assert (total.basic_pay, total.insurance, total.housing_fund) == (
        D("5849.17"),
        D("2047.78"),
        D("1201.29"),
    )
    assert total.basic_pay + total.insurance + total.housing_fund == total.total
    assert (total.year_end_headcount, total.monthly_average_headcount) == (865, 909)
    assert len(figures.payroll) == 11
    call_takers = next(row for row in figures.payroll if row.title == "话务岗")
    assert (call_takers.year_end_headcount, call_takers.monthly_average_headcount) == (
        780,
        814,
    )
    quality = next(row for row in figures.payroll if row.title == "质检")
    assert quality.year_end_headcount is None  # "-" in the seed
    # every row splits exactly into its three parts
    for row in figures.payroll:
        assert row.basic_pay + row.insurance + row.housing_fund == row.total, row.title
    # the payroll detail is the 工资福利支出 line's expenditure
    wages = next(
        line for line in figures.lines if line.category == EconomicCategory.WAGES
    )
    assert wages.expenditure == total.total


def test_tianjin_table_1_3_goods_and_services_items() -> None:
    figures = budget_year_figures(project_code="tianjin-2020", year=2020)
    assert figures.goods_services_total == D("1978.55")
    assert len(figures.goods_services) == 12
    assert [(g.item, g.expenditure) for g in figures.goods_services[:4]] == [
        ("物业费", D("178.06")),
        ("办公费", D("122.85")),
        ("差旅费", D("0.62")),
        ("经营用房租赁费", D("1052.50")),
    ]


def test_shanghai_budget_in_yuan_is_the_sum_of_its_four_sub_projects() -> None:
    figures = budget_year_figures(project_code="shanghai-2019", year=2019)
    assert figures.budget_year.unit == "元"
    assert [s.amount for s in figures.sub_projects] == [
        D("19030000"),
        D("9480000"),
        D("95890000"),
        D("8940000"),
    ]
    assert figures.sub_projects_total == D("133340000")
    assert figures.budget_year.adjusted == D("133340000")
    assert figures.budget_year.previous_budget == D("136990000")
    assert figures.budget_year.previous_expenditure == D("136990000")
    project = Project.objects.get(code="shanghai-2019")
    assert (project.total_budget, project.total_budget_unit) == (D("133340000"), "元")
    assert (project.get_project_type_display(), project.fund_use) == (
        "经常性专项业务费",
        "政府购买服务",
    )


def test_suzhou_department_budget_income_expenditure_and_half_year_plan() -> None:
    figures = department_budget_figures(organisation_code="sz-bmfw", year=2023)
    assert figures.total_income == D("2298.67")
    assert figures.fiscal_appropriation == D("2298.67")
    income = {line.source: line.amount for line in figures.income}
    assert income[IncomeSource.GENERAL_PUBLIC] == D("2298.67")
    assert income[IncomeSource.GOVERNMENT_FUND] == D("0")
    assert figures.basic_full_year == D("727.18")
    assert figures.projects_full_year == D("1571.49")
    assert figures.total_full_year == D("2298.67")
    assert len(figures.projects) == 12
    assert figures.basic_half_year == D("285")
    assert figures.projects_half_year == D("593.46")
    assert figures.total_half_year == D("878.46")
    hotline = next(
        p for p in figures.projects if p.name == "“12345”政府公共服务热线运行经费"
    )
    assert (hotline.half_year_plan, hotline.full_year_budget) == (
        D("443"),
        D("1165.62"),
    )


def test_panjin_budget_year_is_fully_executed() -> None:
    figures = budget_year_figures(project_code="panjin-2023", year=2023)
    budget_year = figures.budget_year
    assert budget_year.adjusted == D("360")
    assert budget_year.execution_rate is not None
    assert budget_year.execution_rate.percent == D("100.00")
    project = budget_year.project
    assert project.contractor is not None
    assert project.contractor.name == "中国联合网络通信有限公司盘锦市分公司"
    assert project.tasks.count() == 11

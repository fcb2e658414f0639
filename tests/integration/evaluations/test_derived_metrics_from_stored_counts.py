"""Issue 3: the report's derived figures come from the stored counts through the
derived-metrics code (kernel.metrics), not from stored answers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgets.models import Organisation
from budgets.selectors import budget_year_figures
from evaluations.models import EvaluationIndicator
from evaluations.selectors import scored_evaluation
from kernel.metrics import year_on_year_growth
from operations.selectors import actual_values, cost_table

pytestmark = pytest.mark.django_db

D = Decimal


def test_every_figure_of_tianjin_table_3_from_the_uploaded_counts() -> None:
    table = cost_table(organisation=Organisation.objects.get(code="tj-8890"), year=2020)
    assert table is not None
    rows = [
        (
            c.years,
            c.answered_10k,
            c.labour_cost,
            c.average_staff,
            c.average_leavers,
            c.turnover_rate,
            c.cost_per_10k_calls,
            c.unit_labour_cost,
        )
        for c in table.columns
    ]
    assert rows == [
        (
            (2020,),
            D("1012.36"),
            D("9098.24"),
            909,
            10,
            D("1.10"),
            D("8.99"),
            D("10.01"),
        ),
        ((2019,), D("562.05"), D("6826.25"), 777, 23, D("2.96"), D("12.15"), D("8.79")),
        ((2018,), D("544.77"), D("4884.18"), 621, 15, D("2.42"), D("8.97"), D("7.87")),
        (
            (2018, 2019),
            D("553.41"),
            D("5855.22"),
            699,
            19,
            D("2.72"),
            D("10.58"),
            D("8.38"),
        ),
    ]
    assert (
        table.turnover_reduction_vs_mean,
        table.cost_per_10k_calls_growth_vs_mean,
        table.unit_labour_cost_growth_vs_mean,
    ) == (D("59.56"), D("-15.03"), D("19.45"))


def test_answer_rate_and_accepted_growth_from_the_uploaded_counts() -> None:
    tianjin = Organisation.objects.get(code="tj-8890")
    answer_rate = actual_values(organisation=tianjin, year=2020)["call-answer-rate"]
    assert (answer_rate.value, answer_rate.numerator, answer_rate.denominator) == (
        D("96.12"),
        D("1012.36"),
        D("1053.2"),
    )
    accepted = [
        actual_values(organisation=tianjin, year=year)["accepted-volume"].value
        for year in (2020, 2019)
    ]
    assert accepted == [D("1036.39"), D("751.92")]
    assert year_on_year_growth(*accepted) == D("37.83")


def test_execution_rates_from_the_stored_budget_rows() -> None:
    figures = budget_year_figures(project_code="tianjin-2020", year=2020)
    assert [
        line.execution_rate.percent for line in figures.lines if line.execution_rate
    ] == [
        D("99.83"),
        D("100.45"),
        D("0.00"),
    ]
    assert figures.lines_total.execution_rate.percent == D("99.86")


def test_the_tianjin_evaluation_takes_its_actuals_from_the_upload_and_keeps_its_scores() -> (
    None
):
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="坐席电话接听率"
    )
    assert (leaf.actual_number, leaf.actual_numerator, leaf.actual_denominator) == (
        D("96.12"),
        D("1012.36"),
        D("1053.2"),
    )
    assert leaf.actual_source.startswith("运行数据上传“tianjin-8890-2018-2020.xlsx”")
    from_upload = EvaluationIndicator.objects.filter(
        evaluation__code="tianjin-2020", actual_source__startswith="运行数据上传"
    ).count()
    assert from_upload == 10
    scored = scored_evaluation("tianjin-2020")
    assert (scored.result.total, scored.result.grade) == (D("92.37"), "优")
    assert [n.score for n in scored.result.nodes] == [
        D("15"),
        D("19.5"),
        D("38"),
        D("19.87"),
    ]


def test_the_panjin_evaluation_takes_its_five_rates_and_staff_from_the_upload() -> None:
    uploaded = EvaluationIndicator.objects.filter(
        evaluation__code="panjin-2023", actual_source__startswith="运行数据上传"
    )
    assert sorted(uploaded.values_list("name", "actual_number")) == sorted(
        [
            ("平台人员数量", D("52")),
            ("话务接通率", D("98.01")),
            ("话务好评率", D("98.33")),
            ("话务直接办复率", D("75.53")),
            ("解决企业群众非紧急类民生诉求", D("99.88")),
            ("保障水平", D("91.43")),
        ]
    )
    assert scored_evaluation("panjin-2023").result.total == D("100.00")

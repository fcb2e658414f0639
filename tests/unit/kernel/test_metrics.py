from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.metrics import (
    CostColumn,
    MetricError,
    YearCounts,
    cost_table,
    growth_rate,
    labour_cost_per_10k_calls,
    mean,
    monthly_turnover_rate,
    rate,
    reduction_rate,
    unit_labour_cost,
    year_on_year_growth,
)

D = Decimal

# Tianjin 2020 report, 表 3: 接听量 (万次), 人工费用 (万元), 月均人员, 月均流失人数.
TIANJIN_COUNTS = {
    2020: YearCounts(D("1012.36"), D("9098.24"), D(909), D(10)),
    2019: YearCounts(D("562.05"), D("6826.25"), D(777), D(23)),
    2018: YearCounts(D("544.77"), D("4884.18"), D(621), D(15)),
}


def test_tianjin_table_3_yearly_columns() -> None:
    table = cost_table(TIANJIN_COUNTS)
    assert table.columns[:3] == (
        CostColumn(
            years=(2020,),
            is_mean=False,
            answered_10k=D("1012.36"),
            labour_cost=D("9098.24"),
            average_staff=D(909),
            average_leavers=D(10),
            turnover_rate=D("1.10"),
            cost_per_10k_calls=D("8.99"),
            unit_labour_cost=D("10.01"),
        ),
        CostColumn(
            years=(2019,),
            is_mean=False,
            answered_10k=D("562.05"),
            labour_cost=D("6826.25"),
            average_staff=D(777),
            average_leavers=D(23),
            turnover_rate=D("2.96"),
            cost_per_10k_calls=D("12.15"),
            unit_labour_cost=D("8.79"),
        ),
        CostColumn(
            years=(2018,),
            is_mean=False,
            answered_10k=D("544.77"),
            labour_cost=D("4884.18"),
            average_staff=D(621),
            average_leavers=D(15),
            turnover_rate=D("2.42"),
            cost_per_10k_calls=D("8.97"),
            unit_labour_cost=D("7.87"),
        ),
    )


def test_tianjin_table_3_mean_column_is_the_ratio_of_the_means() -> None:
    table = cost_table(TIANJIN_COUNTS)
    assert table.mean == CostColumn(
        years=(2018, 2019),
        is_mean=True,
        answered_10k=D("553.41"),
        labour_cost=D("5855.22"),  # 5855.215 rounded half-up
        average_staff=D("699.00"),
        average_leavers=D("19.00"),
        turnover_rate=D("2.72"),  # 19 / 699, not (2.96 + 2.42) / 2 = 2.69
        cost_per_10k_calls=D("10.58"),  # 5855.22 / 553.41, not 10.56
        unit_labour_cost=D("8.38"),  # 5855.22 / 699, not 8.33
    )


def test_tianjin_table_3_comparisons_use_the_printed_figures() -> None:
    table = cost_table(TIANJIN_COUNTS)
    assert table.turnover_reduction_vs_mean == D("59.56")  # (2.72 − 1.10) / 2.72
    assert table.cost_per_10k_calls_growth_vs_mean == D("-15.03")
    assert table.unit_labour_cost_growth_vs_mean == D("19.45")


def test_tianjin_table_3_knows_its_years() -> None:
    table = cost_table(TIANJIN_COUNTS)
    assert (table.current_year, table.base_years) == (2020, (2018, 2019))
    assert table.current is table.columns[0]
    assert table.year(2019).cost_per_10k_calls == D("12.15")
    with pytest.raises(KeyError):
        table.year(2017)


def test_cost_table_years_can_be_chosen() -> None:
    table = cost_table(TIANJIN_COUNTS, current_year=2019, base_years=[2018])
    assert table.mean.cost_per_10k_calls == D("8.97")
    assert table.cost_per_10k_calls_growth_vs_mean == D("35.45")  # (12.15−8.97)/8.97


@pytest.mark.parametrize(
    ("current_year", "base_years"),
    [(2021, None), (2020, [2017]), (2020, [2020, 2019]), (2020, [])],
)
def test_cost_table_rejects_missing_or_overlapping_years(
    current_year: int, base_years: list[int] | None
) -> None:
    with pytest.raises(MetricError):
        cost_table(TIANJIN_COUNTS, current_year=current_year, base_years=base_years)


def test_cost_table_needs_a_base_year() -> None:
    with pytest.raises(MetricError):
        cost_table({2020: TIANJIN_COUNTS[2020]})


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        ("1012.36", "1053.2", "96.12"),  # 接听率
        ("9098.24", "9113.78", "99.83"),  # 工资福利支出执行率
        ("1978.55", "1969.62", "100.45"),  # 商品和服务支出执行率
        ("0", "9", "0.00"),  # 资本性支出执行率
        ("11076.79", "11092.40", "99.86"),  # 项目预算执行率
    ],
)
def test_rate_reproduces_the_tianjin_report(
    numerator: str, denominator: str, expected: str
) -> None:
    assert rate(D(numerator), D(denominator)) == D(expected)


def test_per_staff_and_per_call_figures() -> None:
    assert labour_cost_per_10k_calls(D("6826.25"), D("562.05")) == D("12.15")
    assert unit_labour_cost(D("4884.18"), D(621)) == D("7.87")
    assert monthly_turnover_rate(D(23), D(777)) == D("2.96")


def test_mean_rounds_half_up() -> None:
    assert mean([D("6826.25"), D("4884.18")]) == D("5855.22")
    assert mean([D(777), D(621)]) == D(699)


def test_mean_of_nothing_is_an_error() -> None:
    with pytest.raises(MetricError):
        mean([])


def test_growth_and_reduction_against_the_mean() -> None:
    assert growth_rate(D("8.99"), D("10.58")) == D("-15.03")
    assert growth_rate(D("10.01"), D("8.38")) == D("19.45")
    assert reduction_rate(D("1.10"), D("2.72")) == D("59.56")


def test_year_on_year_growth_of_accepted_requests() -> None:
    # 受理量 2020 1036.39 万件 vs 2019 751.92 万件
    assert year_on_year_growth(D("1036.39"), D("751.92")) == D("37.83")


def test_a_ratio_without_a_base_is_an_error() -> None:
    with pytest.raises(ZeroDivisionError):
        unit_labour_cost(D(100), D(0))

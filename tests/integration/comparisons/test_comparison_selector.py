"""The comparison of centres' KPIs (issue 17 §3): the seeds' published figures exactly,
ranks and spread among uploaded centres, each figure's source, and the user's scope."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from budgets.models import Organisation
from comparisons.selectors import (
    Comparison,
    KpiComparison,
    Source,
    UnknownMetric,
    kpi_comparison,
)
from tests.personas import member

pytestmark = pytest.mark.django_db

D = Decimal


def _admin() -> User:
    return User.objects.create_superuser("comparison-admin")


def _figures(compared: KpiComparison | None) -> dict[str, tuple[object, ...]]:
    assert compared is not None
    return {
        f.organisation.code: (f.value, f.rank, f.of, f.source, f.meets_standard)
        for f in compared.figures
    }


def _kpi(comparison: Comparison, code: str) -> KpiComparison:
    found = comparison.kpi(code)
    assert found is not None
    return found


def test_tianjin_2020_figures_are_the_reports_as_published() -> None:
    comparison = kpi_comparison(user=_admin(), year=2020)
    assert comparison.years == (2023, 2020, 2019, 2018)
    assert [c.code for c in comparison.centres] == ["tj-8890"]
    answer = _kpi(comparison, "answer-rate")
    (figure,) = answer.figures
    # seed 001: 1012.36 / 1053.2 万次 = 96.12 %, above GB/T 33358's 95 %
    assert (figure.value, figure.numerator, figure.denominator) == (
        D("96.12"),
        D("1012.36"),
        D("1053.2"),
    )
    assert (figure.numerator_unit, figure.denominator_unit) == ("万次", "万次")
    assert (figure.rank, figure.of, figure.meets_standard) == (1, 1, True)
    assert figure.source is Source.PUBLISHED
    assert figure.source_label == "公开报告数"
    assert "tianjin-8890-2018-2020.xlsx" in figure.source_detail
    assert answer.kpi.standard is not None
    assert (answer.kpi.standard.comparator.value, answer.kpi.standard.value) == (
        "≥",
        D("95"),
    )
    assert answer.kpi.standard.text.startswith("GB/T 33358-2016《政府热线服务规范》")
    # 表 3: the cost figures as the report prints them
    assert {
        code: _kpi(comparison, code).figures[0].value
        for code in (
            "labour-cost-per-10k-calls",
            "unit-labour-cost",
            "monthly-attrition-rate",
        )
    } == {
        "labour-cost-per-10k-calls": D("8.99"),
        "unit-labour-cost": D("10.01"),
        "monthly-attrition-rate": D("1.10"),
    }
    # no centre reported what 办结率 needs in 2020: nothing is made up
    assert _kpi(comparison, "completion-rate").figures == ()
    assert _kpi(comparison, "completion-rate").spread is None


@pytest.mark.parametrize(
    ("year", "cost_per_10k", "unit_cost", "turnover"),
    [(2019, "12.15", "8.79", "2.96"), (2018, "8.97", "7.87", "2.42")],
)
def test_tianjin_base_years_are_table_3s(
    year: int, cost_per_10k: str, unit_cost: str, turnover: str
) -> None:
    comparison = kpi_comparison(user=_admin(), year=year)
    assert {
        k.kpi.code: (k.figures[0].value, k.figures[0].source)
        for k in comparison.kpis
        if k.figures
    } == {
        "labour-cost-per-10k-calls": (D(cost_per_10k), Source.PUBLISHED),
        "unit-labour-cost": (D(unit_cost), Source.PUBLISHED),
        "monthly-attrition-rate": (D(turnover), Source.PUBLISHED),
    }


def test_panjin_2023_rates_are_the_reports_and_marked_reconstructed_counts() -> None:
    comparison = kpi_comparison(user=_admin(), year=2023)
    rates = {k.kpi.code: k.figures[0] for k in comparison.kpis if k.figures}
    assert {code: f.value for code, f in rates.items()} == {
        "answer-rate": D("98.01"),
        "positive-rating-rate": D("98.33"),
        "direct-resolution-rate": D("75.53"),
        "completion-rate": D("99.88"),
        "satisfaction-rate": D("91.43"),
    }
    assert {f.source for f in rates.values()} == {Source.PUBLISHED}
    # the counts behind them are read back from the printed rates: marked as such
    assert all(f.counts_reconstructed for f in rates.values())
    assert not any(f.reconstructed for f in rates.values())
    # 回访率 (回访量 ÷ 办结量, both reconstructed) is a figure the report never states:
    # set aside, named, not ranked
    callback = _kpi(comparison, "callback-rate")
    assert callback.figures == ()
    assert [o.code for o in callback.set_aside] == ["pj-yshj"]


def test_ranks_and_spread_among_centres(liaoning: dict[str, Organisation]) -> None:
    comparison = kpi_comparison(user=_admin(), year=2023)
    answer = _kpi(comparison, "answer-rate")
    assert _figures(answer) == {
        "pj-yshj": (D("98.01"), 1, 4, Source.PUBLISHED, True),
        "sy-12345": (D("98.01"), 1, 4, Source.UPLOADED, True),
        "as-12345": (D("96.00"), 3, 4, Source.UPLOADED, True),
        "dl-12345": (D("94.50"), 4, 4, Source.UPLOADED, False),
    }
    # best first; a tie in the order of the names' code points (沈 U+6C88 < 盘 U+76D8)
    assert [f.organisation.code for f in answer.figures] == [
        "sy-12345",
        "pj-yshj",
        "as-12345",
        "dl-12345",
    ]
    spread = answer.spread
    assert spread is not None
    # the median of an even count: the mean of 96.00 and 98.01 = 97.005, half-up 97.01
    assert (
        spread.count,
        spread.minimum,
        spread.median,
        spread.maximum,
        spread.range,
        spread.below_standard,
    ) == (4, D("94.50"), D("97.01"), D("98.01"), D("3.51"), 1)
    # lower is better: 月均人员流失率 (12 ÷ 12) / 50 = 2.00 % ranks before (60 ÷ 12) / 100
    turnover = _kpi(comparison, "monthly-attrition-rate")
    assert _figures(turnover) == {
        "as-12345": (D("2.00"), 1, 2, Source.UPLOADED, None),
        "dl-12345": (D("5.00"), 2, 2, Source.UPLOADED, None),
    }
    # 每万接听量人工成本 = 500 万元 / 18.9 万次 = 26.455… → 26.46, by kernel.metrics
    (cost,) = _kpi(comparison, "labour-cost-per-10k-calls").figures
    assert (cost.value, cost.numerator, cost.denominator, cost.denominator_unit) == (
        D("26.46"),
        D("500"),
        D("18.9"),
        "万次",
    )


def test_a_province_bureau_sees_its_cities_and_a_city_only_itself(
    liaoning: dict[str, Organisation],
) -> None:
    province = member("ln-finance", "ln-czt", "finance")
    comparison = kpi_comparison(user=province)
    assert comparison.year == 2023
    assert comparison.years == (2023,)
    assert {c.code for c in comparison.centres} == {
        "pj-yshj",
        "sy-12345",
        "as-12345",
        "dl-12345",
    }
    assert kpi_comparison(user=province, year=2020).centres == ()

    panjin_city = member("pj-finance-c", "pj-czj", "finance")
    comparison = kpi_comparison(user=panjin_city, year=2023)
    assert [c.code for c in comparison.centres] == ["pj-yshj"]
    assert _figures(_kpi(comparison, "answer-rate")) == {
        "pj-yshj": (D("98.01"), 1, 1, Source.PUBLISHED, True)
    }

    tianjin_finance = member("tj-finance-c", "tj-czj", "finance")
    assert kpi_comparison(user=tianjin_finance).years == (2020, 2019, 2018)
    assert kpi_comparison(user=tianjin_finance, year=2023).centres == ()

    dalian_unit = member("dl-unit-c", "dl-12345", "unit")
    comparison = kpi_comparison(user=dalian_unit)
    assert [c.code for c in comparison.centres] == ["dl-12345"]
    assert _figures(_kpi(comparison, "answer-rate")) == {
        "dl-12345": (D("94.50"), 1, 1, Source.UPLOADED, False)
    }

    evaluator = member("tj-evaluator-c", "tj-evaluator", "evaluator")
    nothing = kpi_comparison(user=evaluator)
    assert (nothing.year, nothing.years, nothing.centres) == (None, (), ())


def test_one_kpi_and_an_unknown_one() -> None:
    admin = _admin()
    comparison = kpi_comparison(user=admin, year=2020, metric="answer-rate")
    assert [k.kpi.code for k in comparison.kpis] == ["answer-rate"]
    with pytest.raises(UnknownMetric, match="“calls-offered”不是可比较的指标"):
        kpi_comparison(user=admin, year=2020, metric="calls-offered")


def test_json_shape_for_the_api() -> None:
    data = kpi_comparison(user=_admin(), year=2020, metric="answer-rate").as_json()
    assert data == {
        "year": 2020,
        "years": [2023, 2020, 2019, 2018],
        "kpis": [
            {
                "metric": "answer-rate",
                "name": "接通率",
                "unit": "%",
                "better": "higher",
                "standard": {
                    "text": data["kpis"][0]["standard"]["text"],
                    "comparator": "≥",
                    "value": "95",
                },
                "standard_note": "",
                "spread": {
                    "count": 1,
                    "min": "96.12",
                    "max": "96.12",
                    "median": "96.12",
                    "range": "0.00",
                    "below_standard": 0,
                },
                "figures": [
                    {
                        "organisation": "tj-8890",
                        "organisation_name": "天津市便民专线服务中心",
                        "region": "天津市",
                        "city": "天津市",
                        "value": "96.12",
                        "numerator": "1012.36",
                        "numerator_unit": "万次",
                        "denominator": "1053.2",
                        "denominator_unit": "万次",
                        "rank": 1,
                        "of": 1,
                        "meets_standard": True,
                        "source": "published",
                        "source_label": "公开报告数",
                        "source_detail": data["kpis"][0]["figures"][0]["source_detail"],
                        "verification": None,
                        "reconstructed": False,
                        "counts_reconstructed": False,
                    }
                ],
                "set_aside": [],
            }
        ],
    }
    assert "GB/T 33358-2016" in data["kpis"][0]["standard"]["text"]


def test_the_compared_figures_are_printed_in_the_seed_reports(
    seed_text: Callable[[str], str],
) -> None:
    """Read against the reports themselves: seed 001's 表 3 columns (2020, 2019, 2018,
    mean) and its 接听率 sentence; seed 004's sentences for each rate."""
    admin = _admin()
    tianjin = seed_text("001")
    table = {
        line.split("\t")[0]: line.split("\t")[1:4]
        for line in tianjin.splitlines()
        if line.startswith(("月均人员流失率", "每 1 万接听量人工成本", "单位人工成本"))
    }
    printed = {
        "monthly-attrition-rate": [v.rstrip("%") for v in table["月均人员流失率"]],
        "labour-cost-per-10k-calls": table["每 1 万接听量人工成本（万元）"],
        "unit-labour-cost": table["单位人工成本（万元）"],
    }
    for column, year in enumerate((2020, 2019, 2018)):
        comparison = kpi_comparison(user=admin, year=year)
        for code, values in printed.items():
            assert str(_kpi(comparison, code).figures[0].value) == values[column]
    answer = _kpi(kpi_comparison(user=admin, year=2020), "answer-rate").figures[0]
    assert f"全年累计接听率 {answer.value}%" in tianjin

    panjin = seed_text("004")
    comparison = kpi_comparison(user=admin, year=2023)
    for code, words in [
        ("answer-rate", "热线接通率指标为"),
        ("direct-resolution-rate", "话务直接办复率指标为"),
        ("positive-rating-rate", "话务好评率指标为"),
        ("completion-rate", "诉求办结率为"),
        ("satisfaction-rate", "年度满意率为"),
    ]:
        value = _kpi(comparison, code).figures[0].value
        assert f"{words}{value}%" in panjin.replace(" ", ""), (code, value)

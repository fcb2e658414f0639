"""The dashboards' charts (issue 13 item 9): a y axis with gridlines on round numbers, the
target drawn as a ring over the actual's dot, numbers with their thousands separated."""

from __future__ import annotations

from decimal import Decimal

import pytest

from operations.charts import bar_chart, line_chart, nice_top


@pytest.mark.parametrize(
    ("value", "top"),
    [
        ("96.12", "100"),
        ("1036.39", "2000"),
        ("8.99", "10"),
        ("909", "1000"),
        ("0.45", "0.5"),
        ("220", "250"),
        ("100", "100"),
    ],
)
def test_the_axis_ends_on_a_round_number(value: str, top: str) -> None:
    assert nice_top(Decimal(value)) == Decimal(top)


def test_a_line_chart_has_a_y_axis_with_gridlines() -> None:
    chart = line_chart(
        "受理量",
        "万件",
        [2019, 2020],
        [
            ("实际", "actual", {2019: Decimal("751.92"), 2020: Decimal("1036.39")}),
            ("目标", "target", {2020: Decimal("750")}),
        ],
    )
    assert [(t.position, t.text) for t in chart.grid] == [
        (180, "0"),
        (142, "500"),
        (104, "1,000"),
        (66, "1,500"),
        (28, "2,000"),
    ]
    assert [p.text for p in chart.series[0][2]] == ["751.92万件", "1,036.39万件"]


def test_the_target_is_drawn_last_so_an_equal_actual_does_not_hide_it() -> None:
    """Tianjin 2020: a target equal to the actual sits on the same spot; drawn after the
    actual (a ring, in the template) both stay visible."""
    chart = line_chart(
        "接通率",
        "%",
        [2020],
        [
            ("目标", "target", {2020: Decimal("95")}),
            ("实际", "actual", {2020: Decimal("95")}),
        ],
    )
    assert [css for _name, css, _points in chart.series] == ["actual", "target"]
    actual, target = chart.series[0][2][0], chart.series[1][2][0]
    assert (actual.x, actual.y) == (target.x, target.y)


def test_a_bar_chart_has_a_value_axis_and_grouped_numbers() -> None:
    chart = bar_chart(
        "受理量", " 件", [("天津", Decimal("11200000"), ""), ("盘锦", None, "")]
    )
    assert [bar.text for bar in chart.bars] == ["11,200,000 件", "—"]
    assert [tick.text for tick in chart.grid] == [
        "0 件",
        "2,800,000 件",
        "5,600,000 件",
        "8,400,000 件",
        "11,200,000 件",
    ]
    assert chart.plot_bottom == 60 and chart.height == 80


def test_a_bar_chart_without_values_draws_no_axis() -> None:
    chart = bar_chart("每万接听量人工成本", " 万元", [("盘锦", None, "")])
    assert (chart.grid, chart.empty) == ([], True)

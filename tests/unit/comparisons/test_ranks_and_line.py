"""Competition ranks (best first, ties share, the next skipped) in both directions, and
the standard line drawn across the dashboards' bar chart."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comparisons.selectors import Better, competition_ranks
from operations.charts import bar_chart

D = Decimal


@pytest.mark.parametrize(
    ("values", "better", "ranks"),
    [
        (["98.01", "98.01", "96.00", "94.50"], Better.HIGHER, [1, 1, 3, 4]),
        (["94.50", "98.01", "96.00", "98.01"], Better.HIGHER, [4, 1, 3, 1]),
        (["5.00", "2.00"], Better.LOWER, [2, 1]),
        (["8.99", "8.99", "8.99"], Better.LOWER, [1, 1, 1]),
        (["1.10"], Better.LOWER, [1]),
        ([], Better.HIGHER, []),
    ],
)
def test_competition_ranks(values: list[str], better: Better, ranks: list[int]) -> None:
    assert competition_ranks([D(v) for v in values], better) == ranks


def test_the_standard_line_sits_at_its_value_on_the_axis() -> None:
    chart = bar_chart(
        "接通率",
        "%",
        [("沈阳", D("98.01"), ""), ("大连", D("94.50"), "below")],
        reference=("GB/T 33358-2016 ≥95%", D("95")),
    )
    assert chart.reference is not None
    # a rate's axis runs to 100 %: 190 + 370 × 95 / 100 = 541.5 → 541
    assert (chart.reference.position, chart.reference.text) == (
        541,
        "GB/T 33358-2016 ≥95%",
    )
    assert chart.reference.label_at == chart.plot_bottom == 60
    assert [bar.css for bar in chart.bars] == ["", "below"]


def test_a_line_above_every_bar_widens_the_axis_to_it() -> None:
    chart = bar_chart(
        "每万接听量人工成本",
        " 万元",
        [("天津", D("8"), "")],
        reference=("上限", D("10")),
    )
    assert chart.reference is not None
    assert chart.reference.position == 190 + 370  # the line is the axis' end
    assert chart.bars[0].width == 296  # 370 × 8 / 10
    assert bar_chart("x", "%", [("a", D("50"), "")]).reference is None

"""The pure reasonableness and monitoring rules behind the target pages (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kernel.indicator_values import Comparator, parse_indicator_value
from targets.monitoring import Light, Thresholds, elapsed_share, execution, overspend
from targets.reasonableness import (
    FlagKind,
    HistoryFigure,
    Leaf,
    Recommended,
    ReviewInput,
    Standard,
    review,
)

ANSWER_STANDARD = Standard("GB/T 33358-2016", Comparator.GE, Decimal(95))


def leaf(name: str, value: str, **kwargs: object) -> Leaf:
    return Leaf(
        key=1,
        name=name,
        level1="产出指标",
        level2="数量指标",
        value=parse_indicator_value(value),
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("value", "flagged"),
    [
        ("≥95%", False),
        ("95%", False),
        (">95%", False),
        ("<95%", True),
        ("大于 90%", True),
        ("96%", False),
    ],
)
def test_below_the_published_standard(value: str, flagged: bool) -> None:
    data = ReviewInput(
        year=2020,
        leaves=(leaf("接通率", value, library_unit="%", standard=ANSWER_STANDARD),),
    )
    kinds = [f.kind for f in review(data)]
    assert (FlagKind.BELOW_STANDARD in kinds) is flagged


@pytest.mark.parametrize(
    ("value", "flagged"),
    [
        ("显著降低", True),
        ("明显提升", True),
        ("进一步提高", True),
        ("提升", True),
        ("健全", False),
        ("2020 年底完成", False),
    ],
)
def test_vague_qualitative_values(value: str, flagged: bool) -> None:
    kinds = [f.kind for f in review(ReviewInput(year=2020, leaves=(leaf("x", value),)))]
    assert (FlagKind.QUALITATIVE_VALUE in kinds) is flagged


def test_previous_year_in_another_unit_is_converted() -> None:
    history = (HistoryFigure(2019, Decimal(7519200), "件", "受理量", "运行数据"),)
    (flag,) = [
        f
        for f in review(
            ReviewInput(
                year=2020,
                leaves=(
                    leaf(
                        "受理量", "750 万件", direction="higher_better", history=history
                    ),
                ),
                history_deviation=Decimal(1),
            )
        )
    ]
    assert flag.message == (
        "“受理量”目标 750 万件 低于 2019 年实际 7519200 件：目标应不低于上年已达到的水平。"
    )


def test_a_ceiling_is_not_compared_with_the_previous_year() -> None:
    history = (HistoryFigure(2019, Decimal(909), "人", "月均人数", "表 1-2"),)
    data = ReviewInput(
        year=2020,
        leaves=(
            leaf("合同制员工数", "≤800人", direction="lower_better", history=history),
        ),
        history_deviation=Decimal(1),
    )
    assert review(data) == []


def test_a_recommended_indicator_present_is_not_flagged() -> None:
    data = ReviewInput(
        year=2020,
        leaves=(leaf("办结率", "≥90%", library_code="completion-rate"),),
        recommended=(
            Recommended("completion-rate", "办结率", "效益指标 / 社会效益指标"),
        ),
    )
    assert review(data) == []


@pytest.mark.parametrize(
    ("year", "day", "share"),
    [
        (2020, date(2019, 12, 31), Decimal(0)),
        (2020, date(2021, 1, 1), Decimal(1)),
        (2020, date(2020, 12, 31), Decimal(1)),  # 366 of 366 days (leap year)
        (2021, date(2021, 7, 2), Decimal(183) / Decimal(365)),
    ],
)
def test_elapsed_share_of_the_year(year: int, day: date, share: Decimal) -> None:
    assert elapsed_share(year, day) == share


def test_no_expenditure_is_no_light() -> None:
    result = execution(
        label="x",
        budget=Decimal(10),
        expenditure=None,
        elapsed=Decimal("0.5"),
        thresholds=Thresholds(),
    )
    assert (result.light, result.ratio) == (Light.NONE, None)


def test_an_overspend_partly_covered_by_an_adjustment() -> None:
    found = overspend(
        category="商品和服务支出",
        budget=Decimal("1969.62"),
        expenditure=Decimal("1978.55"),
        approved_adjustments=Decimal("5"),
        unit="万元",
    )
    assert found is not None
    assert found.message == (
        "商品和服务支出执行率 100.45%，超预算 8.93 万元，已批准调整 5.00 万元，"
        "仍有 3.93 万元 未经调整程序。"
    )

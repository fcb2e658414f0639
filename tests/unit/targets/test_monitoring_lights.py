"""The lights of a 运行监控 report's lines (``targets.monitoring``), without a database:
an indicator judged to date against the period's 指标值 and on its forecast against the
full-year one, the unit's 完成目标可能性, and the budget against its plan or the time share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from targets.monitoring import (
    Light,
    Thresholds,
    budget_execution,
    indicator_line_light,
    time_share,
)


@pytest.mark.parametrize(
    ("period", "to_date", "year", "expected", "likelihood", "light"),
    [
        # Suzhou's 微信公众号 posts: 20 by June against =24条 is red, whatever the forecast
        ("=24条", "20条", "=48条", "48条", "certain", Light.RED),
        ("=24条", "26条", "=48条", "48条", "", Light.GREEN),
        # the forecast misses the full-year target: red
        ("", "", "≥80%", "78%", "", Light.RED),
        ("", "", "大于 90%", "96.12%", "", Light.GREEN),
        # qualitative targets: only the unit's likelihood lights them
        ("健全", "健全", "健全", "健全", "", Light.NONE),
        ("健全", "健全", "健全", "健全", "certain", Light.GREEN),
        ("提升", "", "提升", "", "possible", Light.YELLOW),
        ("提升", "", "提升", "", "impossible", Light.RED),
        # met by the figures but only possible in the unit's eyes: yellow
        ("=2次", "2次", "=4次", "", "possible", Light.YELLOW),
        # nothing typed: no light
        ("=2次", "", "=4次", "", "", Light.NONE),
    ],
)
def test_indicator_line_light(
    period: str, to_date: str, year: str, expected: str, likelihood: str, light: Light
) -> None:
    judged = indicator_line_light(
        period_target=period,
        to_date=to_date,
        year_target=year,
        expected=expected,
        likelihood=likelihood,
    )
    assert judged.light is light


def test_the_time_share_of_a_period() -> None:
    assert time_share(6) == Decimal("0.5")
    assert (time_share(7) * 100).quantize(Decimal("0.01")) == Decimal("58.33")


@pytest.mark.parametrize(
    ("planned", "spent", "months", "ratio", "light"),
    [
        # Suzhou: against the 半年计划执行数 878.46 of 2298.67
        (Decimal("878.46"), Decimal("833.70"), 6, Decimal("94.90"), Light.GREEN),
        (Decimal("878.46"), Decimal("600"), 6, Decimal("68.30"), Light.YELLOW),
        (Decimal("878.46"), Decimal("400"), 6, Decimal("45.53"), Light.RED),
        # without a plan, against the time share (7 months: 58.33 %)
        (None, Decimal("1333.61"), 7, Decimal("99.46"), Light.GREEN),
        (None, None, 6, None, Light.NONE),
    ],
)
def test_budget_execution_against_the_plan_or_the_time_share(
    planned: Decimal | None,
    spent: Decimal | None,
    months: int,
    ratio: Decimal | None,
    light: Light,
) -> None:
    found = budget_execution(
        budget=Decimal("2298.67"),
        planned=planned,
        spent=spent,
        months=months,
        thresholds=Thresholds(),
    )
    assert found is not None
    assert (found.ratio, found.light) == (ratio, light)


def test_nothing_planned_to_date_and_no_budget() -> None:
    found = budget_execution(
        budget=Decimal("8.30"),
        planned=Decimal(0),
        spent=Decimal(0),
        months=6,
        thresholds=Thresholds(),
    )
    assert found is not None and found.light is Light.GREEN
    assert (
        budget_execution(
            budget=None,
            planned=None,
            spent=Decimal(1),
            months=6,
            thresholds=Thresholds(),
        )
        is None
    )

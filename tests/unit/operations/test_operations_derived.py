"""Derived metrics come from their counts through kernel.metrics."""

from __future__ import annotations

from decimal import Decimal

import pytest

from operations.catalogue import (
    BY_CODE,
    EXPLICIT_RULES,
    STANDARD_METRICS,
    NotGreater,
    consistency_rules,
)
from operations.checks import check_period
from operations.derived import Figure, derive, period_resolver, year_figure

D = Decimal
SPECS = {s.code: s for s in STANDARD_METRICS}


def resolve_with(**figures: Figure):  # type: ignore[no-untyped-def]
    return period_resolver(SPECS, {k.replace("_", "-"): v for k, v in figures.items()})


def test_tianjin_answer_rate_keeps_the_counts_as_entered() -> None:
    resolve = resolve_with(
        calls_answered=Figure(D("1012.36"), "万次"),
        calls_offered=Figure(D("1053.2"), "万次"),
    )
    rate = derive(BY_CODE["answer-rate"], resolve)
    assert rate is not None
    assert (rate.value, rate.unit) == (D("96.12"), "%")
    assert (rate.numerator, rate.numerator_unit) == (D("1012.36"), "万次")
    assert (rate.denominator, rate.denominator_unit) == (D("1053.2"), "万次")


def test_mixed_units_are_compared_in_the_base_unit() -> None:
    resolve = resolve_with(
        cases_completed=Figure(D("323611"), "件"),
        cases_accepted=Figure(D("32.4"), "万件"),
    )
    rate = derive(BY_CODE["completion-rate"], resolve)
    assert rate is not None
    assert (rate.value, rate.numerator, rate.denominator) == (
        D("99.88"),
        D("323611"),
        D("324000"),
    )


@pytest.mark.parametrize(
    ("code", "figures", "value"),
    [
        (
            "labour-cost-per-10k-calls",
            {
                "labour-cost": Figure(D("9098.24"), "万元"),
                "calls-answered": Figure(D("10123600"), "次"),
            },
            D("8.99"),
        ),
        (
            "unit-labour-cost",
            {
                "labour-cost": Figure(D("90982400"), "元"),
                "staff-monthly-average": Figure(D("909"), "人"),
            },
            D("10.01"),
        ),
        (
            "monthly-attrition-rate",
            {
                "staff-leavers": Figure(D("120"), "人"),
                "staff-monthly-average": Figure(D("909"), "人"),
            },
            D("1.10"),
        ),
        (
            "training-attendance",
            {
                "training-online": Figure(D("30948"), "人次"),
                "training-onsite": Figure(D("2530"), "人次"),
            },
            D("33478"),
        ),
    ],
)
def test_tianjin_table_3_figures(
    code: str, figures: dict[str, Figure], value: Decimal
) -> None:
    derived = derive(SPECS[code], period_resolver(SPECS, figures))
    assert derived is not None
    assert derived.value == value


def test_activation_rate_is_derived_from_two_sums() -> None:
    figures = {
        "trunk-lines-leased": Figure(D(20), "条"),
        "dedicated-lines-leased": Figure(D(10), "条"),
        "trunk-lines-opened": Figure(D(20), "条"),
        "dedicated-lines-opened": Figure(D(10), "条"),
    }
    rate = derive(SPECS["line-activation-rate"], period_resolver(SPECS, figures))
    assert rate is not None
    assert (rate.value, rate.numerator, rate.denominator) == (D("100.00"), D(30), D(30))


def test_a_rate_without_its_denominator_or_with_a_zero_one_is_absent() -> None:
    assert (
        derive(SPECS["answer-rate"], resolve_with(calls_answered=Figure(D(5), "次")))
        is None
    )
    zero = resolve_with(
        calls_answered=Figure(D(0), "次"), calls_offered=Figure(D(0), "次")
    )
    assert derive(SPECS["answer-rate"], zero) is None


def test_a_year_adds_up_its_months_by_the_metric_aggregation() -> None:
    months = {1: Figure(D(100), "次", ("a",)), 2: Figure(D("0.02"), "万次", ("b",))}
    summed = year_figure(SPECS["calls-offered"], None, months)
    assert summed == Figure(D(300), "次", ("a", "b"), (1, 2))
    latest = year_figure(
        SPECS["seats"], None, {3: Figure(D(500), "个"), 6: Figure(D(560), "个")}
    )
    assert latest is not None and (latest.value, latest.months) == (D(560), (3, 6))
    mean = year_figure(
        SPECS["staff-monthly-average"],
        None,
        {1: Figure(D(900), "人"), 2: Figure(D(917), "人")},
    )
    assert mean is not None and mean.value == D("908.50")
    assert (
        year_figure(SPECS["average-answer-seconds"], None, {1: Figure(D(8), "秒")})
        is None
    )
    annual = Figure(D(1), "次")
    assert year_figure(SPECS["calls-offered"], annual, months) is annual


def test_consistency_rules_cover_answered_and_on_time_completion() -> None:
    rules = consistency_rules(STANDARD_METRICS)
    assert NotGreater(("calls-answered",), "calls-offered") in rules
    assert NotGreater(("cases-completed-on-time",), "cases-completed") in rules
    assert set(EXPLICIT_RULES) <= set(rules)


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        (
            {
                "calls-answered": Figure(D(1100), "次"),
                "calls-offered": Figure(D(1000), "次"),
            },
            "接听量（1100 次）不能大于呼入量（1000 次）",
        ),
        (
            {
                "calls-answered": Figure(D("1100"), "万次"),
                "calls-offered": Figure(D("10000000"), "次"),
            },
            "接听量（11000000 次）不能大于呼入量（10000000 次）",
        ),
        (
            {
                "cases-completed-on-time": Figure(D(11), "件"),
                "cases-completed": Figure(D(10), "件", ("已导入",)),
            },
            "按时办结量（11 件）不能大于办结量（已导入的 10 件）",
        ),
        (
            {
                "callbacks": Figure(D(10), "件"),
                "callbacks-satisfied": Figure(D(6), "件"),
                "callbacks-basically-satisfied": Figure(D(3), "件"),
                "callbacks-dissatisfied": Figure(D(2), "件"),
            },
            "回访满意量、回访基本满意量、回访不满意量之和（11 件）不能大于回访量（10 件）",
        ),
    ],
)
def test_parts_cannot_exceed_their_whole(
    figures: dict[str, Figure], message: str
) -> None:
    violations = check_period(SPECS, figures, consistency_rules(STANDARD_METRICS))
    assert [v.message for v in violations] == [message]


def test_equal_parts_and_whole_are_consistent() -> None:
    figures = {
        "cases-accepted": Figure(D("1036.39"), "万件"),
        "cases-help": Figure(D("691.51"), "万件"),
        "cases-dispatch": Figure(D("344.88"), "万件"),
    }
    assert check_period(SPECS, figures, consistency_rules(STANDARD_METRICS)) == []

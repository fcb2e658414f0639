"""Whether an actual value meets its target: the comparator rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.indicator_values import Comparator
from targets.judgement import judge

D = Decimal


GE_READING = "（目标未写比较符，按“达到”读作“不低于”）"
LE_READING = "（目标未写比较符，金额、时长读作“不超过”）"


@pytest.mark.parametrize(
    ("comparator", "target", "target_unit", "actual", "actual_unit", "status", "rule"),
    [
        (Comparator.GT, "90", "%", "96.12", "%", "met", "实际值 > 90%"),
        (Comparator.GT, "90", "%", "90.00", "%", "not_met", "实际值 > 90%"),
        (Comparator.GE, "80", "%", "80.00", "%", "met", "实际值 ≥ 80%"),
        (Comparator.GE, "80", "%", "79.99", "%", "not_met", "实际值 ≥ 80%"),
        (Comparator.LE, "7", "%", "7.01", "%", "not_met", "实际值 ≤ 7%"),
        (Comparator.LT, "0.3", "%", "0.29", "%", "met", "实际值 < 0.3%"),
        (
            Comparator.EQ,
            "560",
            "个",
            "560",
            "个",
            "met",
            "实际值 ≥ 560 个" + GE_READING,
        ),
        # 录用合同制员工人数 "1030 人": a number of people to hire, not a ceiling
        # (the library's lower_better direction no longer turns it around)
        (
            Comparator.EQ,
            "1030",
            "人",
            "865",
            "人",
            "not_met",
            "实际值 ≥ 1030 人" + GE_READING,
        ),
        (
            Comparator.EQ,
            "52",
            "人",
            "51",
            "人",
            "not_met",
            "实际值 ≥ 52 人" + GE_READING,
        ),
        (
            Comparator.EQ,
            "750",
            "万件",
            "1036.39",
            "万件",
            "met",
            "实际值 ≥ 750 万件" + GE_READING,
        ),
        (
            Comparator.EQ,
            "20000",
            "个",
            "10.42",
            "万件",
            "met",
            "实际值 ≥ 20000 个" + GE_READING,
        ),
        # a bare amount of money or time is a budget, a limit
        (
            Comparator.EQ,
            "9878.2",
            "万元",
            "9800",
            "万元",
            "met",
            "实际值 ≤ 9878.2 万元" + LE_READING,
        ),
        (
            Comparator.EQ,
            "20",
            "秒",
            "21",
            "秒",
            "not_met",
            "实际值 ≤ 20 秒" + LE_READING,
        ),
    ],
)
def test_comparator_rule(
    comparator: Comparator,
    target: str,
    target_unit: str,
    actual: str,
    actual_unit: str,
    status: str,
    rule: str,
) -> None:
    judgement = judge(
        comparator=comparator,
        target=D(target),
        target_unit=target_unit,
        actual=D(actual),
        actual_unit=actual_unit,
    )
    assert (judgement.status, judgement.rule) == (status, rule)


def test_units_that_count_different_things_are_not_compared() -> None:
    judgement = judge(
        comparator=Comparator.LE,
        target=D("111.8"),
        target_unit="万元",
        actual=D(30),
        actual_unit="条",
    )
    assert (judgement.status, judgement.rule) == (
        "not_comparable",
        "实际值单位“条”与目标值单位“万元”不可比",
    )


def test_no_data_and_qualitative_targets() -> None:
    assert (
        judge(
            comparator=Comparator.GE,
            target=D(80),
            target_unit="%",
            actual=None,
            actual_unit="",
        ).status
        == "no_data"
    )
    assert (
        judge(
            comparator=Comparator.QUALITATIVE,
            target=None,
            target_unit="",
            actual=None,
            actual_unit="",
        ).status
        == "qualitative"
    )

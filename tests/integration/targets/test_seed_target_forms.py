"""The three seed target forms are held completely: every indicator, every 指标值 exactly."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from targets.models import IndicatorLevel
from targets.selectors import target_form_tree

pytestmark = pytest.mark.django_db

D = Decimal
L1, L2, TASK, L3 = (
    IndicatorLevel.LEVEL1,
    IndicatorLevel.LEVEL2,
    IndicatorLevel.KEY_TASK,
    IndicatorLevel.LEVEL3,
)


# Counted in the seed text:
# 000 Tianjin: 产出 (数量 5, 质量 2, 时效 3, 成本 3) + 效益 (经济 2, 社会 2, 可持续 1) + 满意度 1.
# 002 Shanghai: 投入和管理目标 2 + 产出目标 2 + 效果目标 2 + 影响力目标 1, no 二级 column.
# 003 Suzhou: 决策 6 + 过程 26 + 履职 10 (5 duties, 10 重点工作) + 效益 2 + 满意度 1; the
#     二级 groups 经济效益, 生态效益, 可持续影响 are empty on the form.
@pytest.mark.parametrize(
    ("code", "counts"),
    [
        ("tianjin-2020", {L1: 3, L2: 8, TASK: 0, L3: 19}),
        ("shanghai-2019", {L1: 4, L2: 0, TASK: 0, L3: 7}),
        ("suzhou-2023", {L1: 5, L2: 19, TASK: 10, L3: 45}),
    ],
)
def test_indicator_counts_per_level_match_the_seed(
    code: str, counts: dict[str, int]
) -> None:
    tree = target_form_tree(code=code)
    assert {level: tree.count(level) for level in counts} == counts


@pytest.mark.parametrize(
    ("code", "seed"),
    [("tianjin-2020", "000"), ("shanghai-2019", "002"), ("suzhou-2023", "003")],
)
def test_every_target_value_text_is_verbatim_from_the_seed(
    code: str, seed: str, seed_text: Callable[[str], str]
) -> None:
    text = seed_text(seed)
    tree = target_form_tree(code=code)
    values = [i.value_text for i in tree.leaves] + [
        i.half_year_text for i in tree.leaves
    ]
    missing = [v for v in values if v and v not in text]
    assert missing == []
    assert all(i.value_text for i in tree.leaves)


def _leaf(code: str, name: str) -> tuple[str, str, Decimal | None, str, str]:
    tree = target_form_tree(code=code)
    leaf = next(i for i in tree.leaves if i.name == name)
    return (
        leaf.value_text,
        leaf.value_comparator,
        leaf.value_number,
        leaf.value_unit,
        leaf.half_year_text,
    )


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("tianjin-2020", "设置坐席数", ("560 个", "=", D("560"), "个", "")),
        ("tianjin-2020", "录用合同制员工人数", ("1030 人", "=", D("1030"), "人", "")),
        ("tianjin-2020", "接通率", ("大于 90%", ">", D("90"), "%", "")),
        ("tianjin-2020", "中继线开通率", ("100%", "=", D("100"), "%", "")),
        ("tianjin-2020", "运营成本", ("9878.2万", "=", D("9878.2"), "万元", "")),
        ("tianjin-2020", "群众对坐席满意率", ("大于 80%", ">", D("80"), "%", "")),
        ("tianjin-2020", "群众咨询成本", ("显著降低", "定性", None, "", "")),
        (
            "shanghai-2019",
            "12345热线回访市民满意度",
            ("94.90%", "=", D("94.90"), "%", ""),
        ),
        (
            "shanghai-2019",
            "热线经费使用的合理性和有效性",
            ("合理、有效", "定性", None, "", ""),
        ),
        (
            "suzhou-2023",
            "劳动合同制座席人员数量",
            ("≤114人", "≤", D("114"), "人", "≤114人"),
        ),
        ("suzhou-2023", "预算执行率", ("=100%", "=", D("100"), "%", "=38%")),
        ("suzhou-2023", "完善标准体系", ("=1项", "=", D("1"), "项", "=0项")),
        ("suzhou-2023", "企业群众满意度", ("≥80%", "≥", D("80"), "%", "≥80%")),
        ("suzhou-2023", "“三公经费”变动率", ("≤0%", "≤", D("0"), "%", "≤0%")),
    ],
)
def test_target_values_are_parsed_into_comparator_number_and_unit(
    code: str, name: str, expected: tuple[str, str, Decimal | None, str, str]
) -> None:
    assert _leaf(code, name) == expected


def test_half_year_value_is_parsed_separately_from_the_full_year() -> None:
    tree = target_form_tree(code="suzhou-2023")
    rate = next(i for i in tree.leaves if i.name == "预算执行率")
    assert (rate.half_year_comparator, rate.half_year_number, rate.half_year_unit) == (
        "=",
        D("38"),
        "%",
    )
    assert (rate.value_comparator, rate.value_number) == ("=", D("100"))


def test_department_form_groups_key_tasks_under_duties() -> None:
    tree = target_form_tree(code="suzhou-2023")
    performance = next(node for node in tree.roots if node.indicator.name == "履职")
    assert len(performance.children) == 5
    first_duty = performance.children[0]
    assert [task.indicator.name for task in first_duty.children] == [
        "座席人员日常管理",
        "标准化建设与标准体系优化升级完善",
        "“12345”热线话务稳定运行",
    ]
    assert first_duty.children[0].children[0].indicator.name == "劳动合同制座席人员数量"


def test_ocr_corrections_keep_the_printed_original_and_are_listed_in_the_notes() -> (
    None
):
    tree = target_form_tree(code="tianjin-2020")
    seats = next(i for i in tree.leaves if i.name == "设置坐席数")
    assert seats.source_text == "设置坐席ま数"
    assert "设置坐席ま数" in tree.form.source_notes
    assert tree.form.funds_total == D("10000.0")


def test_every_seed_indicator_references_the_indicator_library() -> None:
    for code in ("tianjin-2020", "shanghai-2019", "suzhou-2023"):
        tree = target_form_tree(code=code)
        assert [i.name for i in tree.leaves if i.library_indicator is None] == [], code


def test_one_name_under_three_level2_groups_matches_three_library_indicators() -> None:
    # seed 000 names "租赁中继线路、专线链路" under 数量, 时效 and 成本 alike
    tree = target_form_tree(code="tianjin-2020")
    matches = [
        (leaf.parent.name, leaf.library_indicator.code)
        for leaf in tree.leaves
        if leaf.name == "租赁中继线路、专线链路"
        and leaf.parent
        and leaf.library_indicator
    ]
    assert matches == [
        ("数量指标", "trunk-line-count"),
        ("时效指标", "trunk-line-lease-deadline"),
        ("成本指标", "trunk-line-lease-cost"),
    ]
    answer_rate = next(leaf for leaf in tree.leaves if leaf.name == "接通率")
    assert answer_rate.library_indicator is not None
    assert answer_rate.library_indicator.code == "call-answer-rate"
    assert answer_rate.library_indicator.standard_value == Decimal("95")

from __future__ import annotations

from decimal import Decimal

import pytest

from evaluations.scoring import (
    Flag,
    FlagKind,
    GradeBand,
    LeafInput,
    LeafResult,
    NodeInput,
    NodeResult,
    Rule,
    ScoringError,
    score_tree,
)

D = Decimal


def judged(key: str, weight: str, score: str | None) -> LeafInput:
    return LeafInput(
        key=key,
        name=key,
        weight=D(weight),
        rule=Rule.judgment(),
        evaluator_score=None if score is None else D(score),
        reason="依据评分细则",
    )


def not_applicable(key: str, weight: str) -> LeafInput:
    return LeafInput(
        key=key, name=key, weight=D(weight), rule=Rule.judgment(), applicable=False
    )


def node(key: str, weight: str, *children: NodeInput | LeafInput) -> NodeInput:
    return NodeInput(key=key, name=key, weight=D(weight), children=children)


# --- Tianjin 2020 (表 2): 17/23/38/22 → 15/19.50/38/19.87 = 92.37, 优 -----------

TIANJIN = (
    node("决策", "17", judged("决策得分", "17", "15")),
    node("过程", "23", judged("过程得分", "23", "19.5")),
    node("产出", "38", judged("产出得分", "38", "38")),
    node("效益", "22", judged("效益得分", "22", "19.87")),
)


def test_tianjin_rolls_up_to_92_37_and_grade_excellent() -> None:
    result = score_tree(TIANJIN, published_total=D("92.37"))
    assert result.total == D("92.37")
    assert result.grade == "优"
    assert result.rate == D("92.37")
    assert result.flags == ()
    assert result.complete is True


def test_tianjin_first_level_scores_and_rates_match_table_2() -> None:
    result = score_tree(TIANJIN)
    rows = [
        (item.key, item.weight, item.score, item.rate)
        for item in result.nodes
        if isinstance(item, NodeResult)
    ]
    assert rows == [
        ("决策", D(17), D("15.00"), D("88.24")),
        ("过程", D(23), D("19.50"), D("84.78")),
        ("产出", D(38), D("38.00"), D("100.00")),
        ("效益", D(22), D("19.87"), D("90.32")),
    ]


def test_a_published_total_that_differs_is_flagged() -> None:
    result = score_tree(TIANJIN, published_total=D("92.40"))
    assert result.flags == (
        Flag(
            None,
            FlagKind.PUBLISHED_TOTAL_MISMATCH,
            "公布（填报）的总分 92.40 分与计算总分 92.37 分不一致。",
        ),
    )


# --- Panjin 2023: 6/24/40/30, 9 二级, 16 三级, every leaf full → 100, 优 ------------


def checked(key: str, weight: str) -> LeafInput:
    return LeafInput(
        key=key,
        name=key,
        weight=D(weight),
        rule=Rule.checklist([(key, D(weight))]),
        satisfied_points=(0,),
    )


def measured(
    key: str, weight: str, target: str, actual: str, rule: Rule | None = None
) -> LeafInput:
    return LeafInput(
        key=key,
        name=key,
        weight=D(weight),
        rule=rule or Rule.positive(),
        target=D(target),
        actual=D(actual),
    )


PANJIN = (
    node(
        "决策",
        "6",
        node(
            "项目立项",
            "2",
            checked("立项依据充分性", "1"),
            checked("立项程序规范性", "1"),
        ),
        node(
            "绩效目标",
            "2",
            checked("绩效目标合理性", "1"),
            checked("绩效指标明确性", "1"),
        ),
        node(
            "资金安排",
            "2",
            checked("预算编制科学性", "1"),
            checked("资金分配合理性", "1"),
        ),
    ),
    node(
        "管理",
        "24",
        node(
            "业务管理",
            "2",
            checked("管理制度健全性", "1"),
            checked("制度执行有效性", "1"),
        ),
        node(
            "预算管理",
            "22",
            measured("预算执行率", "20", "100", "100", Rule.proportional()),
            checked("资金使用合规性", "2"),
        ),
    ),
    node(
        "产出",
        "40",
        node(
            "产出数量",
            "20",
            measured("平台人员数量", "10", "52", "52"),
            measured("话务接通率", "10", "80", "98.01"),
        ),
        node(
            "产出质量",
            "20",
            measured("话务好评率", "10", "80", "98.33"),
            measured("话务直接办复率", "10", "60", "75.53"),
        ),
    ),
    node(
        "效益",
        "30",
        node(
            "社会效益",
            "15",
            measured("解决企业群众非紧急类民生诉求", "15", "90", "99.88"),
        ),
        node("可持续影响", "15", measured("保障水平", "15", "80", "91.43")),
    ),
)


def test_panjin_every_leaf_full_gives_100_and_grade_excellent() -> None:
    result = score_tree(PANJIN, published_total=D(100))
    assert (result.total, result.grade, result.rate) == (D("100.00"), "优", D("100.00"))
    assert result.flags == ()  # no rate is ≥ 130% of its target
    assert [
        (n.key, n.score, n.rate) for n in result.nodes if isinstance(n, NodeResult)
    ] == [
        ("决策", D(6), D(100)),
        ("管理", D(24), D(100)),
        ("产出", D(40), D(100)),
        ("效益", D(30), D(100)),
    ]


def test_panjin_framework_has_nine_second_and_sixteen_third_level_indicators() -> None:
    result = score_tree(PANJIN)
    second = [c for n in result.nodes if isinstance(n, NodeResult) for c in n.children]
    assert len(second) == 9
    assert len(result.leaves()) == 16
    assert all(leaf.rate == D(100) for leaf in result.leaves())


def test_panjin_leaf_rules_score_each_indicator() -> None:
    result = score_tree(PANJIN)
    scores = {leaf.key: leaf.computed_score for leaf in result.leaves()}
    assert scores["预算执行率"] == D("20.00")
    assert scores["平台人员数量"] == D("10.00")
    assert scores["话务接通率"] == D("10.00")
    assert scores["保障水平"] == D("15.00")


def test_find_returns_a_node_or_leaf_by_key() -> None:
    result = score_tree(PANJIN)
    budget = result.find("预算管理")
    assert isinstance(budget, NodeResult)
    assert (budget.score, budget.rate) == (D("22.00"), D("100.00"))
    assert isinstance(result.find("话务接通率"), LeafResult)
    with pytest.raises(KeyError):
        result.find("没有这个指标")


# --- not applicable: re-scaled, flagged ---------------------------------------


def test_not_applicable_weight_is_redistributed_by_rescaling() -> None:
    roots = (
        node("A", "50", judged("a1", "30", "30"), not_applicable("a2", "20")),
        node("B", "50", judged("b1", "50", "40")),
    )
    result = score_tree(roots)
    # (30 + 40) / (30 + 50) × 100
    assert (result.score, result.applicable_weight) == (D("70.00"), D(80))
    assert result.total == D("87.50")
    assert result.grade == "良"
    a = result.find("A")
    assert isinstance(a, NodeResult)
    assert (a.score, a.applicable_weight, a.rate) == (D("30.00"), D(30), D("100.00"))
    assert result.flags == (
        Flag(
            "a2",
            FlagKind.NOT_APPLICABLE,
            "「a2」不适用，其分值 20 分不计入，由其余适用指标按比例分摊"
            "（总分 = 适用指标得分合计 ÷ 适用指标分值合计 × 100）。",
        ),
    )


def test_rescaled_total_is_rounded_once() -> None:
    roots = (
        node("A", "40", judged("a1", "10", "7"), not_applicable("a2", "30")),
        node("B", "60", judged("b1", "60", "50")),
    )
    # 57 / 70 × 100 = 81.428… → 81.43
    assert score_tree(roots).total == D("81.43")


def test_node_with_nothing_applicable_has_no_rate() -> None:
    roots = (
        node("A", "20", not_applicable("a1", "20")),
        node("B", "80", judged("b1", "80", "72")),
    )
    result = score_tree(roots)
    a = result.find("A")
    assert isinstance(a, NodeResult)
    assert (a.score, a.rate) == (D(0), None)
    assert result.total == D("90.00")


def test_nothing_applicable_at_all_is_an_error() -> None:
    with pytest.raises(ScoringError):
        score_tree((node("A", "100", not_applicable("a1", "100")),))


# --- consistency flags --------------------------------------------------------


def test_children_weights_not_adding_up_are_flagged() -> None:
    roots = (
        node("A", "50", judged("a1", "30", "30"), judged("a2", "10", "10")),
        node("B", "50", judged("b1", "50", "50")),
    )
    result = score_tree(roots)
    assert result.flags == (
        Flag(
            "A",
            FlagKind.WEIGHTS_MISMATCH,
            "「A」下级指标分值合计 40 分，与其分值 50 分不一致。",
        ),
    )
    assert result.total == D("90.00")  # the leaves' sum, not re-scaled


def test_first_level_weights_not_adding_up_to_total_are_flagged() -> None:
    result = score_tree((node("A", "90", judged("a1", "90", "80")),))
    assert result.flags == (
        Flag(
            None,
            FlagKind.WEIGHTS_MISMATCH,
            "一级指标分值合计 90 分，与满分 100 分不一致。",
        ),
    )


def test_node_score_above_its_weight_is_flagged() -> None:
    roots = (
        node("A", "40", judged("a1", "30", "30"), judged("a2", "20", "20")),
        node("B", "60", judged("b1", "50", "50")),
    )
    result = score_tree(roots)
    assert [flag.kind for flag in result.flags] == [
        FlagKind.WEIGHTS_MISMATCH,
        FlagKind.ABOVE_WEIGHT,
        FlagKind.WEIGHTS_MISMATCH,
    ]
    assert result.flags[1].message == "「A」得分 50.00 分超过分值 40 分。"


def test_leaf_flags_are_collected_in_tree_order() -> None:
    roots = (
        node("A", "50", judged("a1", "50", None)),
        node("B", "50", LeafInput("b1", "b1", D(50), Rule.positive(), target=D(5))),
    )
    result = score_tree(roots)
    assert [(f.indicator, f.kind) for f in result.flags] == [
        ("a1", FlagKind.SCORE_MISSING),
        ("b1", FlagKind.MISSING_ACTUAL),
    ]


def test_unscored_leaves_count_as_zero_and_mark_the_result_incomplete() -> None:
    roots = (
        node("A", "50", judged("a1", "50", None)),
        node("B", "50", judged("b1", "50", "45")),
    )
    result = score_tree(roots)
    assert (result.total, result.complete, result.grade) == (D("45.00"), False, "差")


def test_total_weight_and_grade_bands_are_configurable() -> None:
    roots = (node("A", "6", judged("a1", "6", "5")), judged("b", "4", "3.5"))
    bands = (GradeBand("合格", D(6)), GradeBand("不合格", D(0)))
    result = score_tree(roots, total_weight=D(10), grade_bands=bands)
    assert (result.total, result.rate, result.grade) == (D("8.50"), D("85.00"), "合格")


def test_over_achievement_ratio_reaches_the_leaves() -> None:
    roots = (node("A", "100", measured("接通率", "100", "80", "98.01")),)
    assert score_tree(roots).flags == ()
    strict = score_tree(roots, over_achievement_ratio=D("1.2"))
    assert [flag.kind for flag in strict.flags] == [FlagKind.OVER_ACHIEVEMENT]


@pytest.mark.parametrize(
    "roots",
    [
        (),
        (judged("a", "50", "50"), judged("a", "50", "50")),  # duplicate key
        (node("A", "100", judged("A", "100", "90")),),
    ],
)
def test_malformed_trees_are_rejected(roots: tuple[NodeInput | LeafInput, ...]) -> None:
    with pytest.raises(ScoringError):
        score_tree(roots)


def test_a_node_needs_children() -> None:
    with pytest.raises(ScoringError):
        NodeInput(key="A", name="A", weight=D(10), children=())

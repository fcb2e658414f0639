from __future__ import annotations

from decimal import Decimal

import pytest

from evaluations.scoring import (
    ChecklistPoint,
    Direction,
    LadderSpec,
    PartialStep,
    QualitativeTier,
    Rule,
    RuleKind,
    ScoringError,
    checklist_score,
    equal_score,
    ladder_score,
    positive_score,
    proportional_score,
    reverse_system_score,
    reverse_template_score,
    score_within_tier,
)

D = Decimal


@pytest.mark.parametrize(
    ("weight", "target", "actual", "expected"),
    [
        ("10", "80", "98.01", "10.00"),  # Panjin 话务接通率: met, above target
        ("10", "80", "80", "10.00"),  # exactly met
        ("10", "52", "52", "10.00"),  # Panjin 平台人员数量
        ("10", "80", "60", "7.50"),  # pro rata
        ("10", "3", "1", "3.33"),
        ("10", "3", "2", "6.67"),
        ("10", "400", "1", "0.03"),  # 0.025 rounds half-up
        ("10", "80", "0", "0.00"),  # actual 0
        ("10", "80", "-5", "0.00"),  # a negative actual never scores below 0
        ("10", "0", "0", "10.00"),  # target 0 is met by any actual ≥ 0
        ("0", "80", "60", "0.00"),  # a weight of 0 scores 0
    ],
)
def test_positive_rule_scores_full_when_met_else_pro_rata(
    weight: str, target: str, actual: str, expected: str
) -> None:
    assert str(positive_score(D(weight), D(target), D(actual))) == expected


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("5", "8", "6.25"),  # 5 / 8 × 10
        ("5", "10", "5.00"),  # still half the weight at twice the target
        ("5", "15", "3.33"),
        ("5", "5", "10.00"),  # met
        ("5", "0", "10.00"),  # actual 0 is the best possible
        ("0", "0", "10.00"),
        ("0", "1", "0.00"),  # target 0 missed
    ],
)
def test_reverse_template_rule_scores_target_over_actual(
    target: str, actual: str, expected: str
) -> None:
    assert str(reverse_template_score(D(10), D(target), D(actual))) == expected


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("5", "6", "8.00"),  # (1 − 1/5) × 10
        ("3", "4", "6.67"),  # (1 − 1/3) × 10
        ("5", "9.99", "0.02"),
        ("5", "10", "0.00"),  # zero at twice the target
        ("5", "12", "0.00"),  # and beyond
        ("5", "4", "10.00"),  # met
        ("5", "0", "10.00"),
        ("0", "0", "10.00"),
        ("0", "0.01", "0.00"),  # target 0 missed
    ],
)
def test_reverse_system_rule_falls_linearly_to_zero(
    target: str, actual: str, expected: str
) -> None:
    assert str(reverse_system_score(D(10), D(target), D(actual))) == expected


def test_reverse_system_rule_scores_zero_at_twice_target() -> None:
    assert reverse_system_score(D(10), D(20), D(40)) == D(0)


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("0", "0", "10.00"),  # "安全事故 = 0 起" kept
        ("0", "-1", "10.00"),
        ("0", "1", "0.00"),  # one incident loses everything
        ("100", "100", "10.00"),  # otherwise as 正向
        ("100", "95", "9.50"),
        ("100", "120", "10.00"),
        ("100", "0", "0.00"),
    ],
)
def test_equal_rule_is_all_or_nothing_at_target_zero_else_positive(
    target: str, actual: str, expected: str
) -> None:
    assert str(equal_score(D(10), D(target), D(actual))) == expected


@pytest.mark.parametrize(
    ("weight", "actual", "expected"),
    [
        ("20", "99.86", "19.97"),  # Tianjin 预算执行率: 20 × 99.86% = 19.972
        ("20", "100", "20.00"),  # Panjin 预算执行率
        ("20", "100.45", "20.00"),  # capped at the weight
        ("20", "99.825", "19.97"),  # 19.965 rounds half-up
        ("20", "50", "10.00"),
        ("20", "0", "0.00"),
        ("20", "-3", "0.00"),
    ],
)
def test_proportional_rule_scores_weight_times_rate_capped(
    weight: str, actual: str, expected: str
) -> None:
    assert str(proportional_score(D(weight), D(actual))) == expected


FUNDS_IN_PLACE = LadderSpec(full_at=D(100), step=D(10), deduct=D(1))
"""到位率100%得5分，每少10个百分点以内扣1分，扣完为止."""


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("100", "5.00"),
        ("100.5", "5.00"),
        ("99.99", "4.00"),  # any shortfall inside a step costs a point
        ("95", "4.00"),
        ("90", "4.00"),  # exactly one step
        ("89.99", "3.00"),
        ("60", "1.00"),
        ("50", "0.00"),
        ("0", "0.00"),  # 扣完为止: never below 0
    ],
)
def test_ladder_rule_with_ceiling_deducts_for_any_part_of_a_step(
    actual: str, expected: str
) -> None:
    assert str(ladder_score(D(5), D(actual), FUNDS_IN_PLACE)) == expected


@pytest.mark.parametrize(
    ("partial_step", "actual", "expected"),
    [
        # 达到90%以上得15分，每少1个百分点扣1分
        (PartialStep.CEIL, "90", "15.00"),
        (PartialStep.CEIL, "89", "14.00"),
        (PartialStep.CEIL, "88.5", "13.00"),
        (PartialStep.FLOOR, "88.5", "14.00"),
        (PartialStep.FLOOR, "89.99", "15.00"),
        (PartialStep.FLOOR, "89", "14.00"),
        (PartialStep.LINEAR, "88.5", "13.50"),
        (PartialStep.LINEAR, "89.995", "15.00"),  # 14.995 rounds half-up
        (PartialStep.LINEAR, "70", "0.00"),
        (PartialStep.CEIL, "74.5", "0.00"),
    ],
)
def test_ladder_rule_counts_partial_steps_as_configured(
    partial_step: PartialStep, actual: str, expected: str
) -> None:
    spec = LadderSpec(full_at=D(90), step=D(1), deduct=D(1), partial_step=partial_step)
    assert str(ladder_score(D(15), D(actual), spec)) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("2", "5.00"), ("1", "5.00"), ("2.3", "4.00"), ("3", "3.00"), ("10", "0.00")],
)
def test_lower_is_better_ladder_deducts_for_each_step_above(
    actual: str, expected: str
) -> None:
    # 投诉率 ≤ 2%，每超0.5个百分点（以内）扣1分
    spec = LadderSpec(
        full_at=D(2),
        step=D("0.5"),
        deduct=D(1),
        direction=Direction.LOWER_IS_BETTER,
    )
    assert str(ladder_score(D(5), D(actual), spec)) == expected


FIVE_REVIEW_POINTS = tuple(
    ChecklistPoint(label, D("0.2"))
    for label in (
        "符合法律法规",
        "符合发展规划",
        "符合部门职责",
        "属于公共财政",
        "未重复",
    )
)


@pytest.mark.parametrize(
    ("satisfied", "expected"),
    [
        ((0, 1, 2, 3, 4), "1.00"),
        ((0, 1, 2), "0.60"),
        ((), "0.00"),
        ((0, 0), "0.20"),  # a repeated index counts once
    ],
)
def test_checklist_rule_sums_the_satisfied_review_points(
    satisfied: tuple[int, ...], expected: str
) -> None:
    assert str(checklist_score(D(1), FIVE_REVIEW_POINTS, satisfied)) == expected


def test_checklist_rule_caps_points_above_the_weight() -> None:
    points = (ChecklistPoint("a", D(3)), ChecklistPoint("b", D(3)))
    assert checklist_score(D(5), points, (0, 1)) == D("5.00")


def test_checklist_rule_rejects_an_unknown_review_point() -> None:
    with pytest.raises(ScoringError):
        checklist_score(D(1), FIVE_REVIEW_POINTS, (5,))


DEFAULT_TIERS = Rule.qualitative().qualitative_tiers
LOOSE_TIERS = Rule.qualitative(thresholds=(D(80), D(50))).qualitative_tiers


@pytest.mark.parametrize(
    ("tiers", "tier_index", "score", "inside"),
    [
        (DEFAULT_TIERS, 0, "10", True),  # 达成 [80%, 100%]
        (DEFAULT_TIERS, 0, "8", True),
        (DEFAULT_TIERS, 0, "7.99", False),
        (DEFAULT_TIERS, 1, "7.99", True),  # 部分达成 [60%, 80%)
        (DEFAULT_TIERS, 1, "8", False),
        (DEFAULT_TIERS, 1, "6", True),
        (DEFAULT_TIERS, 1, "5.99", False),
        (DEFAULT_TIERS, 2, "0", True),  # 未达成 [0, 60%)
        (DEFAULT_TIERS, 2, "5.99", True),
        (DEFAULT_TIERS, 2, "6", False),
        (LOOSE_TIERS, 1, "5", True),  # 80/50 templates
        (LOOSE_TIERS, 1, "4.99", False),
        (LOOSE_TIERS, 2, "4.99", True),
    ],
)
def test_qualitative_score_must_lie_in_the_chosen_tiers_band(
    tiers: tuple[QualitativeTier, ...], tier_index: int, score: str, inside: bool
) -> None:
    assert score_within_tier(D(10), tiers[tier_index], D(score)) is inside


def test_qualitative_tiers_default_to_80_60_with_standard_names() -> None:
    tiers = Rule.qualitative().qualitative_tiers
    assert tiers == (
        QualitativeTier("达成", D(80), D(100), includes_maximum=True),
        QualitativeTier("部分达成", D(60), D(80), includes_maximum=False),
        QualitativeTier("未达成", D(0), D(60), includes_maximum=False),
    )


def test_rule_parameters_may_come_from_json_as_strings() -> None:
    from_json = Rule(
        "ladder",  # type: ignore[arg-type]
        {"full_at": "100", "step": "10", "deduct": 1, "partial_step": "ceil"},
    )
    assert from_json.kind is RuleKind.LADDER
    assert from_json.ladder_spec == FUNDS_IN_PLACE
    assert (
        from_json.ladder_spec
        == Rule.ladder(full_at=D(100), step=D(10), deduct=D(1)).ladder_spec
    )


def test_checklist_points_may_be_pairs_or_mappings() -> None:
    rule = Rule(
        RuleKind.CHECKLIST,
        {"points": [("依据充分", "0.5"), {"label": "程序规范", "points": "0.5"}]},
    )
    assert rule.checklist_points == (
        ChecklistPoint("依据充分", D("0.5")),
        ChecklistPoint("程序规范", D("0.5")),
    )


def test_rule_parameters_are_read_only_after_validation() -> None:
    params: dict[str, object] = {"full_at": "100", "step": "10", "deduct": "1"}
    rule = Rule(RuleKind.LADDER, params)
    params["step"] = "0"
    assert rule.ladder_spec.step == D(10)
    with pytest.raises(TypeError):
        rule.params["step"] = "0"  # type: ignore[index]


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("no_such_kind", {}),
        (RuleKind.POSITIVE, {"ratio": "1.3"}),  # takes no parameters
        (RuleKind.LADDER, {"step": "10", "deduct": "1"}),  # full_at missing
        (RuleKind.LADDER, {"full_at": "100", "step": "0", "deduct": "1"}),
        (RuleKind.LADDER, {"full_at": "100", "step": "10", "deduct": "-1"}),
        (RuleKind.LADDER, {"full_at": 100.0, "step": "10", "deduct": "1"}),  # float
        (RuleKind.LADDER, {"full_at": True, "step": "10", "deduct": "1"}),
        (RuleKind.LADDER, {"full_at": "abc", "step": "10", "deduct": "1"}),
        (RuleKind.LADDER, {"full_at": "NaN", "step": "10", "deduct": "1"}),
        (
            RuleKind.LADDER,
            {"full_at": "100", "step": "10", "deduct": "1", "partial_step": "round"},
        ),
        (RuleKind.CHECKLIST, {"points": []}),
        (RuleKind.CHECKLIST, {"points": [("", "1")]}),
        (RuleKind.CHECKLIST, {"points": [("a", "0")]}),
        (RuleKind.CHECKLIST, {"points": ["a"]}),
        (RuleKind.QUALITATIVE, {"thresholds": ("50", "80")}),  # low above high
        (RuleKind.QUALITATIVE, {"thresholds": ("80",)}),
        (RuleKind.QUALITATIVE, {"tier_names": ("达成", "达成", "未达成")}),
    ],
)
def test_invalid_rule_parameters_are_rejected(
    kind: str, params: dict[str, object]
) -> None:
    with pytest.raises(ScoringError):
        Rule(kind, params)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "score",
    [positive_score, reverse_template_score, reverse_system_score, equal_score],
)
def test_rules_comparing_with_a_target_reject_a_negative_target(score: object) -> None:
    with pytest.raises(ScoringError):
        score(D(10), D(-1), D(0))  # type: ignore[operator]


@pytest.mark.parametrize(
    ("kind", "label", "needs_target", "needs_actual", "needs_evaluator"),
    [
        (RuleKind.POSITIVE, "正向", True, True, False),
        (RuleKind.REVERSE_SYSTEM, "反向（系统）", True, True, False),
        (RuleKind.PROPORTIONAL, "比例", False, True, False),
        (RuleKind.LADDER, "阶梯扣分", False, True, False),
        (RuleKind.CHECKLIST, "清单", False, False, False),
        (RuleKind.QUALITATIVE, "定性", False, False, True),
        (RuleKind.JUDGMENT, "评价人打分", False, False, True),
    ],
)
def test_rule_kinds_describe_what_they_need(
    kind: RuleKind,
    label: str,
    needs_target: bool,
    needs_actual: bool,
    needs_evaluator: bool,
) -> None:
    assert kind.label == label
    assert kind.needs_target is needs_target
    assert kind.needs_actual is needs_actual
    assert kind.needs_evaluator is needs_evaluator

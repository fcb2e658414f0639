from __future__ import annotations

from decimal import Decimal

import pytest

from evaluations.scoring import (
    ChecklistPoint,
    Flag,
    FlagKind,
    LeafInput,
    LeafResult,
    Rule,
    ScoringError,
    score_leaf,
)

D = Decimal


def leaf(rule: Rule | None = None, **fields: object) -> LeafInput:
    values: dict[str, object] = {
        "key": "connect_rate",
        "name": "话务接通率",
        "weight": D(10),
        "rule": rule or Rule.positive(),
    }
    values.update(fields)
    return LeafInput(**values)  # type: ignore[arg-type]


def kinds(result: LeafResult) -> list[FlagKind]:
    return [flag.kind for flag in result.flags]


def test_computed_score_becomes_the_final_score_without_evaluator() -> None:
    result = score_leaf(leaf(target=D(80), actual=D("98.01")))
    assert result == LeafResult(
        key="connect_rate",
        weight=D(10),
        computed_score=D("10.00"),
        final_score=D("10.00"),
        flags=(),
        name="话务接通率",
        rate=D("100.00"),
        applicable=True,
        over_achieved=False,
    )


def test_leaf_rate_is_final_score_over_weight_in_percent() -> None:
    result = score_leaf(leaf(target=D(80), actual=D(60)))
    assert (result.final_score, result.rate) == (D("7.50"), D("75.00"))


def test_evaluator_score_with_reason_overrides_and_both_are_kept() -> None:
    result = score_leaf(
        leaf(target=D(80), actual=D(60), evaluator_score=D(7), reason="数据口径不一致")
    )
    assert (result.computed_score, result.final_score) == (D("7.50"), D("7.00"))
    assert result.flags == ()


def test_evaluator_score_differing_without_reason_is_flagged() -> None:
    result = score_leaf(leaf(target=D(80), actual=D(60), evaluator_score=D(7)))
    assert result.final_score == D("7.00")
    assert result.flags == (
        Flag(
            "connect_rate",
            FlagKind.REASON_MISSING,
            "「话务接通率」评价人评分 7.00 分与计算得分 7.50 分不一致，须填写调整理由。",
        ),
    )


def test_evaluator_score_equal_to_computed_needs_no_reason() -> None:
    result = score_leaf(leaf(target=D(80), actual=D(60), evaluator_score=D("7.5")))
    assert result.flags == ()


def test_evaluator_score_is_rounded_half_up_to_two_places() -> None:
    result = score_leaf(
        leaf(rule=Rule.judgment(), evaluator_score=D("8.125"), reason="依据充分")
    )
    assert str(result.final_score) == "8.13"
    assert result.computed_score is None


def test_judgment_without_score_is_flagged_as_missing() -> None:
    result = score_leaf(leaf(rule=Rule.judgment()))
    assert (result.computed_score, result.final_score, result.rate) == (
        None,
        None,
        None,
    )
    assert result.flags == (
        Flag(
            "connect_rate", FlagKind.SCORE_MISSING, "「话务接通率」尚未由评价人评分。"
        ),
    )


def test_judgment_score_always_needs_a_written_reason() -> None:
    result = score_leaf(leaf(rule=Rule.judgment(), evaluator_score=D(10)))
    assert result.final_score == D("10.00")
    assert result.flags == (
        Flag(
            "connect_rate",
            FlagKind.REASON_MISSING,
            "「话务接通率」由评价人评分，须填写评分理由。",
        ),
    )


@pytest.mark.parametrize(
    ("entered", "final", "kind"),
    [
        ("12", "10", FlagKind.ABOVE_WEIGHT),
        ("10.001", "10.00", None),  # rounds to the weight: no flag
        ("-1", "0.00", FlagKind.BELOW_ZERO),
    ],
)
def test_evaluator_score_is_capped_to_the_weight_and_flagged(
    entered: str, final: str, kind: FlagKind | None
) -> None:
    result = score_leaf(
        leaf(rule=Rule.judgment(), evaluator_score=D(entered), reason="现场核查")
    )
    assert result.final_score == D(final)
    assert kinds(result) == ([kind] if kind else [])


def test_missing_actual_leaves_the_score_open_and_is_flagged() -> None:
    result = score_leaf(leaf(target=D(80)))
    assert (result.computed_score, result.final_score) == (None, None)
    assert result.flags == (
        Flag(
            "connect_rate",
            FlagKind.MISSING_ACTUAL,
            "「话务接通率」缺少实际完成值，无法计算得分。",
        ),
    )


def test_missing_actual_with_evaluator_score_and_reason_is_resolved() -> None:
    result = score_leaf(
        leaf(target=D(80), evaluator_score=D(0), reason="未提供接通率数据，不得分")
    )
    assert (result.computed_score, result.final_score) == (None, D("0.00"))
    assert result.flags == ()


def test_missing_target_is_flagged() -> None:
    result = score_leaf(leaf(actual=D(90)))
    assert kinds(result) == [FlagKind.MISSING_TARGET]
    assert result.final_score is None


def test_missing_actual_for_proportional_rule_is_flagged() -> None:
    result = score_leaf(leaf(rule=Rule.proportional(), weight=D(20)))
    assert kinds(result) == [FlagKind.MISSING_ACTUAL]


@pytest.mark.parametrize(
    ("rule", "target", "actual", "over"),
    [
        (Rule.positive(), "80", "104", True),  # exactly 130%
        (Rule.positive(), "80", "103.99", False),
        (Rule.positive(), "80", "98.01", False),  # Panjin 接通率: 122.5%
        (Rule.positive(), "0", "50", False),  # no ratio to a zero target
        (Rule.equal(), "100", "130", True),
        (Rule.proportional(), "100", "130", True),
        (Rule.reverse_template(), "5", "3.84", True),  # 3.84 × 1.3 ≤ 5
        (Rule.reverse_system(), "5", "3.85", False),
        (Rule.reverse_system(), "5", "0", True),
        (Rule.ladder(full_at=D(90), step=D(1), deduct=D(1)), "90", "117", True),
    ],
)
def test_over_achievement_is_flagged_when_actual_is_far_beyond_target(
    rule: Rule, target: str, actual: str, over: bool
) -> None:
    result = score_leaf(leaf(rule=rule, target=D(target), actual=D(actual)))
    assert result.over_achieved is over
    assert kinds(result) == ([FlagKind.OVER_ACHIEVEMENT] if over else [])


def test_over_achievement_message_asks_for_an_explanation() -> None:
    result = score_leaf(leaf(target=D(52), actual=D(70)))
    assert result.flags == (
        Flag(
            "connect_rate",
            FlagKind.OVER_ACHIEVEMENT,
            "「话务接通率」实际完成值 70 达到目标值 52 的 130% 及以上，"
            "目标可能设置偏低，须填写说明。",
        ),
    )


def test_over_achievement_explained_keeps_the_mark_but_drops_the_flag() -> None:
    result = score_leaf(leaf(target=D(52), actual=D(70), reason="疫情期间临时扩充坐席"))
    assert result.over_achieved is True
    assert result.flags == ()
    assert result.final_score == D("10.00")


def test_over_achievement_ratio_is_configurable() -> None:
    strict = score_leaf(
        leaf(target=D(80), actual=D("98.01")), over_achievement_ratio=D("1.2")
    )
    assert kinds(strict) == [FlagKind.OVER_ACHIEVEMENT]


def test_over_achievement_ratio_must_exceed_one() -> None:
    with pytest.raises(ScoringError):
        score_leaf(leaf(target=D(80), actual=D(90)), over_achievement_ratio=D(1))


def test_not_applicable_leaf_has_no_score_and_no_flags_of_its_own() -> None:
    result = score_leaf(
        leaf(target=D(80), actual=D(200), evaluator_score=D(3), applicable=False)
    )
    assert result == LeafResult(
        key="connect_rate",
        weight=D(10),
        computed_score=None,
        final_score=None,
        flags=(),
        name="话务接通率",
        applicable=False,
    )


QUALITATIVE = Rule.qualitative()


def test_qualitative_score_inside_its_tier_is_accepted() -> None:
    result = score_leaf(
        leaf(
            rule=QUALITATIVE,
            tier="部分达成",
            evaluator_score=D("7.5"),
            reason="基本健全",
        )
    )
    assert (result.computed_score, result.final_score) == (None, D("7.50"))
    assert result.flags == ()


def test_qualitative_score_outside_its_tier_is_flagged() -> None:
    result = score_leaf(
        leaf(rule=QUALITATIVE, tier="达成", evaluator_score=D(7), reason="基本健全")
    )
    assert result.flags == (
        Flag(
            "connect_rate",
            FlagKind.SCORE_OUTSIDE_TIER,
            "「话务接通率」评分 7.00 分不在「达成」对应的得分区间（分值的 [80%, 100%]）内。",
        ),
    )


@pytest.mark.parametrize(
    ("tier", "score", "expected"),
    [
        (None, "9", [FlagKind.TIER_MISSING]),
        ("完成", "9", [FlagKind.INVALID_TIER]),
        ("达成", None, [FlagKind.SCORE_MISSING]),
    ],
)
def test_qualitative_rule_needs_both_a_tier_and_a_score(
    tier: str | None, score: str | None, expected: list[FlagKind]
) -> None:
    result = score_leaf(
        leaf(
            rule=QUALITATIVE,
            tier=tier,
            evaluator_score=None if score is None else D(score),
            reason="依据",
        )
    )
    assert kinds(result) == expected


def test_checklist_points_not_adding_up_to_the_weight_are_flagged() -> None:
    rule = Rule.checklist([ChecklistPoint("依据充分", D(1)), ("程序规范", D(1))])
    result = score_leaf(leaf(rule=rule, weight=D(3), satisfied_points=(0, 1)))
    assert result.final_score == D("2.00")
    assert result.flags == (
        Flag(
            "connect_rate",
            FlagKind.WEIGHTS_MISMATCH,
            "「话务接通率」各评分要点分值合计 2 分，与指标分值 3 分不一致。",
        ),
    )


def test_checklist_leaf_scores_without_actual_or_target() -> None:
    rule = Rule.checklist([("依据充分", D("0.5")), ("程序规范", D("0.5"))])
    result = score_leaf(leaf(rule=rule, weight=D(1), satisfied_points=(1,)))
    assert (result.computed_score, result.final_score, result.flags) == (
        D("0.50"),
        D("0.50"),
        (),
    )


@pytest.mark.parametrize("weight", ["-1", "1.005", "NaN"])
def test_leaf_weight_must_be_non_negative_with_two_decimals(weight: str) -> None:
    with pytest.raises(ScoringError):
        leaf(weight=D(weight))


def test_leaf_needs_a_key() -> None:
    with pytest.raises(ScoringError):
        leaf(key="")

"""Scoring one indicator (三级指标): rule, missing data, evaluator and flags.

``score_leaf`` applies the indicator's rule (``rules``) and then:

1. **Not applicable** (``applicable=False``): no score at all; the tree
   redistributes the weight and flags it (``tree``).
2. **Computed score**: the rule's score, rounded once to 2 places, or ``None``
   when the rule needs the evaluator (定性, 评价人打分) or its data is missing.
3. **Final score**: the evaluator's score when given (rounded half-up to 2 places
   and capped to ``[0, weight]``), otherwise the computed one. Both are kept.
4. **Flags**, each naming the indicator, in Chinese:

   - ``reason_missing``: the evaluator's score is not the computed one (or there
     is no computed one: every judgment needs a written reason) and ``reason`` is
     blank;
   - ``above_weight`` / ``below_zero``: the evaluator's score was outside
     ``[0, weight]`` and has been capped;
   - ``over_achievement`` (偏离度): ``actual ≥ ratio × target`` (reverse rules:
     ``actual × ratio ≤ target``), target > 0, and ``reason`` is blank — the
     target looks set too low, an explanation is mandatory (``over_achieved``
     stays true once explained);
   - ``missing_actual`` / ``missing_target`` / ``score_missing``: nothing to
     score with and no evaluator score;
   - ``tier_missing`` / ``invalid_tier`` / ``score_outside_tier``: qualitative
     tier problems;
   - ``weights_mismatch``: the checklist's points do not add up to the weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kernel.decimals import as_written
from kernel.rounding import ZERO, percent, quantize

from .errors import ScoringError
from .flags import Flag, FlagCode, FlagKind
from .rule_params import Direction
from .rules import (
    Rule,
    RuleKind,
    checklist_score,
    equal_score,
    ladder_score,
    positive_score,
    proportional_score,
    qualitative_tier,
    reverse_system_score,
    reverse_template_score,
    score_within_tier,
)

__all__ = [
    "DEFAULT_OVER_ACHIEVEMENT_RATIO",
    "LeafInput",
    "LeafResult",
    "check_weight",
    "is_over_achieved",
    "score_leaf",
]

DEFAULT_OVER_ACHIEVEMENT_RATIO = Decimal("1.3")
"""Actual ≥ 130% of the target counts as over-achievement (偏离度)."""


def check_weight(weight: Decimal, key: str) -> None:
    """Raise ``ScoringError`` unless the weight is ≥ 0 with at most 2 decimals.

    Two decimals at most keeps every capped, rounded score within the weight.
    """
    if not weight.is_finite() or weight < 0:
        raise ScoringError(f"{key}: weight must be a non-negative number")
    if quantize(weight) != weight:
        raise ScoringError(f"{key}: weight {weight} has more than 2 decimal places")


@dataclass(frozen=True)
class LeafInput:
    """One indicator to score, with what the evaluator entered.

    ``target`` and ``actual`` are in the indicator's unit (rates in percentage
    points). ``satisfied_points`` are 0-based indexes of a checklist's review
    points; ``tier`` is the chosen qualitative tier; ``evaluator_score`` overrides
    the computed score; ``reason`` is the written 得分依据 / explanation.
    """

    key: str
    name: str
    weight: Decimal
    rule: Rule
    target: Decimal | None = None
    actual: Decimal | None = None
    satisfied_points: tuple[int, ...] = ()
    tier: str | None = None
    evaluator_score: Decimal | None = None
    reason: str = ""
    applicable: bool = True

    def __post_init__(self) -> None:
        if not self.key:
            raise ScoringError("an indicator needs a key")
        check_weight(self.weight, self.key)


@dataclass(frozen=True)
class LeafResult:
    """The scored indicator.

    ``final_score`` is ``None`` only when there is nothing to score with (or the
    indicator is not applicable); ``rate`` (得分率) is ``final / weight`` in
    percent, 2 places, ``None`` without a final score or with a weight of 0.
    """

    key: str
    weight: Decimal
    computed_score: Decimal | None
    final_score: Decimal | None
    flags: tuple[Flag, ...]
    name: str = ""
    rate: Decimal | None = None
    applicable: bool = True
    over_achieved: bool = False


def is_over_achieved(
    kind: RuleKind,
    target: Decimal | None,
    actual: Decimal | None,
    ratio: Decimal,
    direction: Direction = Direction.HIGHER_IS_BETTER,
) -> bool:
    """Whether the actual value is far beyond a positive target (偏离度).

    Higher-is-better rules: ``actual ≥ ratio × target``; reverse rules and
    lower-is-better ladders mirror it: ``actual ≤ target / ratio`` (compared as
    ``actual × ratio ≤ target``, exactly). Never for a missing or zero target,
    nor for checklist, qualitative and judgment rules.
    """
    if target is None or actual is None or target <= 0:
        return False
    if kind in (RuleKind.REVERSE_TEMPLATE, RuleKind.REVERSE_SYSTEM) or (
        kind is RuleKind.LADDER and direction is Direction.LOWER_IS_BETTER
    ):
        return actual * ratio <= target
    if kind in (
        RuleKind.POSITIVE,
        RuleKind.EQUAL,
        RuleKind.PROPORTIONAL,
        RuleKind.LADDER,
    ):
        return actual >= ratio * target
    return False


def _compute(leaf: LeafInput) -> Decimal | None:
    """The rule's score, or ``None`` when it cannot be computed."""
    rule, weight, target, actual = leaf.rule, leaf.weight, leaf.target, leaf.actual
    kind = rule.kind
    if kind is RuleKind.CHECKLIST:
        return checklist_score(weight, rule.checklist_points, leaf.satisfied_points)
    if kind.needs_evaluator or actual is None:
        return None
    if kind is RuleKind.PROPORTIONAL:
        return proportional_score(weight, actual)
    if kind is RuleKind.LADDER:
        return ladder_score(weight, actual, rule.ladder_spec)
    if target is None:
        return None
    formulas = {
        RuleKind.POSITIVE: positive_score,
        RuleKind.REVERSE_TEMPLATE: reverse_template_score,
        RuleKind.REVERSE_SYSTEM: reverse_system_score,
        RuleKind.EQUAL: equal_score,
    }
    return formulas[kind](weight, target, actual)


def _label(leaf: LeafInput) -> str:
    return f"「{leaf.name or leaf.key}」"


def score_leaf(
    leaf: LeafInput,
    *,
    over_achievement_ratio: Decimal = DEFAULT_OVER_ACHIEVEMENT_RATIO,
) -> LeafResult:
    """Score one indicator; see the module docstring for the steps and flags.

    Raises ``ScoringError`` for a ratio ≤ 1, a negative target on a rule that
    compares with it, or a checklist index that does not exist.
    """
    if over_achievement_ratio <= 1:
        raise ScoringError("over_achievement_ratio must be greater than 1")
    if not leaf.applicable:
        return LeafResult(
            key=leaf.key,
            weight=leaf.weight,
            computed_score=None,
            final_score=None,
            flags=(),
            name=leaf.name,
            applicable=False,
        )
    label = _label(leaf)
    flags: list[Flag] = []

    name = leaf.name or leaf.key

    def flag(kind: FlagKind, code: FlagCode, message: str, **params: object) -> None:
        values = {key: str(value) for key, value in params.items()}
        flags.append(Flag(leaf.key, kind, message, code, {"indicator": name, **values}))

    computed = _compute(leaf)
    final = computed
    explained = bool(leaf.reason.strip())

    if leaf.evaluator_score is not None:
        final = quantize(leaf.evaluator_score)
        if final > leaf.weight:
            flag(
                FlagKind.ABOVE_WEIGHT,
                FlagCode.ABOVE_WEIGHT_ENTERED,
                f"{label}评价人评分 {final} 分超过分值 {leaf.weight} 分，已按分值计。",
                score=final,
                weight=leaf.weight,
            )
            final = quantize(leaf.weight)
        elif final < 0:
            flag(
                FlagKind.BELOW_ZERO,
                FlagCode.BELOW_ZERO,
                f"{label}评价人评分 {final} 分为负数，已按 0 分计。",
                score=final,
            )
            final = quantize(ZERO)
        if not explained and computed is None:
            flag(
                FlagKind.REASON_MISSING,
                FlagCode.REASON_MISSING,
                f"{label}由评价人评分，须填写评分理由。",
            )
        elif not explained and final != computed:
            flag(
                FlagKind.REASON_MISSING,
                FlagCode.REASON_MISSING_DIFFERS,
                f"{label}评价人评分 {final} 分与计算得分 {computed} 分不一致，"
                "须填写调整理由。",
                score=final,
                computed=computed,
            )
    elif computed is None:
        kind = leaf.rule.kind
        if kind.needs_actual and leaf.actual is None:
            flag(
                FlagKind.MISSING_ACTUAL,
                FlagCode.MISSING_ACTUAL,
                f"{label}缺少实际完成值，无法计算得分。",
            )
        elif kind.needs_target and leaf.target is None:
            flag(
                FlagKind.MISSING_TARGET,
                FlagCode.MISSING_TARGET,
                f"{label}缺少目标值，无法计算得分。",
            )
        else:
            flag(
                FlagKind.SCORE_MISSING,
                FlagCode.SCORE_MISSING,
                f"{label}尚未由评价人评分。",
            )

    if leaf.rule.kind is RuleKind.QUALITATIVE:
        flags.extend(_qualitative_flags(leaf, final, label))
    if leaf.rule.kind is RuleKind.CHECKLIST:
        available = sum((point.points for point in leaf.rule.checklist_points), ZERO)
        if available != leaf.weight:
            flag(
                FlagKind.WEIGHTS_MISMATCH,
                FlagCode.CHECKLIST_POINTS_MISMATCH,
                f"{label}各评分要点分值合计 {available} 分，与指标分值 "
                f"{leaf.weight} 分不一致。",
                points=available,
                weight=leaf.weight,
            )

    direction = (
        leaf.rule.ladder_spec.direction
        if leaf.rule.kind is RuleKind.LADDER
        else Direction.HIGHER_IS_BETTER
    )
    over_achieved = is_over_achieved(
        leaf.rule.kind, leaf.target, leaf.actual, over_achievement_ratio, direction
    )
    if over_achieved and not explained:
        limit = as_written(over_achievement_ratio * 100)
        if leaf.actual is not None and leaf.target is not None:
            if leaf.actual >= leaf.target:
                code = FlagCode.OVER_ACHIEVEMENT_ABOVE
                detail = (
                    f"达到目标值 {leaf.target} 的 {limit}% 及以上，目标可能设置偏低"
                )
            else:
                code = FlagCode.OVER_ACHIEVEMENT_BELOW
                detail = (
                    f"远低于目标上限 {leaf.target}（偏离度界限 {limit}%），"
                    "目标可能设置偏松"
                )
            flag(
                FlagKind.OVER_ACHIEVEMENT,
                code,
                f"{label}实际完成值 {leaf.actual} {detail}，须填写说明。",
                actual=leaf.actual,
                target=leaf.target,
                limit=limit,
            )

    rate = None
    if final is not None and leaf.weight > 0:
        rate = percent(final, leaf.weight)
    return LeafResult(
        key=leaf.key,
        weight=leaf.weight,
        computed_score=computed,
        final_score=final,
        flags=tuple(flags),
        name=leaf.name,
        rate=rate,
        applicable=True,
        over_achieved=over_achieved,
    )


def _qualitative_flags(
    leaf: LeafInput, final: Decimal | None, label: str
) -> list[Flag]:
    if final is None:
        return []
    name = leaf.name or leaf.key
    if leaf.tier is None:
        return [
            Flag(
                leaf.key,
                FlagKind.TIER_MISSING,
                f"{label}为定性指标，须选择达成程度（如达成、部分达成、未达成）。",
                FlagCode.TIER_MISSING,
                {"indicator": name},
            )
        ]
    tiers = leaf.rule.qualitative_tiers
    try:
        tier = qualitative_tier(tiers, leaf.tier)
    except KeyError:
        names = "、".join(t.name for t in tiers)
        return [
            Flag(
                leaf.key,
                FlagKind.INVALID_TIER,
                f"{label}达成程度「{leaf.tier}」不在可选范围（{names}）内。",
                FlagCode.INVALID_TIER,
                {
                    "indicator": name,
                    "tier": leaf.tier,
                    "tiers": tuple(t.name for t in tiers),
                },
            )
        ]
    if score_within_tier(leaf.weight, tier, final):
        return []
    closing = "]" if tier.includes_maximum else ")"
    return [
        Flag(
            leaf.key,
            FlagKind.SCORE_OUTSIDE_TIER,
            f"{label}评分 {final} 分不在「{tier.name}」对应的得分区间"
            f"（分值的 [{tier.minimum}%, {tier.maximum}%{closing}）内。",
            FlagCode.SCORE_OUTSIDE_TIER,
            {
                "indicator": name,
                "score": str(final),
                "tier": tier.name,
                "minimum": str(tier.minimum),
                "maximum": str(tier.maximum),
                "closing": closing,
            },
        )
    ]

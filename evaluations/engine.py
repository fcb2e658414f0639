"""The one place that maps evaluation models onto the scoring engine's plain values.

``evaluations.selectors.evaluation_score`` builds the engine's input tree with these and
``evaluations.services`` checks a rule or a leaf's computed score with them; the engine
(``evaluations.scoring``) itself never sees a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from evaluations.models import EvaluationIndicator, FrameworkIndicator
from evaluations.scoring import FlagKind, GradeBand, LeafInput, Rule, RuleKind
from kernel.decimals import without_trailing_zeros

# Flags an evaluator must clear before submitting; the others are information.
BLOCKING_FLAGS = frozenset(
    {
        FlagKind.REASON_MISSING,
        FlagKind.ABOVE_WEIGHT,
        FlagKind.BELOW_ZERO,
        FlagKind.WEIGHTS_MISMATCH,
        FlagKind.SCORE_MISSING,
        FlagKind.MISSING_ACTUAL,
        FlagKind.MISSING_TARGET,
        FlagKind.TIER_MISSING,
        FlagKind.INVALID_TIER,
        FlagKind.SCORE_OUTSIDE_TIER,
        FlagKind.OVER_ACHIEVEMENT,
    }
)
# Not blocking: a total differing from the source report's is acknowledged with a reason
# when submitting (``evaluation_submit``), which then publishes the engine's total.


def indicator_key(indicator: EvaluationIndicator) -> str:
    """How the engine knows ``indicator``."""
    return str(indicator.pk)


def grade_bands_of(bands: Sequence[Mapping[str, Any]]) -> tuple[GradeBand, ...]:
    return tuple(GradeBand(str(b["grade"]), Decimal(str(b["minimum"]))) for b in bands)


def rule_of(indicator: EvaluationIndicator | FrameworkIndicator) -> Rule:
    return Rule(
        RuleKind(indicator.rule_kind or RuleKind.JUDGMENT), indicator.rule_params or {}
    )


def plain_number(value: Decimal | None) -> Decimal | None:
    """A stored number without the column's trailing zeros (1036.3900 → 1036.39)."""
    return None if value is None else without_trailing_zeros(value)


def leaf_input(indicator: EvaluationIndicator) -> LeafInput:
    return LeafInput(
        key=indicator_key(indicator),
        name=indicator.name,
        weight=indicator.weight,
        rule=rule_of(indicator),
        target=plain_number(indicator.target_number),
        actual=plain_number(indicator.actual_number),
        satisfied_points=tuple(int(i) for i in indicator.satisfied_points or ()),
        tier=indicator.tier or None,
        evaluator_score=indicator.final_score,
        # a self-evaluation's 偏差原因分析及改进措施 explains an over-achievement too
        reason=indicator.reason or indicator.deviation_reason,
        applicable=indicator.applicable,
    )

"""Flags: what the engine found that someone has to look at.

A flag never changes a score by itself; it tells the evaluator (or the reviewer
of a published report) what still needs an explanation or a correction. Every
flag except ``not_applicable`` is something to resolve before an evaluation is
submitted; ``not_applicable`` records that an indicator's weight was
redistributed, so it is never silently dropped.

``message`` is the sentence in Simplified Chinese, as ``evaluate --json``, the
workbook and the printed documents show it. ``code`` names that sentence (one code
per sentence; ``kind`` groups several) and ``params`` holds the values it is made of,
as the sentence writes them, so a page can say the same in the reader's language
(``evaluations.flag_texts``) without parsing Chinese. ``indicator`` is the key of
the indicator concerned, or ``None`` for the evaluation as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Flag", "FlagCode", "FlagKind"]


class FlagKind(StrEnum):
    """What a flag is about; the value is stable and safe to store."""

    REASON_MISSING = "reason_missing"
    """The evaluator's score is not the computed one (or there is no computed one)
    and no reason was written."""
    ABOVE_WEIGHT = "above_weight"
    """A score is above the indicator's weight (分值); a leaf score is capped."""
    BELOW_ZERO = "below_zero"
    """The evaluator entered a negative score; it is raised to 0."""
    OVER_ACHIEVEMENT = "over_achievement"
    """The actual value is far beyond the target (偏离度, default ≥ 130%) and no
    explanation was written."""
    MISSING_ACTUAL = "missing_actual"
    """A quantitative rule has no actual value and the evaluator gave no score."""
    MISSING_TARGET = "missing_target"
    """A rule comparing with the target has no target and no evaluator score."""
    SCORE_MISSING = "score_missing"
    """A rule that needs the evaluator (定性, 评价人打分) has no score yet."""
    TIER_MISSING = "tier_missing"
    """A qualitative score was given without choosing 达成/部分达成/未达成."""
    INVALID_TIER = "invalid_tier"
    """The chosen qualitative tier does not exist in this rule."""
    SCORE_OUTSIDE_TIER = "score_outside_tier"
    """The qualitative score lies outside the band of the chosen tier."""
    WEIGHTS_MISMATCH = "weights_mismatch"
    """Children's weights (or checklist points) do not add up to the parent's."""
    NOT_APPLICABLE = "not_applicable"
    """An indicator does not apply; its weight is redistributed by re-scaling."""
    PUBLISHED_TOTAL_MISMATCH = "published_total_mismatch"
    """A published or entered total differs from the computed one."""


class FlagCode(StrEnum):
    """Which sentence a flag is; the value is stable. Its ``params`` are named here."""

    ABOVE_WEIGHT_ENTERED = "above_weight_entered"
    """indicator, score, weight: the evaluator's score, capped at the weight."""
    BELOW_ZERO = "below_zero"
    """indicator, score: the evaluator's negative score, raised to 0."""
    REASON_MISSING = "reason_missing"
    """indicator: an evaluator's score where nothing is computed, without reason."""
    REASON_MISSING_DIFFERS = "reason_missing_differs"
    """indicator, score, computed: the evaluator's score differs, without reason."""
    MISSING_ACTUAL = "missing_actual"
    """indicator."""
    MISSING_TARGET = "missing_target"
    """indicator."""
    SCORE_MISSING = "score_missing"
    """indicator."""
    CHECKLIST_POINTS_MISMATCH = "checklist_points_mismatch"
    """indicator, points, weight."""
    OVER_ACHIEVEMENT_ABOVE = "over_achievement_above"
    """indicator, actual, target, limit (percent): actual ≥ limit% of the target."""
    OVER_ACHIEVEMENT_BELOW = "over_achievement_below"
    """indicator, actual, target, limit: far below a ceiling target."""
    TIER_MISSING = "tier_missing"
    """indicator."""
    INVALID_TIER = "invalid_tier"
    """indicator, tier, tiers (the tier names, in order)."""
    SCORE_OUTSIDE_TIER = "score_outside_tier"
    """indicator, score, tier, minimum, maximum, closing ("]" or ")")."""
    CHILDREN_WEIGHTS_MISMATCH = "children_weights_mismatch"
    """indicator, children, weight."""
    ABOVE_WEIGHT_NODE = "above_weight_node"
    """indicator, score, weight."""
    NOT_APPLICABLE = "not_applicable"
    """indicator, weight, total_weight."""
    ROOTS_WEIGHTS_MISMATCH = "roots_weights_mismatch"
    """roots, total_weight."""
    TOTAL_ABOVE_FULL = "total_above_full"
    """total, total_weight."""
    PUBLISHED_TOTAL_MISMATCH = "published_total_mismatch"
    """published, total."""


FlagParam = str | tuple[str, ...]


@dataclass(frozen=True)
class Flag:
    """One finding about one indicator (or the whole evaluation)."""

    indicator: str | None
    kind: FlagKind
    message: str
    # The sentence's name and values: they say nothing ``message`` does not, so
    # two flags with the same indicator, kind and message are equal.
    code: FlagCode | None = field(default=None, compare=False)
    params: Mapping[str, FlagParam] = field(default_factory=dict, compare=False)

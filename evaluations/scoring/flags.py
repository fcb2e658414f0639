"""Flags: what the engine found that someone has to look at.

A flag never changes a score by itself; it tells the evaluator (or the reviewer
of a published report) what still needs an explanation or a correction. Every
flag except ``not_applicable`` is something to resolve before an evaluation is
submitted; ``not_applicable`` records that an indicator's weight was
redistributed, so it is never silently dropped.

Messages are user-facing and in Simplified Chinese. ``indicator`` is the key of
the indicator concerned, or ``None`` for the evaluation as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Flag", "FlagKind"]


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


@dataclass(frozen=True)
class Flag:
    """One finding about one indicator (or the whole evaluation)."""

    indicator: str | None
    kind: FlagKind
    message: str

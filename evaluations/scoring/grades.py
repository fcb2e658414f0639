"""Grades (评价等级) from a total score.

财政部 standard (财预便〔2017〕44号, quoted in the Panjin report): 优 ≥ 90,
良 80–<90, 中 60–<80, 差 < 60. Some local systems use other bands, so the bands
are data: pass your own tuple of ``GradeBand`` per framework.

The total handed in is already rounded to 2 places (see ``rounding``); the grade
is taken from that printed figure, so 89.995 → 90.00 → 优.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .errors import ScoringError

__all__ = ["DEFAULT_BANDS", "GradeBand", "grade_for", "validate_bands"]


@dataclass(frozen=True)
class GradeBand:
    """A grade given to every total ``≥ minimum`` (and below the next band up)."""

    grade: str
    minimum: Decimal


DEFAULT_BANDS: tuple[GradeBand, ...] = (
    GradeBand("优", Decimal(90)),
    GradeBand("良", Decimal(80)),
    GradeBand("中", Decimal(60)),
    GradeBand("差", Decimal(0)),
)


def validate_bands(bands: Sequence[GradeBand]) -> tuple[GradeBand, ...]:
    """Return the bands sorted from the highest minimum down.

    Raises ``ScoringError`` for no bands, a repeated minimum or a repeated grade.
    """
    if not bands:
        raise ScoringError("grade bands are empty")
    ordered = tuple(sorted(bands, key=lambda band: band.minimum, reverse=True))
    if len({band.minimum for band in ordered}) != len(ordered):
        raise ScoringError("two grade bands have the same minimum")
    if len({band.grade for band in ordered}) != len(ordered):
        raise ScoringError("two grade bands have the same grade")
    return ordered


def grade_for(total: Decimal, bands: Sequence[GradeBand] = DEFAULT_BANDS) -> str:
    """The grade of the highest band whose minimum the total reaches.

    ``grade_for(Decimal("92.37")) == "优"``; ``grade_for(Decimal("89.99")) == "良"``.
    Raises ``ScoringError`` when the total is below every band.
    """
    for band in validate_bands(bands):
        if total >= band.minimum:
            return band.grade
    raise ScoringError(f"total {total} is below every grade band")

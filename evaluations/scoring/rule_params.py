"""Parameters of the scoring rules: their parsed forms and their validation.

``rules.Rule`` keeps the mapping it was given (so it can round-trip through a
JSON field) and the parsed, typed form built here. Numbers may be ``Decimal``,
``int`` or numeric ``str``; ``float`` is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from kernel.rounding import HUNDRED, ZERO

from .errors import ScoringError

__all__ = [
    "DEFAULT_QUALITATIVE_THRESHOLDS",
    "DEFAULT_QUALITATIVE_TIER_NAMES",
    "ChecklistPoint",
    "Direction",
    "LadderSpec",
    "PartialStep",
    "QualitativeTier",
    "RuleSpec",
    "check_param_names",
    "parse_checklist",
    "parse_ladder",
    "parse_qualitative",
    "to_decimal",
]


class PartialStep(StrEnum):
    """How a ladder counts a shortfall that is not a whole number of steps."""

    CEIL = "ceil"
    """Any part of a step costs a full deduction ("每少10个百分点以内扣1分")."""
    FLOOR = "floor"
    """Only whole steps cost a deduction (a shortfall of 0.5 step costs nothing)."""
    LINEAR = "linear"
    """Part of a step costs the same part of a deduction."""


class Direction(StrEnum):
    """Which way a ladder indicator improves."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


@dataclass(frozen=True)
class LadderSpec:
    """Parsed parameters of a ladder (阶梯/扣分) rule; see ``ladder_score``."""

    full_at: Decimal
    step: Decimal
    deduct: Decimal
    partial_step: PartialStep = PartialStep.CEIL
    direction: Direction = Direction.HIGHER_IS_BETTER


@dataclass(frozen=True)
class ChecklistPoint:
    """One review point (评分要点) of a checklist rule and the points it is worth."""

    label: str
    points: Decimal


@dataclass(frozen=True)
class QualitativeTier:
    """A qualitative tier and its band, in percent of the indicator's weight.

    The band is ``[minimum, maximum)``, or ``[minimum, maximum]`` when
    ``includes_maximum`` (the top tier).
    """

    name: str
    minimum: Decimal
    maximum: Decimal
    includes_maximum: bool


DEFAULT_QUALITATIVE_THRESHOLDS = (Decimal(80), Decimal(60))
"""达成 from 80% of the weight, 部分达成 from 60%; some templates use 80/50."""
DEFAULT_QUALITATIVE_TIER_NAMES = ("达成", "部分达成", "未达成")

type RuleSpec = LadderSpec | tuple[ChecklistPoint, ...] | tuple[QualitativeTier, ...]


def _required_number(params: Mapping[str, object], name: str) -> Decimal:
    if name not in params:
        raise ScoringError(f"rule parameter {name!r} is required")
    return to_decimal(params[name], name)


def to_decimal(value: object, name: str) -> Decimal:
    """Parse a numeric parameter given as ``Decimal``, ``int`` or numeric ``str``."""
    # float is refused: a binary fraction has no place among amounts and scores.
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ScoringError(f"{name!r} is not a number: {value!r}") from None
    else:
        kind = type(value).__name__
        raise ScoringError(
            f"{name!r} must be a Decimal, int or numeric str, not {kind}"
        )
    if not number.is_finite():
        raise ScoringError(f"{name!r} must be finite, not {number}")
    return number


def _choice[E: StrEnum](
    params: Mapping[str, object], name: str, enum: type[E], default: E
) -> E:
    value = params.get(name, default)
    try:
        return enum(str(value))
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ScoringError(
            f"{name!r} must be one of {allowed}, not {value!r}"
        ) from None


def check_param_names(
    kind: str, params: Mapping[str, object], allowed: set[str]
) -> None:
    """Raise ``ScoringError`` for a parameter the rule kind does not take."""
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise ScoringError(f"{kind} rule does not take parameter(s) {unknown}")


def parse_ladder(params: Mapping[str, object]) -> LadderSpec:
    """Validate ladder parameters; see ``rules.ladder_score``."""
    spec = LadderSpec(
        full_at=_required_number(params, "full_at"),
        step=_required_number(params, "step"),
        deduct=_required_number(params, "deduct"),
        partial_step=_choice(params, "partial_step", PartialStep, PartialStep.CEIL),
        direction=_choice(params, "direction", Direction, Direction.HIGHER_IS_BETTER),
    )
    if spec.step <= 0:
        raise ScoringError("ladder 'step' must be positive")
    if spec.deduct <= 0:
        raise ScoringError("ladder 'deduct' must be positive")
    return spec


def parse_checklist(params: Mapping[str, object]) -> tuple[ChecklistPoint, ...]:
    """Validate checklist review points; see ``rules.checklist_score``."""
    raw = params.get("points")
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise ScoringError("checklist 'points' must be a non-empty sequence")
    points = []
    for position, item in enumerate(raw):
        label: object
        value: object
        if isinstance(item, ChecklistPoint):
            label, value = item.label, item.points
        elif isinstance(item, Mapping):
            label, value = item.get("label"), item.get("points")
        elif (
            isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2
        ):
            label, value = item[0], item[1]
        else:
            raise ScoringError(f"checklist point {position} is malformed: {item!r}")
        if not isinstance(label, str) or not label.strip():
            raise ScoringError(f"checklist point {position} has no label")
        number = to_decimal(value, f"points[{position}]")
        if number <= 0:
            raise ScoringError(f"checklist point {position} must be worth more than 0")
        points.append(ChecklistPoint(label, number))
    return tuple(points)


def parse_qualitative(params: Mapping[str, object]) -> tuple[QualitativeTier, ...]:
    """Build the three tiers from ``thresholds`` and ``tier_names``."""
    raw_thresholds = params.get("thresholds", DEFAULT_QUALITATIVE_THRESHOLDS)
    raw_names = params.get("tier_names", DEFAULT_QUALITATIVE_TIER_NAMES)
    if (
        not isinstance(raw_thresholds, Sequence)
        or isinstance(raw_thresholds, str)
        or len(raw_thresholds) != 2
    ):
        raise ScoringError("qualitative 'thresholds' must be two percentages")
    high, low = (to_decimal(value, "thresholds") for value in raw_thresholds)
    if not 0 < low < high <= HUNDRED:
        raise ScoringError("qualitative thresholds must satisfy 0 < low < high ≤ 100")
    if (
        not isinstance(raw_names, Sequence)
        or isinstance(raw_names, str)
        or len(raw_names) != 3
        or not all(isinstance(name, str) and name.strip() for name in raw_names)
        or len(set(raw_names)) != 3
    ):
        raise ScoringError("qualitative 'tier_names' must be three distinct names")
    top, middle, bottom = (str(name) for name in raw_names)
    return (
        QualitativeTier(top, high, HUNDRED, includes_maximum=True),
        QualitativeTier(middle, low, high, includes_maximum=False),
        QualitativeTier(bottom, ZERO, low, includes_maximum=False),
    )

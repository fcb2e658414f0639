"""Scoring rules (评分规则) for one indicator (三级指标).

Each rule kind is a pure function of the indicator's weight (分值), target (指标值)
and actual value (实际完成值). All numbers are ``Decimal``; targets and actual
values are in the indicator's own unit (%, 人, 万件 … — rates in percentage
points: 98.01 means 98.01%). Every function returns a score that is

- within ``[0, weight]`` (a formula that overshoots is capped, one that undershoots
  is raised to 0), and
- rounded half-up to 2 places once, at the end (``rounding.quantize``).

The kinds, as found in real templates and systems (DOMAIN.md, "Evaluations"):

- ``positive`` 正向: met (actual ≥ target) → weight; else actual / target × weight.
- ``reverse_template`` 反向 (template): met (actual ≤ target) → weight; else
  target / actual × weight.
- ``reverse_system`` 反向 (system): met → weight; else
  (1 − (actual − target) / target) × weight, 0 at twice the target.
- ``equal`` 等于: target 0 → weight if actual ≤ 0 else 0; otherwise as 正向.
- ``proportional`` 比例: weight × actual% (预算执行率 20 × 99.86% = 19.97), capped.
- ``ladder`` 阶梯/扣分: full marks at ``full_at``, ``deduct`` per ``step`` short.
- ``checklist`` 清单: the points of the satisfied review points (评分要点).
- ``qualitative`` 定性: the evaluator picks a tier (达成/部分达成/未达成) and a score
  inside its band; the engine checks the band.
- ``judgment`` 评价人打分: the evaluator's score only.

Rule parameters arrive as a plain mapping (so they can live in a JSON field) and
are validated and parsed when the ``Rule`` is built; numbers may be given as
``Decimal``, ``int`` or numeric ``str``, never ``float``.

The leaf pipeline that applies a rule to an indicator (missing data, evaluator
overrides, flags) is ``leaves.score_leaf``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from enum import StrEnum
from types import MappingProxyType
from typing import cast

from kernel.rounding import ARITHMETIC_CONTEXT, HUNDRED, ZERO, quantize

from .errors import ScoringError
from .rule_params import (
    DEFAULT_QUALITATIVE_THRESHOLDS,
    DEFAULT_QUALITATIVE_TIER_NAMES,
    ChecklistPoint,
    Direction,
    LadderSpec,
    PartialStep,
    QualitativeTier,
    RuleSpec,
    check_param_names,
    parse_checklist,
    parse_ladder,
    parse_qualitative,
)

__all__ = [
    "Rule",
    "RuleKind",
    "checklist_score",
    "equal_score",
    "ladder_score",
    "positive_score",
    "proportional_score",
    "qualitative_tier",
    "reverse_system_score",
    "reverse_template_score",
    "score_within_tier",
]


class RuleKind(StrEnum):
    """The kinds of scoring rule; the value is stable and safe to store."""

    POSITIVE = "positive"
    REVERSE_TEMPLATE = "reverse_template"
    REVERSE_SYSTEM = "reverse_system"
    EQUAL = "equal"
    PROPORTIONAL = "proportional"
    LADDER = "ladder"
    CHECKLIST = "checklist"
    QUALITATIVE = "qualitative"
    JUDGMENT = "judgment"

    @property
    def label(self) -> str:
        """The Chinese name used in templates (正向, 反向 …)."""
        return _LABELS[self]

    @property
    def needs_target(self) -> bool:
        """Whether the formula compares the actual value with the target."""
        return self in _TARGET_KINDS

    @property
    def needs_actual(self) -> bool:
        """Whether the formula needs an actual value (实际完成值)."""
        return self in _ACTUAL_KINDS

    @property
    def needs_evaluator(self) -> bool:
        """Whether only the evaluator can give the score."""
        return self in (RuleKind.QUALITATIVE, RuleKind.JUDGMENT)


_LABELS = {
    RuleKind.POSITIVE: "正向",
    RuleKind.REVERSE_TEMPLATE: "反向（模板）",
    RuleKind.REVERSE_SYSTEM: "反向（系统）",
    RuleKind.EQUAL: "等于",
    RuleKind.PROPORTIONAL: "比例",
    RuleKind.LADDER: "阶梯扣分",
    RuleKind.CHECKLIST: "清单",
    RuleKind.QUALITATIVE: "定性",
    RuleKind.JUDGMENT: "评价人打分",
}
_TARGET_KINDS = frozenset(
    {
        RuleKind.POSITIVE,
        RuleKind.REVERSE_TEMPLATE,
        RuleKind.REVERSE_SYSTEM,
        RuleKind.EQUAL,
    }
)
_ACTUAL_KINDS = _TARGET_KINDS | {RuleKind.PROPORTIONAL, RuleKind.LADDER}


@dataclass(frozen=True)
class Rule:
    """A scoring rule: its kind and its parameters.

    Parameters by kind (all others take none):

    - ``ladder``: ``full_at`` (value for full marks), ``step`` (> 0), ``deduct``
      (> 0, points per step), ``partial_step`` (``"ceil"`` default, ``"floor"``,
      ``"linear"``), ``direction`` (``"higher_is_better"`` default or
      ``"lower_is_better"``).
    - ``checklist``: ``points``, a non-empty sequence of review points, each a
      ``ChecklistPoint``, a ``(label, points)`` pair or a
      ``{"label": …, "points": …}`` mapping.
    - ``qualitative``: optional ``thresholds`` (two percentages, default 80, 60:
      the minimum of 达成 and of 部分达成) and ``tier_names`` (three names, from the
      top tier down).

    Raises ``ScoringError`` for unknown kinds, unknown or invalid parameters.
    """

    kind: RuleKind
    params: Mapping[str, object] = field(default_factory=dict, hash=False)
    spec: RuleSpec | None = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        try:
            kind = RuleKind(self.kind)
        except ValueError:
            raise ScoringError(f"unknown rule kind {self.kind!r}") from None
        params = MappingProxyType(dict(self.params))
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "spec", _parse_params(kind, params))

    @classmethod
    def positive(cls) -> Rule:
        """正向; see ``positive_score``."""
        return cls(RuleKind.POSITIVE)

    @classmethod
    def reverse_template(cls) -> Rule:
        """反向, template variant; see ``reverse_template_score``."""
        return cls(RuleKind.REVERSE_TEMPLATE)

    @classmethod
    def reverse_system(cls) -> Rule:
        """反向, system variant; see ``reverse_system_score``."""
        return cls(RuleKind.REVERSE_SYSTEM)

    @classmethod
    def equal(cls) -> Rule:
        """等于; see ``equal_score``."""
        return cls(RuleKind.EQUAL)

    @classmethod
    def proportional(cls) -> Rule:
        """比例; see ``proportional_score``."""
        return cls(RuleKind.PROPORTIONAL)

    @classmethod
    def ladder(
        cls,
        *,
        full_at: Decimal,
        step: Decimal,
        deduct: Decimal,
        partial_step: PartialStep = PartialStep.CEIL,
        direction: Direction = Direction.HIGHER_IS_BETTER,
    ) -> Rule:
        """阶梯/扣分; see ``ladder_score``."""
        params: dict[str, object] = {
            "full_at": full_at,
            "step": step,
            "deduct": deduct,
            "partial_step": partial_step,
            "direction": direction,
        }
        return cls(RuleKind.LADDER, params)

    @classmethod
    def checklist(cls, points: Sequence[ChecklistPoint | tuple[str, Decimal]]) -> Rule:
        """清单; see ``checklist_score``."""
        return cls(RuleKind.CHECKLIST, {"points": tuple(points)})

    @classmethod
    def qualitative(
        cls,
        *,
        thresholds: tuple[Decimal, Decimal] = DEFAULT_QUALITATIVE_THRESHOLDS,
        tier_names: tuple[str, str, str] = DEFAULT_QUALITATIVE_TIER_NAMES,
    ) -> Rule:
        """定性; see ``score_within_tier``."""
        params = {"thresholds": thresholds, "tier_names": tier_names}
        return cls(RuleKind.QUALITATIVE, params)

    @classmethod
    def judgment(cls) -> Rule:
        """评价人打分: the score is the evaluator's alone."""
        return cls(RuleKind.JUDGMENT)

    @property
    def ladder_spec(self) -> LadderSpec:
        """The parsed ladder parameters (``ScoringError`` for other kinds)."""
        if not isinstance(self.spec, LadderSpec):
            raise ScoringError(f"a {self.kind} rule has no ladder parameters")
        return self.spec

    @property
    def checklist_points(self) -> tuple[ChecklistPoint, ...]:
        """The parsed review points (``ScoringError`` for other kinds)."""
        if self.kind is not RuleKind.CHECKLIST:
            raise ScoringError(f"a {self.kind} rule has no checklist points")
        return cast(tuple[ChecklistPoint, ...], self.spec)

    @property
    def qualitative_tiers(self) -> tuple[QualitativeTier, ...]:
        """The three tiers, top first (``ScoringError`` for other kinds)."""
        if self.kind is not RuleKind.QUALITATIVE:
            raise ScoringError(f"a {self.kind} rule has no qualitative tiers")
        return cast(tuple[QualitativeTier, ...], self.spec)


def _parse_params(kind: RuleKind, params: Mapping[str, object]) -> RuleSpec | None:
    if kind is RuleKind.LADDER:
        check_param_names(
            kind, params, {"full_at", "step", "deduct", "partial_step", "direction"}
        )
        return parse_ladder(params)
    if kind is RuleKind.CHECKLIST:
        check_param_names(kind, params, {"points"})
        return parse_checklist(params)
    if kind is RuleKind.QUALITATIVE:
        check_param_names(kind, params, {"thresholds", "tier_names"})
        return parse_qualitative(params)
    check_param_names(kind, params, set())
    return None


# --- the formulas -------------------------------------------------------------


def _bounded(raw: Decimal, weight: Decimal) -> Decimal:
    """Cap ``raw`` to ``[0, weight]`` and round it: the one leaf rounding."""
    return quantize(min(max(raw, ZERO), weight))


def _check_target(target: Decimal) -> None:
    if target < 0:
        raise ScoringError(f"target {target} is negative; use a reverse rule instead")


def positive_score(weight: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """正向 (≥ target): the more the better.

    ``actual ≥ target`` → ``weight``; otherwise ``actual / target × weight``.
    A target of 0 is met by any actual ≥ 0. Target and actual in the indicator's
    unit; score in points, capped to ``[0, weight]``, rounded half-up to 2 places.
    Example: weight 10, target 80 (%), actual 60 → 7.50.
    """
    _check_target(target)
    if actual >= target:
        return _bounded(weight, weight)
    if target == 0:
        return _bounded(ZERO, weight)
    with localcontext(ARITHMETIC_CONTEXT):
        return _bounded(actual / target * weight, weight)


def reverse_template_score(
    weight: Decimal, target: Decimal, actual: Decimal
) -> Decimal:
    """反向 (≤ target), template variant: the less the better.

    ``actual ≤ target`` → ``weight``; otherwise ``target / actual × weight``
    (never reaches 0; a target of 0 missed gives 0). Units as ``positive_score``;
    capped to ``[0, weight]``, rounded half-up to 2 places.
    Example: weight 10, target 5 (%), actual 8 → 6.25.
    """
    _check_target(target)
    if actual <= target:
        return _bounded(weight, weight)
    with localcontext(ARITHMETIC_CONTEXT):
        return _bounded(target / actual * weight, weight)


def reverse_system_score(weight: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """反向 (≤ target), system variant: linear down to 0 at twice the target.

    ``actual ≤ target`` → ``weight``; otherwise
    ``(1 − (actual − target) / target) × weight``, which is 0 at ``2 × target``
    and stays 0 beyond (a target of 0 missed gives 0). Capped to ``[0, weight]``,
    rounded half-up to 2 places. Example: weight 10, target 5, actual 6 → 8.00.
    """
    _check_target(target)
    if actual <= target:
        return _bounded(weight, weight)
    if target == 0:
        return _bounded(ZERO, weight)
    with localcontext(ARITHMETIC_CONTEXT):
        return _bounded((1 - (actual - target) / target) * weight, weight)


def equal_score(weight: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """等于 (= target).

    Target 0 ("安全事故 = 0 起"): ``weight`` if ``actual ≤ 0``, else 0. Any other
    target is scored as ``positive_score`` (a shortfall scores pro rata, reaching
    or passing the target scores full). Rounded half-up to 2 places.
    """
    _check_target(target)
    if target == 0:
        return _bounded(weight if actual <= 0 else ZERO, weight)
    return positive_score(weight, target, actual)


def proportional_score(weight: Decimal, actual: Decimal) -> Decimal:
    """比例: ``weight × actual%``, capped at the weight.

    ``actual`` is a rate in percentage points (预算执行率 99.86 means 99.86%);
    pass the rate as stated (2 places) so that a reader can recompute the score:
    20 × 99.86% = 19.972 → 19.97. A rate above 100% scores the full weight.
    Rounded half-up to 2 places.
    """
    with localcontext(ARITHMETIC_CONTEXT):
        return _bounded(weight * actual / HUNDRED, weight)


def ladder_score(weight: Decimal, actual: Decimal, spec: LadderSpec) -> Decimal:
    """阶梯/扣分: full marks at ``full_at``, ``deduct`` points per ``step`` short.

    Higher is better (default): ``actual ≥ full_at`` → ``weight``; otherwise
    ``shortfall = full_at − actual`` (``actual − full_at`` when lower is better)
    and ``score = weight − steps × deduct``, floored at 0 (扣完为止), where

    - ``ceil`` (default): ``steps = ⌈shortfall / step⌉``, any part of a step costs
      a deduction — "到位率100%得5分，每少10个百分点以内扣1分": 95% → 4, 90% → 4,
      89.99% → 3;
    - ``floor``: ``steps = ⌊shortfall / step⌋``, only whole steps count —
      "达到90%以上得15分，每少1个百分点扣1分": 88.5% → 14;
    - ``linear``: ``steps = shortfall / step`` — 88.5% → 13.50.

    ``actual`` and ``full_at`` in the indicator's unit (usually percentage points);
    score rounded half-up to 2 places.
    """
    if spec.direction is Direction.HIGHER_IS_BETTER:
        shortfall = spec.full_at - actual
    else:
        shortfall = actual - spec.full_at
    if shortfall <= 0:
        return _bounded(weight, weight)
    with localcontext(ARITHMETIC_CONTEXT):
        steps = shortfall / spec.step
        if spec.partial_step is PartialStep.CEIL:
            steps = steps.to_integral_value(rounding=ROUND_CEILING)
        elif spec.partial_step is PartialStep.FLOOR:
            steps = steps.to_integral_value(rounding=ROUND_FLOOR)
        return _bounded(weight - steps * spec.deduct, weight)


def checklist_score(
    weight: Decimal, points: Sequence[ChecklistPoint], satisfied: Sequence[int]
) -> Decimal:
    """清单: the sum of the points of the satisfied review points.

    ``satisfied`` holds 0-based indexes into ``points``; a repeated index counts
    once. Points are in score points; the sum is capped to ``[0, weight]`` and
    rounded half-up to 2 places. Raises ``ScoringError`` for an index that does
    not exist.
    """
    chosen = set(satisfied)
    for index in chosen:
        if not 0 <= index < len(points):
            raise ScoringError(f"checklist has no review point {index}")
    total = sum((points[index].points for index in chosen), ZERO)
    return _bounded(total, weight)


def qualitative_tier(tiers: Sequence[QualitativeTier], name: str) -> QualitativeTier:
    """The tier called ``name``; raises ``KeyError`` when there is none."""
    for tier in tiers:
        if tier.name == name:
            return tier
    raise KeyError(name)


def score_within_tier(weight: Decimal, tier: QualitativeTier, score: Decimal) -> bool:
    """定性: whether ``score`` lies in the tier's band of the weight.

    The band is in percent of the weight: with weight 10 and the default bands,
    达成 allows [8, 10], 部分达成 [6, 8) (so at most 7.99), 未达成 [0, 6).
    Compared exactly (``score × 100`` against ``percent × weight``), no rounding.
    """
    scaled = score * HUNDRED
    if scaled < tier.minimum * weight:
        return False
    upper = tier.maximum * weight
    return scaled <= upper if tier.includes_maximum else scaled < upper

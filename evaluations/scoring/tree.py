"""Rolling indicator scores up the tree (一级 → 二级 → 三级, any depth).

Scores:

- a leaf's score is rounded once (``leaves.score_leaf``);
- a node's score is the exact sum of its children's scores, never rounded again;
- when every leaf is applicable the total is that same exact sum, so it always
  equals the sum of the leaves (Tianjin: 15 + 19.50 + 38 + 19.87 = 92.37).

Not-applicable indicators (``LeafInput.applicable=False``) are never silently
dropped. Their weight is redistributed over the applicable ones by re-scaling,
the same way at every level:

- a node's rate (得分率) = its applicable leaves' scores / their weights;
- the total = Σ applicable scores / Σ applicable weights × ``total_weight``
  (100), rounded half-up to 2 places once;
- each such indicator gets a ``not_applicable`` flag naming it and the weight
  redistributed.

Node scores themselves are not re-scaled: a node keeps the points its leaves
earned, and its rate tells how well it did on what applied.

Consistency flags: ``weights_mismatch`` when a node's children's weights do not
add up to its weight (or the roots' do not add up to ``total_weight``);
``above_weight`` when a node's score exceeds its weight (only possible with such a
mismatch); ``published_total_mismatch`` when a published or entered total differs
from the computed one. Leaf flags (``leaves``) are collected in tree order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kernel.rounding import ZERO, divide, percent, quantize

from .errors import ScoringError
from .flags import Flag, FlagCode, FlagKind
from .grades import DEFAULT_BANDS, GradeBand, grade_for, validate_bands
from .leaves import (
    DEFAULT_OVER_ACHIEVEMENT_RATIO,
    LeafInput,
    LeafResult,
    check_weight,
    score_leaf,
)

__all__ = ["NodeInput", "NodeResult", "TreeResult", "score_tree"]


@dataclass(frozen=True)
class NodeInput:
    """An indicator with sub-indicators (一级 or 二级指标)."""

    key: str
    name: str
    weight: Decimal
    children: tuple[NodeInput | LeafInput, ...]

    def __post_init__(self) -> None:
        if not self.key:
            raise ScoringError("an indicator needs a key")
        check_weight(self.weight, self.key)
        if not self.children:
            raise ScoringError(f"{self.key}: an indicator node needs children")


@dataclass(frozen=True)
class NodeResult:
    """A scored node: ``score`` is the exact sum of its children's scores.

    ``applicable_weight`` is the weight of its applicable leaves; ``rate``
    (得分率) = ``score / applicable_weight`` in percent, 2 places, ``None`` when
    nothing under the node applies.
    """

    key: str
    name: str
    weight: Decimal
    score: Decimal
    rate: Decimal | None
    children: tuple[NodeResult | LeafResult, ...]
    applicable_weight: Decimal = field(default=ZERO)


@dataclass(frozen=True)
class TreeResult:
    """A scored evaluation.

    ``total`` is out of ``total_weight`` (re-scaled when indicators do not
    apply), ``rate`` = ``total / total_weight`` in percent; ``score`` is the exact
    sum of the leaves' scores before any re-scaling; ``complete`` is false while
    an applicable indicator still has no score (counted as 0 meanwhile).
    """

    total: Decimal
    grade: str
    rate: Decimal
    nodes: tuple[NodeResult | LeafResult, ...]
    flags: tuple[Flag, ...]
    score: Decimal = ZERO
    applicable_weight: Decimal = ZERO
    complete: bool = True

    def leaves(self) -> tuple[LeafResult, ...]:
        """Every leaf result, in tree order."""
        return tuple(_iter_leaves(self.nodes))

    def find(self, key: str) -> NodeResult | LeafResult:
        """The node or leaf result with this key; ``KeyError`` if none."""
        for item in _iter_all(self.nodes):
            if item.key == key:
                return item
        raise KeyError(key)


def _iter_all(
    items: Sequence[NodeResult | LeafResult],
) -> Iterator[NodeResult | LeafResult]:
    for item in items:
        yield item
        if isinstance(item, NodeResult):
            yield from _iter_all(item.children)


def _iter_leaves(items: Sequence[NodeResult | LeafResult]) -> Iterator[LeafResult]:
    for item in _iter_all(items):
        if isinstance(item, LeafResult):
            yield item


@dataclass
class _Walk:
    """Mutable state of one ``score_tree`` call."""

    ratio: Decimal
    total_weight: Decimal
    flags: list[Flag] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    not_applicable: bool = False
    complete: bool = True


@dataclass(frozen=True)
class _Scored:
    result: NodeResult | LeafResult
    score: Decimal
    applicable_weight: Decimal


def _name(item: NodeInput | LeafInput) -> str:
    return f"「{item.name or item.key}」"


def _children_weight(children: Sequence[NodeInput | LeafInput]) -> Decimal:
    return sum((child.weight for child in children), ZERO)


def _score(item: NodeInput | LeafInput, walk: _Walk) -> _Scored:
    if item.key in walk.keys:
        raise ScoringError(f"indicator key {item.key!r} is used twice")
    walk.keys.add(item.key)
    if isinstance(item, LeafInput):
        return _score_leaf(item, walk)

    children_weight = _children_weight(item.children)
    if children_weight != item.weight:
        walk.flags.append(
            Flag(
                item.key,
                FlagKind.WEIGHTS_MISMATCH,
                f"{_name(item)}下级指标分值合计 {children_weight} 分，"
                f"与其分值 {item.weight} 分不一致。",
                FlagCode.CHILDREN_WEIGHTS_MISMATCH,
                {
                    "indicator": item.name or item.key,
                    "children": str(children_weight),
                    "weight": str(item.weight),
                },
            )
        )
    scored = [_score(child, walk) for child in item.children]
    score = sum((child.score for child in scored), ZERO)
    applicable_weight = sum((child.applicable_weight for child in scored), ZERO)
    if score > item.weight:
        walk.flags.append(
            Flag(
                item.key,
                FlagKind.ABOVE_WEIGHT,
                f"{_name(item)}得分 {score} 分超过分值 {item.weight} 分。",
                FlagCode.ABOVE_WEIGHT_NODE,
                {
                    "indicator": item.name or item.key,
                    "score": str(score),
                    "weight": str(item.weight),
                },
            )
        )
    rate = percent(score, applicable_weight) if applicable_weight > 0 else None
    result = NodeResult(
        key=item.key,
        name=item.name,
        weight=item.weight,
        score=score,
        rate=rate,
        children=tuple(child.result for child in scored),
        applicable_weight=applicable_weight,
    )
    return _Scored(result, score, applicable_weight)


def _score_leaf(leaf: LeafInput, walk: _Walk) -> _Scored:
    result = score_leaf(leaf, over_achievement_ratio=walk.ratio)
    walk.flags.extend(result.flags)
    if not leaf.applicable:
        walk.not_applicable = True
        walk.flags.append(
            Flag(
                leaf.key,
                FlagKind.NOT_APPLICABLE,
                f"{_name(leaf)}不适用，其分值 {leaf.weight} 分不计入，"
                "由其余适用指标按比例分摊（总分 = 适用指标得分合计 ÷ "
                f"适用指标分值合计 × {walk.total_weight}）。",
                FlagCode.NOT_APPLICABLE,
                {
                    "indicator": leaf.name or leaf.key,
                    "weight": str(leaf.weight),
                    "total_weight": str(walk.total_weight),
                },
            )
        )
        return _Scored(result, ZERO, ZERO)
    if result.final_score is None:
        walk.complete = False
        return _Scored(result, ZERO, leaf.weight)
    return _Scored(result, result.final_score, leaf.weight)


def score_tree(
    roots: Sequence[NodeInput | LeafInput],
    *,
    total_weight: Decimal = Decimal(100),
    over_achievement_ratio: Decimal = DEFAULT_OVER_ACHIEVEMENT_RATIO,
    grade_bands: Sequence[GradeBand] = DEFAULT_BANDS,
    published_total: Decimal | None = None,
) -> TreeResult:
    """Score every indicator and roll the scores up to a total and a grade.

    ``roots`` are the 一级 indicators (a leaf may stand at any level).
    ``published_total`` is a total printed in a report or entered by hand; a
    difference from the computed total is flagged. See the module docstring for
    re-scaling and flags.

    Raises ``ScoringError`` for no indicators, duplicate keys, malformed weights or
    rules, or when no indicator applies at all.
    """
    if not roots:
        raise ScoringError("an evaluation needs at least one indicator")
    check_weight(total_weight, "total_weight")
    if total_weight <= 0:
        raise ScoringError("total_weight must be positive")
    bands = validate_bands(grade_bands)
    walk = _Walk(ratio=over_achievement_ratio, total_weight=total_weight)

    roots_weight = _children_weight(roots)
    if roots_weight != total_weight:
        walk.flags.append(
            Flag(
                None,
                FlagKind.WEIGHTS_MISMATCH,
                f"一级指标分值合计 {roots_weight} 分，与满分 {total_weight} 分不一致。",
                FlagCode.ROOTS_WEIGHTS_MISMATCH,
                {"roots": str(roots_weight), "total_weight": str(total_weight)},
            )
        )
    scored = [_score(root, walk) for root in roots]
    score = sum((root.score for root in scored), ZERO)
    applicable_weight = sum((root.applicable_weight for root in scored), ZERO)

    if walk.not_applicable:
        if applicable_weight == 0:
            raise ScoringError("no indicator applies: the evaluation has no score")
        total = quantize(divide(score * total_weight, applicable_weight))
    else:
        total = quantize(score)  # a no-op on a sum of 2-place scores
        if total > total_weight:
            walk.flags.append(
                Flag(
                    None,
                    FlagKind.ABOVE_WEIGHT,
                    f"总分 {total} 分超过满分 {total_weight} 分。",
                    FlagCode.TOTAL_ABOVE_FULL,
                    {"total": str(total), "total_weight": str(total_weight)},
                )
            )

    if published_total is not None and published_total != total:
        walk.flags.append(
            Flag(
                None,
                FlagKind.PUBLISHED_TOTAL_MISMATCH,
                f"公布（填报）的总分 {published_total} 分与计算总分 {total} 分不一致。",
                FlagCode.PUBLISHED_TOTAL_MISMATCH,
                {"published": str(published_total), "total": str(total)},
            )
        )

    return TreeResult(
        total=total,
        grade=grade_for(total, bands),
        rate=percent(total, total_weight),
        nodes=tuple(root.result for root in scored),
        flags=tuple(walk.flags),
        score=score,
        applicable_weight=applicable_weight,
        complete=walk.complete,
    )

"""Properties every score must have, whatever the inputs."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from evaluations.scoring import (
    Direction,
    LadderSpec,
    LeafInput,
    NodeInput,
    PartialStep,
    Rule,
    equal_score,
    ladder_score,
    positive_score,
    proportional_score,
    reverse_system_score,
    reverse_template_score,
    score_tree,
)
from kernel.rounding import quantize


def two_places(low: str, high: str) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=Decimal(low),
        max_value=Decimal(high),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )


weights = two_places("0", "100")
targets = two_places("0", "10000")
actuals = two_places("-100", "20000")
ladders = st.builds(
    LadderSpec,
    full_at=two_places("0", "100"),
    step=two_places("0.01", "50"),
    deduct=two_places("0.01", "20"),
    partial_step=st.sampled_from(PartialStep),
    direction=st.sampled_from(Direction),
)


def assert_is_score(score: Decimal, weight: Decimal) -> None:
    assert Decimal(0) <= score <= weight
    assert quantize(score) == score


@given(
    weights,
    targets,
    actuals,
    st.sampled_from(
        [positive_score, reverse_template_score, reverse_system_score, equal_score]
    ),
)
def test_target_rules_score_within_zero_and_weight(
    weight: Decimal, target: Decimal, actual: Decimal, rule: object
) -> None:
    assert_is_score(rule(weight, target, actual), weight)  # type: ignore[operator]


@given(weights, actuals)
def test_proportional_rule_scores_within_zero_and_weight(
    weight: Decimal, actual: Decimal
) -> None:
    assert_is_score(proportional_score(weight, actual), weight)


@given(weights, actuals, ladders)
def test_ladder_rule_scores_within_zero_and_weight(
    weight: Decimal, actual: Decimal, spec: LadderSpec
) -> None:
    assert_is_score(ladder_score(weight, actual, spec), weight)


@given(weights, targets, actuals, actuals)
def test_positive_rule_never_decreases_as_actual_rises(
    weight: Decimal, target: Decimal, first: Decimal, second: Decimal
) -> None:
    low, high = sorted((first, second))
    assert positive_score(weight, target, low) <= positive_score(weight, target, high)


@given(weights, targets, actuals, actuals)
def test_reverse_rules_never_increase_as_actual_rises(
    weight: Decimal, target: Decimal, first: Decimal, second: Decimal
) -> None:
    low, high = sorted((first, second))
    for rule in (reverse_template_score, reverse_system_score):
        assert rule(weight, target, low) >= rule(weight, target, high)


@st.composite
def leaf_weights(draw: st.DrawFn) -> list[Decimal]:
    """Leaf weights in cents adding up to exactly 100."""
    cuts = draw(st.sets(st.integers(1, 9999), max_size=15))
    bounds = [0, *sorted(cuts), 10000]
    return [Decimal(b - a) / 100 for a, b in pairwise(bounds)]


@st.composite
def leaves(draw: st.DrawFn, applicable: bool = True) -> list[LeafInput]:
    result = []
    for index, weight in enumerate(draw(leaf_weights())):
        kind = draw(st.sampled_from(["positive", "proportional", "judgment"]))
        if kind == "positive":
            rule = Rule.positive()
            extra = {"target": draw(targets), "actual": draw(actuals)}
        elif kind == "proportional":
            rule = Rule.proportional()
            extra = {"actual": draw(two_places("0", "150"))}
        else:
            rule = Rule.judgment()
            extra = {"evaluator_score": draw(two_places("0", str(weight)))}
        result.append(
            LeafInput(
                key=f"leaf{index}",
                name=f"指标{index}",
                weight=weight,
                rule=rule,
                reason="依据",
                applicable=applicable or draw(st.booleans()),
                **extra,  # type: ignore[arg-type]
            )
        )
    return result


@st.composite
def trees(
    draw: st.DrawFn, applicable: bool = True
) -> tuple[NodeInput | LeafInput, ...]:
    """Leaves grouped under consistent nodes of one or two levels."""
    items: list[NodeInput | LeafInput] = list(draw(leaves(applicable)))
    for level in range(draw(st.integers(0, 2))):
        grouped: list[NodeInput | LeafInput] = []
        while items:
            size = draw(st.integers(1, max(1, len(items))))
            children, items = tuple(items[:size]), items[size:]
            grouped.append(
                NodeInput(
                    key=f"node{level}-{len(grouped)}",
                    name="节点",
                    weight=sum((child.weight for child in children), Decimal(0)),
                    children=children,
                )
            )
        items = grouped
    return tuple(items)


@given(trees())
def test_tree_total_always_equals_the_sum_of_its_leaves(
    roots: tuple[NodeInput | LeafInput, ...],
) -> None:
    result = score_tree(roots)
    leaf_sum = sum(
        (leaf.final_score or Decimal(0) for leaf in result.leaves()), Decimal(0)
    )
    assert result.total == leaf_sum
    assert Decimal(0) <= result.total <= Decimal(100)
    assert not [f for f in result.flags if f.kind == "weights_mismatch"]


@given(trees(applicable=False))
def test_rescaled_total_stays_within_zero_and_hundred(
    roots: tuple[NodeInput | LeafInput, ...],
) -> None:
    flat = _leaves_of(roots)
    if not any(leaf.applicable for leaf in flat):
        return  # nothing to score: rejected, tested elsewhere
    result = score_tree(roots)
    assert Decimal(0) <= result.total <= Decimal(100)
    assert quantize(result.total) == result.total
    not_applicable = {f.indicator for f in result.flags if f.kind == "not_applicable"}
    assert not_applicable == {leaf.key for leaf in flat if not leaf.applicable}


def _leaves_of(items: tuple[NodeInput | LeafInput, ...]) -> list[LeafInput]:
    found: list[LeafInput] = []
    for item in items:
        if isinstance(item, LeafInput):
            found.append(item)
        else:
            found.extend(_leaves_of(item.children))
    return found

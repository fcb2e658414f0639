"""Reads of target forms and the indicator library."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from targets.models import IndicatorLevel, LibraryIndicator, TargetForm, TargetIndicator


@dataclass
class IndicatorNode:
    indicator: TargetIndicator
    children: list[IndicatorNode] = field(default_factory=list)


@dataclass(frozen=True)
class TargetFormTree:
    form: TargetForm
    roots: list[IndicatorNode]
    indicators: list[TargetIndicator]  # every node, in form order

    def count(self, level: str) -> int:
        return sum(1 for i in self.indicators if i.level == level)

    @property
    def leaves(self) -> list[TargetIndicator]:
        return [i for i in self.indicators if i.level == IndicatorLevel.LEVEL3]


def target_form_tree(*, code: str) -> TargetFormTree:
    """The form ``code`` with its indicator tree, in two queries (raises ``DoesNotExist``)."""
    form = TargetForm.objects.select_related("project", "organisation").get(code=code)
    indicators = list(
        form.indicators.select_related("library_indicator").order_by("position", "id")
    )
    nodes = {i.pk: IndicatorNode(i) for i in indicators}
    roots: list[IndicatorNode] = []
    for indicator in indicators:
        node = nodes[indicator.pk]
        if indicator.parent_id is None:
            roots.append(node)
        else:
            nodes[indicator.parent_id].children.append(node)
    return TargetFormTree(form=form, roots=roots, indicators=indicators)


def level_counts(tree: TargetFormTree) -> Counter[str]:
    return Counter(i.level for i in tree.indicators)


def library_by_name() -> dict[str, LibraryIndicator]:
    """Every library indicator under its name and each of its aliases."""
    index: dict[str, LibraryIndicator] = {}
    for indicator in LibraryIndicator.objects.all():
        for name in (indicator.name, *indicator.aliases):
            index[_normalise(name)] = indicator
    return index


def _normalise(name: str) -> str:
    return "".join(name.split())


def library_match(
    index: Mapping[str, LibraryIndicator], name: str
) -> LibraryIndicator | None:
    return index.get(_normalise(name))

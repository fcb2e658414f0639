"""Reads of target forms and the indicator library."""

from __future__ import annotations

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


@dataclass(frozen=True)
class LibraryIndex:
    """Finds the library indicator a form row means, by its name and its 二级 category."""

    by_name: Mapping[str, LibraryIndicator]
    by_name_in_level2: Mapping[tuple[str, str], LibraryIndicator]

    def match(self, name: str, level2: str = "") -> LibraryIndicator | None:
        key = _normalise(name)
        return self.by_name_in_level2.get(
            (key, _normalise(level2))
        ) or self.by_name.get(key)


def library_index() -> LibraryIndex:
    """Every library indicator under its name, its aliases and its 二级-bound aliases."""
    by_name: dict[str, LibraryIndicator] = {}
    by_level2: dict[tuple[str, str], LibraryIndicator] = {}
    for indicator in LibraryIndicator.objects.select_related("category"):
        for name in (indicator.name, *indicator.aliases):
            by_name[_normalise(name)] = indicator
        level2 = indicator.category.name if indicator.category else ""
        for name in indicator.level2_aliases:
            by_level2[(_normalise(name), _normalise(level2))] = indicator
    return LibraryIndex(by_name=by_name, by_name_in_level2=by_level2)


def _normalise(name: str) -> str:
    return "".join(name.split())


LIBRARY_SEARCH_LIMIT = 20


def library_search(
    query: str, *, limit: int = LIBRARY_SEARCH_LIMIT
) -> list[LibraryIndicator]:
    """Library indicators whose name or an alias contains ``query``, best first: the
    name itself, then an alias itself, then a name and an alias that start with it, then
    the rest (接通率 before 15秒接通率; 满意率 before an entry that only mentions 满意 in
    an alias); within a rank the shorter name first, then the code."""
    query = _normalise(query)
    if not query:
        return []
    ranked: list[tuple[int, int, str, LibraryIndicator]] = []
    for item in LibraryIndicator.objects.select_related(
        "category", "category__parent"
    ).order_by("code"):
        name = _normalise(item.name)
        aliases = [_normalise(alias) for alias in item.aliases]
        if name == query:
            rank = 0
        elif query in aliases:
            rank = 1
        elif name.startswith(query):
            rank = 2
        elif any(alias.startswith(query) for alias in aliases):
            rank = 3
        elif query in name:
            rank = 4
        elif any(query in alias for alias in aliases):
            rank = 5
        else:
            continue
        ranked.append((rank, len(name), item.code, item))
    ranked.sort(key=lambda entry: entry[:3])
    return [item for *_key, item in ranked[:limit]]

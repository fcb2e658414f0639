"""The target form as the official grid (seeds 000/002/003): one row per 三级 indicator
(or per branch with nothing under it yet), each ancestor spanning the rows below it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from kernel.decimals import as_written
from kernel.indicator_values import parse_indicator_value
from targets.models import FormLayout, IndicatorLevel, TargetForm, TargetIndicator
from targets.reasonableness import Flag


@dataclass
class GridCell:
    level: str
    indicator: TargetIndicator | None = None
    rowspan: int = 1
    child_level: str = ""  # what "add below" adds here, "" when nothing can
    flags: list[Flag] = field(default_factory=list)
    comments: list[object] = field(default_factory=list)


@dataclass(frozen=True)
class PreviousYear:
    """Last year's target and actual of an indicator carried forward, for reference."""

    year: int
    target: str
    actual: str  # as entered, or the operating figure ("96.12%"); "" when none
    source: str  # where the operating figure comes from; "" when entered


@dataclass
class GridRow:
    cells: list[GridCell]
    leaf: TargetIndicator | None
    parsed: str = ""
    parsed_half: str = ""
    flags: list[Flag] = field(default_factory=list)
    comments: list[object] = field(default_factory=list)
    # what the user typed in this row, drawn instead of the stored values after an error
    entered: dict[str, str] | None = None
    previous: PreviousYear | None = None  # the indicator it was carried forward from


def columns(form: TargetForm, indicators: Sequence[TargetIndicator]) -> list[str]:
    """The level columns of the form's grid, left to right."""
    if form.layout == FormLayout.APPLICATION:
        return [IndicatorLevel.LEVEL1]
    levels: list[str] = [IndicatorLevel.LEVEL1, IndicatorLevel.LEVEL2]
    if form.layout == FormLayout.DEPARTMENT and any(
        i.level == IndicatorLevel.KEY_TASK for i in indicators
    ):
        levels.append(IndicatorLevel.KEY_TASK)
    return levels


def child_level(form: TargetForm, level: str) -> str:
    """The level an indicator added under a ``level`` node gets (三级 when it may)."""
    if form.layout == FormLayout.APPLICATION:
        return IndicatorLevel.LEVEL3 if level == IndicatorLevel.LEVEL1 else ""
    children: dict[str, str] = {
        IndicatorLevel.LEVEL1: IndicatorLevel.LEVEL2,
        IndicatorLevel.LEVEL2: IndicatorLevel.LEVEL3,
        IndicatorLevel.KEY_TASK: IndicatorLevel.LEVEL3,
    }
    return children.get(level, "")


def _paths(
    children: dict[int | None, list[TargetIndicator]],
    parent: int | None,
    above: tuple[TargetIndicator, ...] = (),
) -> Iterator[tuple[TargetIndicator, ...]]:
    for node in children.get(parent, []):
        path = (*above, node)
        if children.get(node.pk):
            yield from _paths(children, node.pk, path)
        else:
            yield path


def grid_rows(
    form: TargetForm,
    indicators: Sequence[TargetIndicator],
    flags: dict[int, list[Flag]],
    comments: dict[int, list[object]],
) -> list[GridRow]:
    children: dict[int | None, list[TargetIndicator]] = {}
    for indicator in indicators:  # already in form order
        children.setdefault(indicator.parent_id, []).append(indicator)
    paths = list(_paths(children, None))
    spans = Counter(node.pk for path in paths for node in path)
    level_columns = columns(form, indicators)
    drawn: set[int] = set()
    rows: list[GridRow] = []
    for path in paths:
        by_level = {node.level: node for node in path}
        cells: list[GridCell] = []
        for level in level_columns:
            node = by_level.get(level)
            if node is None:
                cells.append(GridCell(level))
            elif node.pk not in drawn:
                drawn.add(node.pk)
                cells.append(
                    GridCell(
                        level,
                        node,
                        spans[node.pk],
                        child_level(form, level),
                        flags.get(node.pk, []),
                        comments.get(node.pk, []),
                    )
                )
        leaf = by_level.get(IndicatorLevel.LEVEL3)
        rows.append(
            GridRow(
                cells=cells,
                leaf=leaf,
                parsed=_parsed(leaf.value_text) if leaf else "",
                parsed_half=_parsed(leaf.half_year_text) if leaf else "",
                flags=flags.get(leaf.pk, []) if leaf else [],
                comments=comments.get(leaf.pk, []) if leaf else [],
            )
        )
    return rows


def _parsed(text: str) -> str:
    """How the parser read a 指标值, for the inline preview: "≥ 90 %" or "定性"."""
    return describe(text)


def describe(text: str) -> str:
    value = parse_indicator_value(text)
    if not text.strip():
        return ""
    if value.number is None:
        return "定性"
    return f"{value.comparator} {as_written(value.number)} {value.unit}".strip()

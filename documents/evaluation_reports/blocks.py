"""The building blocks of an evaluation report: how figures print, the blocks the template
formats, the section numbering, and the length estimate that decides on a table of contents.

Blocks hold plain values only (strings, tuples, ``kernel.grids`` sections, charts), so the
report can be hashed into the render fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from budgets.models import Organisation
from documents.charts import Chart
from evaluations.reports.formatting import figure, percent, rate
from evaluations.reports.sentences import chinese_number
from kernel.grids import Section

__all__ = ["chinese_number", "figure", "percent", "rate"]

FOOTNOTE = "重构：原报告未公布该分值或得分，此为依据报告内容重构的数值，并非评价机构公布的数值。"
# A table of contents is printed when the report is estimated to run past this many
# pages (see ``estimated_pages``).
CONTENTS_FROM_PAGES = 4


# --- formatting -------------------------------------------------------------------------


# --- blocks -------------------------------------------------------------------------------

# Marks of a reconstructed figure: "" none, "mark" a ※, "footnote" the ※ that carries the
# footnote (the first one of the report).
Mark = str


@dataclass(frozen=True)
class Heading:
    """一、 (level 1), （一） (2), 1. (3) or （1） (4); levels 1 and 2 are in the contents."""

    level: int
    number: str
    text: str
    anchor: str = ""
    suffix: str = ""  # e.g. 17分, printed in parentheses after the text
    mark: Mark = ""
    block: str = field(default="heading", init=False)


@dataclass(frozen=True)
class Paragraphs:
    lines: tuple[str, ...]
    style: str = ""
    block: str = field(default="paragraphs", init=False)


@dataclass(frozen=True)
class NumberedList:
    """Items printed 1、…； 2、…； … the last ending 。 (评价依据)."""

    items: tuple[str, ...]
    style: str = "numbered"  # "numbered" 1、 or "parenthesised" （1）
    block: str = field(default="list", init=False)


@dataclass(frozen=True)
class TableBlock:
    number: str  # 表1-1
    title: str
    unit: str  # 单位：万元
    widths: tuple[int, ...]
    section: Section
    notes: tuple[str, ...] = ()
    name: str = ""  # CSS class
    block: str = field(default="table", init=False)


@dataclass(frozen=True)
class FigureBlock:
    number: str  # 图1
    title: str
    chart: Chart
    block: str = field(default="figure", init=False)


@dataclass(frozen=True)
class IndicatorBlock:
    """A 三级 indicator: （1）name（weight分）, target and actual, the reason, the score."""

    number: str
    name: str
    weight: str
    weight_mark: Mark
    values: str  # 指标值：…；实际完成值：…。
    reason: tuple[str, ...]
    # 依据评分细则，得10分 (no full stop: a mark may follow); "" when the reason says it
    score_text: str
    score_mark: Mark
    heading_level: int = 4
    block: str = field(default="indicator", init=False)


@dataclass(frozen=True)
class TextBlock:
    """Paragraphs of a report section as the evaluator wrote them, each a run of pieces:
    the text, and the figures placed from the data, a reconstructed one with its ※."""

    lines: tuple[tuple[tuple[str, Mark], ...], ...]
    block: str = field(default="text", init=False)


Block = (
    Heading
    | Paragraphs
    | NumberedList
    | TableBlock
    | FigureBlock
    | IndicatorBlock
    | TextBlock
)


@dataclass(frozen=True)
class ContentsEntry:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class EvaluationReport:
    title: str
    opening: tuple[str, ...]
    blocks: tuple[Block, ...]
    signature: tuple[str, ...]
    date: str
    contents: tuple[ContentsEntry, ...]  # empty: no table of contents
    footnote: str = FOOTNOTE

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(b.chart for b in self.blocks if isinstance(b, FigureBlock))


def name_of(organisation: Organisation | None) -> str:
    return organisation.name if organisation is not None else ""


class Builder:
    """Blocks in order, with the section numbering (closed up over omitted headings)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.counters = [0, 0, 0, 0]
        self.mark_used = False

    def heading(
        self, level: int, title: str, *, suffix: str = "", mark: Mark = ""
    ) -> None:
        self.counters[level - 1] += 1
        for deeper in range(level, len(self.counters)):
            self.counters[deeper] = 0
        number = self.number(level)
        anchor = (
            "sec-" + "-".join(str(c) for c in self.counters[:level])
            if level <= 2
            else ""
        )
        self.blocks.append(Heading(level, number, title, anchor, suffix, mark))

    def number(self, level: int) -> str:
        count = self.counters[level - 1]
        return [
            f"{chinese_number(count)}、",
            f"（{chinese_number(count)}）",
            f"{count}.",
            f"（{count}）",
        ][level - 1]

    def next_number(self, level: int) -> str:
        self.counters[level - 1] += 1
        for deeper in range(level, len(self.counters)):
            self.counters[deeper] = 0
        return self.number(level)

    def paragraphs(self, *lines: str, style: str = "") -> None:
        kept = tuple(line for line in lines if line)
        if kept:
            self.blocks.append(Paragraphs(kept, style))

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def mark(self, reconstructed: bool) -> Mark:
        """The mark of a figure: the first reconstructed one carries the footnote."""
        if not reconstructed:
            return ""
        if self.mark_used:
            return "mark"
        self.mark_used = True
        return "footnote"


# --- length -----------------------------------------------------------------------------


def _block_lines(block: Block) -> float:
    """Printed lines a block takes, roughly (45 hanzi to a line of body text)."""
    per_line = 45

    def wrapped(value: str) -> int:
        return max(1, -(-len(value) // per_line))

    match block:
        case Heading():
            return 2.0
        case Paragraphs(lines=lines):
            return float(sum(wrapped(line) for line in lines))
        case NumberedList(items=items):
            return float(sum(wrapped(item) for item in items))
        case TableBlock(section=section, notes=notes):
            rows = len(section.head) + len(section.body)
            return 3 + rows * 1.6 + sum(wrapped(note) * 0.8 for note in notes)
        case FigureBlock():
            return 18.0
        case IndicatorBlock(values=values, reason=reason):
            return 2 + wrapped(values) + sum(wrapped(line) for line in reason)
        case TextBlock(lines=lines):
            return float(
                sum(wrapped("".join(text for text, _ in line)) for line in lines)
            )
    return 1.0  # pragma: no cover - every block kind is matched above


def estimated_pages(
    opening: Sequence[str], blocks: Iterator[Block] | Sequence[Block]
) -> float:
    """How many A4 pages the report fills, estimated from its text (about 40 lines of
    body text a page): only to decide whether it gets a table of contents. Page breaks
    themselves are left to CSS."""
    lines: float = 6 + sum(max(1, -(-len(line) // 45)) for line in opening)
    lines += sum(_block_lines(block) for block in blocks)
    return lines / 40

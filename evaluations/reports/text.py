"""The text of a report section: one printed paragraph per line, with the data placed where
the evaluator writes it.

- A line that is only ``[[…]]`` places a block built from the data: ``[[表1-1]]``,
  ``[[表1-2]]``, ``[[表1-3]]``, ``[[表2]]``, ``[[表3]]``, ``[[图1]]``, ``[[图2]]`` (a
  table's own title and unit may follow: ``[[表2｜便民专线运行经费项目绩效得分情况表｜]]``,
  an empty unit printing none), or ``[[指标：坐席设置数量]]`` (the indicator's paragraph:
  its name and weight, its own 指标值 and 实际完成值, its reason and its score).
- ``{{name}}`` inside a line places a figure computed from the data (``figures``):
  ``{{受理量同比增长率}}`` → 37.83%; modifiers after ``|``: ``简`` prints it without
  trailing zeros (19.50 → 19.5), ``绝对值`` without its sign (−15.03% → 15.03%).
- ``〔原文不清〕``, the fixtures' marker of an unreadable source, never prints as such: it
  prints as ``（原文此处无法辨认）``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNREADABLE_MARKER = "〔原文不清〕"
UNREADABLE_PRINTED = "（原文此处无法辨认）"

TABLES = ("表1-1", "表1-2", "表1-3", "表2", "表3")
FIGURES = ("图1", "图2")
INDICATOR_PREFIX = "指标："

_BLOCK = re.compile(r"^\[\[([^\[\]]+)\]\]$")
# Linear: no nested quantifiers; a name holds no braces or bars.
_TOKEN = re.compile(r"\{\{([^{}|｜]+)((?:[|｜][^{}|｜]*)*)\}\}")
MODIFIERS = ("简", "绝对值")


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Placement:
    """A block placed by ``[[…]]``: ``kind`` is a table or figure number (表2, 图1) or
    ``指标`` with the indicator's name in ``argument``; ``title``/``unit`` are None when
    the line gives none (the block's own is printed)."""

    kind: str
    argument: str = ""
    title: str | None = None
    unit: str | None = None

    @property
    def source(self) -> str:
        if self.kind == "指标":
            return f"[[{INDICATOR_PREFIX}{self.argument}]]"
        parts = [self.kind]
        if self.title is not None or self.unit is not None:
            parts.append(self.title or "")
        if self.unit is not None:
            parts.append(self.unit)
        return "[[" + "｜".join(parts) + "]]"


Line = Paragraph | Placement


@dataclass(frozen=True)
class Token:
    name: str
    modifiers: tuple[str, ...]
    start: int
    end: int


class TextError(ValueError):
    """A line of a section's text that cannot be printed (an unknown block, a modifier)."""


def lines_of(body: str) -> tuple[Line, ...]:
    """The printed lines of ``body`` (blank lines dropped); raises ``TextError`` on a
    ``[[…]]`` line that names no block."""
    found: list[Line] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _BLOCK.match(line)
        found.append(placement(match.group(1)) if match else Paragraph(line))
    return tuple(found)


def placement(inside: str) -> Placement:
    parts = [p.strip() for p in re.split(r"[|｜]", inside)]
    head = parts[0]
    if head.startswith(INDICATOR_PREFIX) or head.startswith("指标:"):
        name = head[3:].strip()
        if not name or len(parts) > 1:
            raise TextError(f"[[{inside}]]")
        return Placement("指标", name)
    number = head.replace(" ", "")
    if number not in TABLES + FIGURES or len(parts) > 3:
        raise TextError(f"[[{inside}]]")
    title = parts[1] if len(parts) > 1 else None
    unit = parts[2] if len(parts) > 2 else None
    return Placement(number, "", title, unit)


def tokens_of(text: str) -> tuple[Token, ...]:
    found = []
    for match in _TOKEN.finditer(text):
        modifiers = tuple(
            m.strip() for m in re.split(r"[|｜]", match.group(2)) if m.strip()
        )
        found.append(Token(match.group(1).strip(), modifiers, *match.span()))
    return tuple(found)


def printable(text: str) -> str:
    """Text as printed: the fixtures' unreadable-source marker never reaches a page."""
    return text.replace(UNREADABLE_MARKER, UNREADABLE_PRINTED)

"""A typesetter's rules read off a rendered PDF with pdfplumber's positions: no table
row alone on a page, no heading last on a page, no number split from its unit, nothing past
the margins, contents with aligned leaders and page numbers. Each function returns the
breaches it finds, worded so that a failing test says where to look (page, text)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pdfplumber

MM = 72 / 25.4
HEADER_BOTTOM = 68.0  # the running header's band, in points from the top
FOOTER_TOP = 62.0  # the page-number band, in points from the bottom
UNIT_START = re.compile(
    r"^(万元|万件|万个|万次|万|元|分|%|％|‰|个|人次|人|件|次|条|项|家|名|秒|小时|天|倍|平方米)"
)
NUMBER_END = re.compile(r"[\d.,]$")


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    fonts: frozenset[str]


@dataclass(frozen=True)
class TableOnPage:
    page: int
    top: float
    bottom: float
    rows: tuple[tuple[str, ...], ...]  # squashed cell texts, merged cells as ""


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _is_bold_sans(font: str) -> bool:
    return "Sans" in font and "Bold" in font


def _lines(page: Any, number: int, bbox: tuple[float, ...] | None = None) -> list[Line]:
    area = page.crop(bbox) if bbox else page
    found = []
    for line in area.extract_text_lines(return_chars=True, layout=False):
        chars = [c for c in line["chars"] if c["text"].strip()]
        if not chars:
            continue
        found.append(
            Line(
                page=number,
                text="".join(c["text"] for c in chars),
                x0=min(c["x0"] for c in chars),
                x1=max(c["x1"] for c in chars),
                top=min(c["top"] for c in chars),
                bottom=max(c["bottom"] for c in chars),
                fonts=frozenset(
                    re.sub(r"^[A-Z]{6}\+", "", c["fontname"]) for c in chars
                ),
            )
        )
    return found


class Layout:
    """The pages of one PDF, read once."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf = pdf
        self.body_lines: list[list[Line]] = []
        self.tables: list[list[TableOnPage]] = []
        self.cell_lines: list[list[list[Line]]] = []  # per page, per cell
        self.cell_boxes: list[list[tuple[float, float, float, float]]] = []
        self.chars: list[list[dict[str, Any]]] = []
        self.sizes: list[tuple[float, float]] = []
        with pdfplumber.open(BytesIO(pdf)) as reader:
            for number, page in enumerate(reader.pages, start=1):
                self.sizes.append((float(page.width), float(page.height)))
                self.chars.append(list(page.chars))
                found = page.find_tables()
                boxes = [t.bbox for t in found]
                self.tables.append(
                    [
                        TableOnPage(
                            page=number,
                            top=t.bbox[1],
                            bottom=t.bbox[3],
                            rows=tuple(
                                tuple(_squash(c) for c in row) for row in t.extract()
                            ),
                        )
                        for t in found
                    ]
                )
                cells = []
                cell_boxes = []
                for table in found:
                    for row in table.rows:
                        for cell in row.cells:
                            if cell is not None:
                                cells.append(_lines(page, number, cell))
                                cell_boxes.append(tuple(cell))
                self.cell_lines.append(cells)
                self.cell_boxes.append(cell_boxes)
                body = [
                    line
                    for line in _lines(page, number)
                    if line.top > HEADER_BOTTOM
                    and line.bottom < page.height - FOOTER_TOP
                    and not any(
                        b[0] - 1 <= line.x0
                        and line.x1 <= b[2] + 1
                        and b[1] - 1 <= line.top
                        and line.bottom <= b[3] + 1
                        for b in boxes
                    )
                ]
                self.body_lines.append(body)

    @property
    def pages(self) -> int:
        return len(self.sizes)

    # ------------------------------------------------------------------ the rules

    def headings_last_on_a_page(self) -> list[str]:
        """A heading or caption (bold sans, outside tables) that ends its page's text."""
        breaches = []
        for number in range(1, self.pages):  # the last page may end anywhere
            lines = self.body_lines[number - 1]
            tables = self.tables[number - 1]
            if not lines:
                continue
            last = max(lines, key=lambda line: line.bottom)
            if any(t.top > last.bottom for t in tables):
                continue  # a table follows it on the same page
            if all(_is_bold_sans(f) for f in last.fonts) or re.match(
                r"^(表|图)\d", last.text
            ):
                breaches.append(f"p.{number}: heading “{last.text}” last on the page")
        return breaches

    def table_splits(self) -> list[tuple[int, int, int, str]]:
        """(page, body rows before, body rows after, first head cell) of each table a
        page break splits: the last table of a page whose heading rows open the next."""
        splits = []
        for number in range(1, self.pages):
            here, there = self.tables[number - 1], self.tables[number]
            if not here or not there:
                continue
            last = max(here, key=lambda t: t.bottom)
            first = min(there, key=lambda t: t.top)
            before_first = [
                line for line in self.body_lines[number] if line.bottom < first.top
            ]
            after_last = [
                line for line in self.body_lines[number - 1] if line.top > last.bottom
            ]
            if before_first or after_last:
                continue  # text between them: not one table running over
            head = 0
            while (
                head < min(len(last.rows), len(first.rows))
                and last.rows[head] == first.rows[head]
                and head < 3
            ):
                head += 1
            head = max(head, _head_rows(first))
            before = len(last.rows) - head
            after = len(first.rows) - head
            splits.append((number, before, after, (first.rows[0] or ("",))[0]))
        return splits

    def lonely_rows(self) -> list[str]:
        """Page breaks leaving fewer than two body rows of a table on either side."""
        return [
            f"p.{page}→{page + 1}: table “{head}” split {before}/{after} body rows"
            for page, before, after, head in self.table_splits()
            if before < 2 or after < 2
        ]

    def numbers_split_from_units(self) -> list[str]:
        """A line ending in a figure whose next line (same block) starts with its unit or
        more of the figure."""
        breaches = []
        blocks: list[list[Line]] = [*self.body_lines]
        for cells in self.cell_lines:
            blocks.extend(cells)
        for lines in blocks:
            ordered = sorted(lines, key=lambda line: (line.top, line.x0))
            right = max((line.x1 for line in ordered), default=0)
            for upper, lower in itertools.pairwise(ordered):
                height = upper.bottom - upper.top
                if lower.top - upper.bottom > height:
                    continue  # another paragraph
                if upper.x1 < right - 2 * height:
                    continue  # the line ends short: not wrapped there
                if NUMBER_END.search(upper.text) and (
                    UNIT_START.match(lower.text) or lower.text[:1].isdigit()
                ):
                    breaches.append(
                        f"p.{upper.page}: “…{upper.text[-8:]}” / “{lower.text[:8]}…”"
                    )
        return breaches

    def outside_margins(self, left_mm: float, right_mm: float) -> list[str]:
        """Characters drawn left of the left margin or right of the right one."""
        breaches = []
        for number, chars in enumerate(self.chars, start=1):
            width = self.sizes[number - 1][0]
            for char in chars:
                if not char["text"].strip():
                    continue
                if (
                    char["x0"] < left_mm * MM - 1
                    or char["x1"] > width - right_mm * MM + 1
                ):
                    breaches.append(
                        f"p.{number}: “{char['text']}” at x {char['x0']:.1f}–"
                        f"{char['x1']:.1f} of {width:.0f}"
                    )
        return breaches

    def text_across_cell_rules(self) -> list[str]:
        """Characters drawn across a table cell's left or right rule (text too wide for
        its cell, such as an unbreakable word in a narrow column)."""
        breaches = []
        for number, chars in enumerate(self.chars, start=1):
            for x0, top, x1, bottom in self.cell_boxes[number - 1]:
                for char in chars:
                    if not char["text"].strip():
                        continue
                    if char["bottom"] < top or char["top"] > bottom:
                        continue
                    for rule in (x0, x1):
                        if char["x0"] < rule - 0.5 and char["x1"] > rule + 0.5:
                            breaches.append(
                                f"p.{number}: “{char['text']}” across the rule at "
                                f"x {rule:.1f}"
                            )
        return breaches

    def title_lines(self, page: int = 1, min_size: float = 15) -> list[str]:
        """The lines of the large title on ``page``."""
        chars = [c for c in self.chars[page - 1] if c["size"] >= min_size]
        rows: dict[int, list[dict[str, Any]]] = {}
        for char in chars:
            rows.setdefault(round(char["top"]), []).append(char)
        return [
            "".join(c["text"] for c in sorted(row, key=lambda c: c["x0"]))
            for _top, row in sorted(rows.items())
        ]

    def contents_entries(self) -> Iterator[tuple[Line, list[dict[str, Any]]]]:
        """Each contents line of page 1 with its characters."""
        for line in self.body_lines[0]:
            if re.search(r"\.{3,}\s*\d+$", line.text):
                chars = sorted(
                    (
                        c
                        for c in self.chars[0]
                        if c["text"].strip()
                        and abs(c["top"] - line.top) < 2
                        and line.x0 - 1 <= c["x0"] <= line.x1 + 1
                    ),
                    key=lambda c: c["x0"],
                )
                yield line, chars


def _head_rows(table: TableOnPage) -> int:
    """Heading rows at the top of a continued table: rows up to the first that holds a
    figure (a heading row holds none)."""
    for index, row in enumerate(table.rows):
        if any(re.search(r"\d", cell) for cell in row):
            return index
    return 0


def leader_breaches(layout: Layout) -> list[str]:
    """Contents: page numbers flush right (one right edge), each leader starting within a
    dot of its text and ending within a dot of its number."""
    breaches = []
    rights: list[float] = []
    for line, chars in layout.contents_entries():
        dots = [i for i, c in enumerate(chars) if c["text"] == "."]
        number = [c for c in chars[dots[-1] + 1 :]]
        text = chars[: dots[0]]
        rights.append(max(c["x1"] for c in number))
        dot = chars[dots[0]]["x1"] - chars[dots[0]]["x0"]
        pitch = (
            (chars[dots[-1]]["x0"] - chars[dots[0]]["x0"]) / (len(dots) - 1)
            if len(dots) > 1
            else dot
        )
        gap_before = chars[dots[0]]["x0"] - max(c["x1"] for c in text)
        gap_after = min(c["x0"] for c in number) - chars[dots[-1]]["x1"]
        if gap_before > pitch * 1.5 or gap_after > pitch * 1.5:
            breaches.append(
                f"“{line.text[:12]}”: leader gap {gap_before:.1f} pt before, "
                f"{gap_after:.1f} pt after (dot pitch {pitch:.1f} pt)"
            )
    if rights and max(rights) - min(rights) > 0.5:
        breaches.append(
            f"page numbers' right edges {min(rights):.1f}–{max(rights):.1f} pt"
        )
    return breaches


def lines_of(layout: Layout, texts: Sequence[str]) -> list[Line]:
    return [line for page in layout.body_lines for line in page if line.text in texts]

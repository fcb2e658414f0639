"""Official form grids: rows of cells with their merges, shared by the PDF and the workbook.

A form is laid out once, in Python, as a ``Grid``; the print template draws it as HTML tables
(``templates/reports/target_form.html``) and ``targets.workbooks`` writes the same cells and
merges into a worksheet, so the two files cannot drift apart. Cells hold values, not markup:
the template and the workbook each format them (amounts, paragraphs, check boxes).

Each ``Section`` becomes one table: its ``head`` rows repeat at the top of every page the
table runs onto. ``SectionBuilder`` places cells the way HTML does (a cell goes into the
first column not taken by a ``rowspan`` from above) and records each cell's column, which the
workbook needs for its merged ranges.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import TypedDict, Unpack


class CellFormat(StrEnum):
    TEXT = "text"
    PARAGRAPHS = "paragraphs"  # one paragraph per line of ``text``
    AMOUNT = "amount"  # ``amount``: money, two decimals with thousands separators
    CHECKS = "checks"  # ``checks``: lines of check boxes


@dataclass(frozen=True)
class Check:
    """One option of a check-box row (项目类型, 资金用途), ticked or not."""

    label: str
    checked: bool

    @property
    def box(self) -> str:
        return "☑" if self.checked else "☐"


@dataclass(frozen=True)
class Cell:
    text: str = ""
    format: CellFormat = CellFormat.TEXT
    amount: Decimal | None = None
    checks: tuple[tuple[Check, ...], ...] = ()
    header: bool = False  # a label or column heading (th) rather than data (td)
    style: str = ""  # CSS class and workbook style: level1, level2, key-task, …
    rowspan: int = 1
    colspan: int = 1
    # Continues the cell above it across a section boundary (a label column that runs
    # from the repeated heading down the whole table): one merged range in the workbook.
    joins_above: bool = False
    col: int = 0  # first column, 0-based; set by SectionBuilder


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    # Long text rows may break across pages; indicator rows never do.
    breakable: bool = False


@dataclass(frozen=True)
class Section:
    name: str
    head: tuple[Row, ...]
    body: tuple[Row, ...]


@dataclass(frozen=True)
class Grid:
    title: str
    subtitle: str
    widths: tuple[int, ...]  # column widths in percent of the page width
    sections: tuple[Section, ...]
    preamble: tuple[str, ...] = ()  # lines between the title and the first table
    landscape: bool = False  # printed across an A4 page laid on its side (PDF and xlsx)

    def __post_init__(self) -> None:
        if sum(self.widths) != 100:
            raise ValueError(f"Column widths add up to {sum(self.widths)}, not 100.")


class CellOptions(TypedDict, total=False):
    rowspan: int
    colspan: int
    style: str
    joins_above: bool


def label(value: str, **options: Unpack[CellOptions]) -> Cell:
    options.setdefault("style", "label")
    return Cell(text=value, header=True, **options)


def text(value: str, **options: Unpack[CellOptions]) -> Cell:
    return Cell(text=value, **options)


def paragraphs(value: str, **options: Unpack[CellOptions]) -> Cell:
    return Cell(text=value, format=CellFormat.PARAGRAPHS, **options)


def amount(value: Decimal | None, **options: Unpack[CellOptions]) -> Cell:
    options.setdefault("style", "amount")
    return Cell(amount=value, format=CellFormat.AMOUNT, **options)


def checks(
    lines: tuple[tuple[Check, ...], ...], **options: Unpack[CellOptions]
) -> Cell:
    return Cell(checks=lines, format=CellFormat.CHECKS, **options)


@dataclass
class _Rows:
    columns: int
    rows: list[Row] = field(default_factory=list)
    # (row index, column) positions covered by a rowspan from an earlier row.
    taken: set[tuple[int, int]] = field(default_factory=set)

    def add(self, cells: tuple[Cell, ...], breakable: bool) -> None:
        index, col, placed = len(self.rows), 0, []
        for cell in cells:
            while (index, col) in self.taken:
                col += 1
            placed.append(replace(cell, col=col))
            for r in range(index + 1, index + cell.rowspan):
                for c in range(col, col + cell.colspan):
                    self.taken.add((r, c))
            col += cell.colspan
        while (index, col) in self.taken:
            col += 1
        if col != self.columns:
            raise ValueError(
                f"Row {index} fills {col} of {self.columns} columns: {cells!r}"
            )
        self.rows.append(Row(tuple(placed), breakable))

    def done(self) -> tuple[Row, ...]:
        overhang = [r for r, _c in self.taken if r >= len(self.rows)]
        if overhang:
            raise ValueError("A rowspan runs past the last row of its section.")
        return tuple(self.rows)


class SectionBuilder:
    """Builds one table of ``columns`` columns, row by row, checking that rows are full."""

    def __init__(self, name: str, columns: int) -> None:
        self.name = name
        self._head = _Rows(columns)
        self._body = _Rows(columns)

    def head(self, *cells: Cell) -> None:
        self._head.add(cells, breakable=False)

    def row(self, *cells: Cell, breakable: bool = False) -> None:
        self._body.add(cells, breakable)

    @property
    def body_rows(self) -> int:
        return len(self._body.rows)

    def build(self) -> Section:
        return Section(self.name, self._head.done(), self._body.done())


def section_line_rows(section: Section, *, kept_whole: int) -> Section:
    """``section`` with each breakable row of a label beside one text of several lines cut
    into a row per line: the label spans them and each later line's cell joins the one
    above (no rule between), so that the text still reads as one cell. A line of up to
    ``kept_whole`` characters is a row that does not break, so a page starts between two
    lines, where ``section_split_at`` prints the label again: a page that starts inside a
    single row leaves its label cell blank (WeasyPrint, like a browser, draws a cell's
    content once). For the printed page; a workbook keeps the text in one cell."""
    body: list[Row] = []
    for row in section.body:
        lines = _text_lines(row)
        if not lines:
            body.append(row)
            continue
        label, text = row.cells
        body.append(
            Row(
                (replace(label, rowspan=len(lines)), replace(text, text=lines[0])),
                breakable=len(lines[0]) > kept_whole,
            )
        )
        body += [
            Row(
                (replace(text, text=line, joins_above=True),),
                breakable=len(line) > kept_whole,
            )
            for line in lines[1:]
        ]
    return replace(section, body=tuple(body))


def _text_lines(row: Row) -> list[str]:
    """The lines of a breakable label-and-text row's text when it has several, else []."""
    if not row.breakable or len(row.cells) != 2:
        return []
    label, text = row.cells
    if (
        not label.header
        or text.format is not CellFormat.PARAGRAPHS
        or label.rowspan != 1
        or text.rowspan != 1
    ):
        return []
    lines = [line for line in text.text.splitlines() if line.strip()]
    return lines if len(lines) > 1 else []


def section_split_at(section: Section, rows: set[int] | frozenset[int]) -> Section:
    """``section`` with each merged cell that runs across one of body ``rows`` (a row that
    starts a printed page) cut there and continued by a copy of itself from that row on:
    a label spanning three pages prints on each of them.

    A page that begins inside a merged cell of a printed table shows that cell blank
    (WeasyPrint, like a browser, draws a cell's content once, where it starts); the form on
    paper repeats the label. The copy is marked ``continued`` (style ``continued``). A cell
    of a cut row that joined the one above it (a long text's next line) has its rule
    again: the page's table starts there."""
    body = [list(row.cells) for row in section.body]
    for cut in sorted(r for r in rows if 0 < r < len(body)):
        body[cut] = [replace(c, joins_above=False) for c in body[cut]]
        for start in range(cut):
            for index, cell in enumerate(body[start]):
                end = start + cell.rowspan
                if start < cut < end:
                    body[start][index] = replace(cell, rowspan=cut - start)
                    copy = replace(
                        cell,
                        rowspan=end - cut,
                        style=f"{cell.style} continued".strip(),
                        joins_above=False,
                    )
                    position = sum(1 for c in body[cut] if c.col < cell.col)
                    body[cut].insert(position, copy)
    return replace(
        section,
        body=tuple(
            Row(tuple(cells), breakable=old.breakable)
            for cells, old in zip(body, section.body, strict=True)
        ),
    )

"""The XML of a workbook's sheets, read as a stream by a real XML parser (expat).

Nothing here trusts how an attribute is quoted, which namespace prefix an element has or
what the sheet declares: every ``<row>`` and ``<c>`` is placed as a spreadsheet program
places it (by its ``r`` attribute, or one after the previous when it has none), and the
scan stops at the first cell beyond the bounds, so a sheet that claims cell XFD1048576 is
refused after reading that one cell. Document type declarations (and so every entity) are
refused outright: an OOXML part never has one.

What the scan finds that is not a refusal (formulas, error values, merged ranges) comes
back in ``SheetFacts`` for the reader to judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final
from xml.parsers import expat

from kernel.spreadsheets.limits import (
    FileRefused,
    Limits,
    cell_name,
    column_index,
    column_letter,
    control_message,
    extent_message,
    first_control,
    length_message,
    refuse,
)
from kernel.spreadsheets.packages import corrupt

_REFERENCE: Final = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_ESCAPE: Final = re.compile(r"_x([0-9A-Fa-f]{4})_")
"""How OOXML writes a character XML cannot hold (``_x0001_``); readers decode it."""


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _parse(chunks: Iterable[bytes], parser: expat.XMLParserType) -> None:
    def no_doctype(*_args: object) -> None:
        raise refuse(
            "工作簿含有文档类型声明（DTD），可能是恶意构造的文件，已拒绝", code="dtd"
        )

    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    parser.buffer_text = True
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise corrupt() from None


def _decoded_control(text: str) -> str | None:
    if "_x" not in text:
        return first_control(text)
    for match in _ESCAPE.finditer(text):
        char = chr(int(match[1], 16))
        if first_control(char):
            return char
    return first_control(text)


# --------------------------------------------------------------------------- strings


@dataclass
class SharedStrings:
    """The shared strings a cell may not hold: index → (problem, detail)."""

    count: int = 0
    flagged: dict[int, tuple[str, str]] = field(default_factory=dict)


def scan_shared_strings(chunks: Iterable[bytes], limits: Limits) -> SharedStrings:
    strings = SharedStrings()
    parts: list[str] = []
    length = 0
    in_text = False
    parser = expat.ParserCreate()

    def start(name: str, _attributes: dict[str, str]) -> None:
        nonlocal length, in_text
        local = _local(name)
        if local == "si":
            parts.clear()
            length = 0
        elif local == "t":
            in_text = True

    def end(name: str) -> None:
        nonlocal in_text
        local = _local(name)
        if local == "t":
            in_text = False
        elif local == "si":
            index = strings.count
            strings.count += 1
            if strings.count > limits.max_cells:  # a reader keeps every one in memory
                raise refuse(
                    f"工作簿的共享字符串超过 {limits.max_cells:,} 个的上限（比单元格上限还多）："
                    "请在 Excel 中另存为新文件后再上传",
                    code="cells",
                )
            if length > limits.max_cell_chars:
                strings.flagged[index] = ("length", f"{limits.max_cell_chars:,}+")
            elif char := _decoded_control("".join(parts)):
                strings.flagged[index] = ("control", char)

    def text(data: str) -> None:
        nonlocal length
        if in_text:
            length += len(data)
            if length <= limits.max_cell_chars:  # beyond, only counted
                parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    _parse(chunks, parser)
    return strings


# --------------------------------------------------------------------------- sheets


@dataclass
class SheetFacts:
    """What a sheet holds, as found in its XML: ``rows`` and ``columns`` are the extent
    actually used (1-based row, column count), ``cells`` the cells written."""

    name: str
    path: str
    rows: int = 0
    columns: int = 0
    cells: int = 0
    formulas: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(cell, error value such as ``#DIV/0!``)"""
    merged: list[str] = field(default_factory=list)


_CELL_ELEMENTS: Final = {"c": 1, "row": 2, "f": 3, "dimension": 4, "mergeCell": 5}
_TEXT_TYPES: Final = frozenset({"s", "e", "str", "inlineStr"})


def scan_sheet(
    chunks: Iterable[bytes],
    facts: SheetFacts,
    limits: Limits,
    strings: SharedStrings,
    cells_before: int = 0,
) -> SheetFacts:
    """Fill ``facts`` from the sheet's XML, or refuse the file.

    Made for speed, since it runs once per element of sheets of up to 20,000 rows: one
    start handler (no end handler: a text cell's text is everything from its ``<c>`` to
    the next ``<c>`` or ``<row>``, whitespace between elements changing nothing checked),
    and a text handler switched on only inside a cell whose text is checked."""
    max_row = limits.max_rows + limits.header_rows
    max_columns = limits.max_columns
    max_cells = limits.max_cells - cells_before
    max_chars = limits.max_cell_chars
    kinds: dict[str, int] = {}  # element name, whatever its prefix → what it is
    # A shared-string cell's text (its index) matters only if some string is flagged.
    text_types = _TEXT_TYPES if strings.flagged else _TEXT_TYPES - {"s"}
    row = 0
    column = -1
    rows = 0
    columns = 0
    cells = 0
    cell_type = ""
    in_text_cell = False
    parts: list[str] = []
    length = 0
    parser = expat.ParserCreate()

    def kind(name: str) -> int:
        found = _CELL_ELEMENTS.get(name.rpartition(":")[2], 0)
        kinds[name] = found
        return found

    def here() -> str:
        return cell_name(row, column)

    def where() -> str:
        sheet = f"工作表“{facts.name}”" if facts.name else "工作表"
        return f"{sheet}单元格 {here()}"

    def refuse_cell(message: str, code: str) -> FileRefused:
        return refuse(message, row=row, column=column_letter(column), code=code)

    def beyond() -> FileRefused:
        last = column_letter(max(columns - 1, 0))
        return refuse(
            extent_message(f"实际使用到第 {rows} 行、第 {last} 列", limits),
            code="extent",
        )

    def text(data: str) -> None:
        nonlocal length
        length += len(data)
        if length > max_chars:
            raise refuse_cell(
                length_message(where(), f"{max_chars:,}+", max_chars), "cell_length"
            )
        parts.append(data)

    def close_cell() -> None:
        nonlocal in_text_cell
        in_text_cell = False
        parser.CharacterDataHandler = None
        value = "".join(parts)
        if cell_type == "s":
            index = value.strip()
            flag = (
                strings.flagged.get(int(index))
                if index.isdigit() and len(index) <= 9
                else None
            )
            if flag is not None and flag[0] == "length":
                raise refuse_cell(
                    length_message(where(), flag[1], max_chars), "cell_length"
                )
            if flag is not None:
                raise refuse_cell(control_message(where(), flag[1]), "control")
        elif cell_type == "e":
            facts.errors.append((here(), value.strip()[:20]))
        elif char := _decoded_control(value):
            raise refuse_cell(control_message(where(), char), "control")

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal row, column, rows, columns, cells, cell_type, in_text_cell, length
        found = kinds.get(name)
        if found is None:
            found = kind(name)
        if not found:
            return
        if in_text_cell and found <= 2:
            close_cell()
        if found == 1:  # <c>
            reference = attributes.get("r")
            if reference is None:
                column += 1
                row = row or 1
            else:
                match = _REFERENCE.fullmatch(reference)
                if match is None:
                    raise corrupt()
                column = column_index(match[1])
                row = int(match[2])
            if row > rows:
                rows = row
            if column >= columns:
                columns = column + 1
            if row > max_row or column >= max_columns:
                raise beyond()
            cells += 1
            if cells > max_cells:
                raise _too_many_cells(limits)
            cell_type = attributes.get("t", "n")
            if cell_type in text_types:
                in_text_cell = True
                parts.clear()
                length = 0
                parser.CharacterDataHandler = text
        elif found == 2:  # <row>
            reference = attributes.get("r")
            if reference is None:
                row += 1
            elif reference.isdigit() and len(reference) <= 7:
                row = int(reference)
            else:
                raise corrupt()
            column = -1
            if row > rows:
                rows = row
            if row > max_row:
                raise beyond()
        elif found == 3:  # <f>: a formula wherever it is
            facts.formulas.append(here())
        elif found == 4:
            _dimension(attributes.get("ref", ""), max_row, limits)
        elif found == 5:
            cells += _merge(attributes.get("ref", ""), max_row, limits)
            if cells > max_cells:
                raise _too_many_cells(limits)
            facts.merged.append(attributes.get("ref", "").strip())

    parser.StartElementHandler = start
    _parse(chunks, parser)
    if in_text_cell:
        close_cell()
    facts.rows, facts.columns, facts.cells = rows, columns, cells
    return facts


def _too_many_cells(limits: Limits) -> FileRefused:
    return refuse(
        f"工作簿的单元格（含合并单元格）超过 {limits.max_cells:,} 个的上限："
        "请删除多余的内容，或分成几个文件上传",
        code="cells",
    )


def _range(ref: str) -> tuple[int, int, int, int] | None:
    first, _, last = ref.strip().partition(":")
    a = _REFERENCE.fullmatch(first)
    b = _REFERENCE.fullmatch(last or first)
    if a is None or b is None:
        return None
    return int(a[2]), column_index(a[1]), int(b[2]), column_index(b[1])


def _dimension(ref: str, max_row: int, limits: Limits) -> None:
    corners = _range(ref)
    if corners is None:
        return  # readers ignore a dimension they cannot read
    _r1, _c1, last_row, last_column = corners
    if last_row > max_row or last_column >= limits.max_columns:
        raise refuse(extent_message(f"声明的范围 {ref.strip()}", limits), code="extent")


def _merge(ref: str, max_row: int, limits: Limits) -> int:
    """The cells of merged range ``ref``, refused beyond the extent."""
    corners = _range(ref)
    if corners is None:
        raise corrupt()
    r1, c1, r2, c2 = corners
    if max(r1, r2) > max_row or max(c1, c2) >= limits.max_columns:
        raise refuse(
            extent_message(f"的合并单元格 {ref.strip()} 超出范围", limits),
            code="extent",
        )
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)

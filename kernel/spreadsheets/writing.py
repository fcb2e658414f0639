"""Text written into an openpyxl workbook as text, exactly as it reads.

openpyxl stores a string that starts with ``=`` as a formula, and Excel reads a cell that
someone edits as a formula when its text starts with ``=`` ``+`` ``-`` or ``@`` (指标值
such as ``=100%``, ``-5%``). A text cell written here holds the text itself, as a string,
with Excel's quote prefix: the apostrophe typed before ``=100%``, which is a mark of the
cell, neither part of its value nor shown, so that the cell prints ``=100%``, reads back as
``=100%`` and stays text when edited. (A literal leading apostrophe, as a CSV export needs
— ``core.resources.escape_formula`` — would be printed by Excel as ``'=100%``.) Control
characters, which openpyxl refuses in a whole workbook, are dropped (``kernel.text``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from kernel.text import without_controls

FORMULA_PREFIXES = ("=", "+", "-", "@")
"""What makes Excel read an edited cell's text as a formula."""


def write_text(cell: Cell | MergedCell, value: str) -> None:
    """``value`` into ``cell`` as text, with the quote prefix where Excel would take it
    for a formula."""
    text = without_controls(value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def write_value(cell: Cell | MergedCell, value: object) -> None:
    """``value`` into ``cell``: a text as text (``write_text``), anything else as it is."""
    if isinstance(value, str):
        write_text(cell, value)
    else:
        cell.value = cast(Any, value)  # openpyxl refuses a type it cannot write


def append_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """``values`` as the next row of ``sheet``, each text as text."""
    cells = []
    for value in values:
        cell = Cell(sheet, row=1, column=1)  # placed by ``append``
        write_value(cell, value)
        cells.append(cell)
    sheet.append(cells)

"""Target forms as Excel workbooks in their official grids (finance staff exchange xlsx).

The workbook is written from the same ``kernel.grids.Grid`` as the PDF, so it has the
same rows, columns and merged cells: title and year lines, then each section's heading and
body rows. Amounts are numbers formatted ``#,##0.00`` (so they add up in Excel); every other
cell is text, stored as a string even when it starts with ``=`` (指标值 such as ``=100%``
are text as printed, never formulas), with Excel's quote prefix so that editing it in Excel
keeps it text. Rows are as high as their text, read from the top; a text longer than one
row can hold (409 pt, Excel's cap) runs on over merged continuation rows. Page setup: A4
portrait (landscape for a grid printed so: the 绩效运行监控表), one page wide, each
sheet's indicator heading repeated on every printed page, "第 X 页 共 Y 页" in the footer;
an indicator table whose heading differs from the one before it (a department form's 履职
table, with its 重点工作 column) is a sheet of its own, since Excel repeats one set of rows
per sheet.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kernel.grids import Cell, CellFormat, Grid, Row, Section
from kernel.spreadsheets.writing import write_text

# A4 portrait at 100 % holds about 95 characters of the default width across; landscape
# (297 mm for 210 mm) about 134.
SHEET_WIDTH_CHARS = 95
LANDSCAPE_WIDTH_CHARS = 134
Orientation = Literal["portrait", "landscape"]
LINE_HEIGHT_POINTS = 15.0
MAX_ROW_HEIGHT_POINTS = 409.0  # Excel's limit
AMOUNT_FORMAT = "#,##0.00"

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY_FONT = Font(name="宋体", size=10)
_LABEL_FONT = Font(name="黑体", size=10, bold=True)
_TITLE_FONT = Font(name="黑体", size=16, bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="F0F0F0")
_CENTRED_STYLES = {"label", "level1", "level2", "key-task", "value", "lead"}


def cell_text(cell: Cell) -> str:
    """The text of a cell as the workbook holds it (amounts are numbers instead)."""
    if cell.format == CellFormat.CHECKS:
        return "\n".join(
            "　".join(f"{check.label} {check.box}" for check in line)
            for line in cell.checks
        )
    return cell.text


def grid_workbook(grid: Grid, *, running_header: str = "") -> Workbook:
    """A workbook holding ``grid``: the title, the header block and the first indicator
    table on the first sheet, and each later indicator table whose heading differs from
    the one before it on a sheet of its own, so that every sheet repeats, on each printed
    page, the heading that matches its columns (Excel has one set of print titles per
    sheet: a department form's 履职 table has a 重点工作 column the others lack)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = grid.title[:31]
    columns = len(grid.widths)
    across = LANDSCAPE_WIDTH_CHARS if grid.landscape else SHEET_WIDTH_CHARS
    char_widths = [across * w / 100 for w in grid.widths]
    orientation: Orientation = "landscape" if grid.landscape else "portrait"
    _sheet_setup(sheet, char_widths, running_header, orientation)

    row = 1
    for line, font in [(grid.title, _TITLE_FONT), (grid.subtitle, _BODY_FONT)]:
        if line:
            _banner(sheet, row, columns, line, font)
            row += 1
    sheet.row_dimensions[1].height = 28
    for line in grid.preamble:
        _banner(sheet, row, columns, line, _BODY_FONT, centred=False)
        row += 1

    heading: tuple[tuple[str, ...], ...] | None = None  # the current sheet's
    for section in grid.sections:
        if section.head:
            signature = tuple(
                tuple(cell_text(cell) for cell in r.cells) for r in section.head
            )
            if heading is not None and signature != heading:
                sheet = workbook.create_sheet(_sheet_name(workbook, section))
                _sheet_setup(sheet, char_widths, running_header, orientation)
                row = 1
                heading = None
            if heading is None:
                heading = signature
                sheet.print_title_rows = f"{row}:{row + len(section.head) - 1}"
        for rows, is_head in [(section.head, True), (section.body, False)]:
            row += _write_rows(sheet, row, rows, char_widths, head=is_head)
    return workbook


def _sheet_name(workbook: Workbook, section: Section) -> str:
    """A later sheet's name: the 一级 indicators it holds (履职; 效益、满意度)."""
    names = [
        cell.text
        for r in section.body
        for cell in r.cells
        if cell.style.split()[:1] == ["level1"] and cell.text
    ]
    name = re.sub(r"[\\/*?:\[\]]", "", "、".join(dict.fromkeys(names)))[:28] or "指标"
    taken = set(workbook.sheetnames)
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name}{number}"
        number += 1
    return candidate


def _sheet_setup(
    sheet: Worksheet,
    char_widths: Sequence[float],
    running_header: str,
    orientation: Orientation,
) -> None:
    """Column widths and the printed page: A4 in ``orientation`` (the grid's: portrait
    or landscape) one page wide, the running header, "第 X 页 共 Y 页"."""
    for number, width in enumerate(char_widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = round(width, 1)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = orientation
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None and footer is not None
    if running_header:
        header.center.text = running_header.replace("&", "&&")
    footer.center.text = "第 &P 页 共 &N 页"


def grid_workbook_bytes(grid: Grid, *, running_header: str = "") -> bytes:
    buffer = io.BytesIO()
    grid_workbook(grid, running_header=running_header).save(buffer)
    return buffer.getvalue()


def _banner(
    sheet: Worksheet,
    row: int,
    columns: int,
    line: str,
    font: Font,
    centred: bool = True,
) -> None:
    cell = sheet.cell(row=row, column=1)
    _set_text(cell, line)
    cell.font = font
    cell.alignment = Alignment(
        horizontal="center" if centred else "left", vertical="center"
    )
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)


def _set_text(cell: SheetCell | MergedCell, value: str) -> None:
    if not value:
        return  # an empty cell of the form: borders only
    # 指标值 such as "=100%" are text, with Excel's quote prefix; control characters
    # stored before input refused them are dropped
    write_text(cell, value)


def _row_heights(rows: Sequence[Row], char_widths: Sequence[float]) -> list[float]:
    """The height in points each grid row needs for its text (cells of one row only)."""
    heights = []
    for grid_row in rows:
        lines = 1
        for cell in grid_row.cells:
            if cell.rowspan == 1:
                width = sum(char_widths[cell.col : cell.col + cell.colspan])
                lines = max(lines, _lines(cell_text(cell), width))
        heights.append(lines * LINE_HEIGHT_POINTS + 4)
    return heights


def _write_rows(
    sheet: Worksheet,
    top: int,
    rows: Sequence[Row],
    char_widths: Sequence[float],
    *,
    head: bool,
) -> int:
    """Write ``rows`` from sheet row ``top``; returns the number of sheet rows used.

    A row whose text needs more than Excel's 409 points of height runs on over as many
    sheet rows as it needs, each of its cells merged down them, so its text is shown and
    printed whole (a single row would cut it at the cap)."""
    heights = _row_heights(rows, char_widths)
    spread = [max(1, math.ceil(h / MAX_ROW_HEIGHT_POINTS)) for h in heights]
    starts = [top]
    for count in spread:
        starts.append(starts[-1] + count)
    for offset, grid_row in enumerate(rows):
        r = starts[offset]
        for sheet_row in range(r, starts[offset + 1]):
            sheet.row_dimensions[sheet_row].height = round(
                heights[offset] / spread[offset], 1
            )
        for cell in grid_row.cells:
            column = cell.col + 1
            target = sheet.cell(row=r, column=column)
            if cell.format == CellFormat.AMOUNT:
                target.value = cell.amount
                target.number_format = AMOUNT_FORMAT
                horizontal = "right"
            else:
                _set_text(target, cell_text(cell))
                horizontal = (
                    "center" if cell.header or cell.style in _CENTRED_STYLES else "left"
                )
            target.font = _LABEL_FONT if cell.header else _BODY_FONT
            # text from the top, as it is read (a cut or centred long text hides both
            # ends); labels and headings centred, as the printed form has them
            target.alignment = Alignment(
                horizontal=horizontal,
                vertical="center" if cell.header else "top",
                wrap_text=True,
            )
            if head:
                target.fill = _HEAD_FILL
            last_row = starts[offset + cell.rowspan] - 1
            last_column = column + cell.colspan - 1
            first_row = r
            if cell.joins_above:
                first_row = r - 1
                sheet.cell(row=first_row, column=column).border = _BORDER
            for rr in range(first_row, last_row + 1):
                for cc in range(column, last_column + 1):
                    sheet.cell(row=rr, column=cc).border = _BORDER
            if (first_row, column) != (last_row, last_column):
                sheet.merge_cells(
                    start_row=first_row,
                    start_column=column,
                    end_row=last_row,
                    end_column=last_column,
                )
    return starts[-1] - top


def _lines(value: str, width_chars: float) -> int:
    """Printed lines of ``value`` in a column ``width_chars`` wide (CJK counts double)."""
    usable = max(width_chars - 1, 1)
    total = 0
    for paragraph in value.split("\n"):
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in paragraph)
        total += max(1, math.ceil(units / usable))
    return total

"""The year at a glance as an xlsx workbook: the rows of the page, every one of them (not
one page), in the page's filter and order, under a title naming the year and the filter."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kernel.spreadsheets.writing import append_row
from overview.resources import YearOverviewResource
from overview.selectors import YearRow

SCORE_FORMAT = "0.00"
WIDTHS = (34, 18, 26, 26, 6, 12, 14, 22, 12, 10, 16, 10, 10, 10, 12, 12, 40, 8, 8, 50)
SCORE_HEADERS = frozenset({"自评得分", "评价得分", "报告所载得分"})


def year_workbook(*, year: int, rows: Sequence[YearRow], title: str) -> bytes:
    """The sheet 年度总览: a title row (``title``), the header, one row per project."""
    resource = YearOverviewResource()
    resource.escapes_formulas = False  # written as text cells (append_row)
    with translation.override("zh-hans"):
        dataset = resource.export(queryset=rows)
    workbook = Workbook()
    sheet: Worksheet = workbook.active  # type: ignore[assignment]
    sheet.title = "年度总览"
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    headers = list(dataset.headers)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    scores = [index for index, h in enumerate(headers, 1) if h in SCORE_HEADERS]
    for values in dataset:
        append_row(sheet, values)
        for column in scores:
            sheet.cell(sheet.max_row, column).number_format = SCORE_FORMAT
    if not rows:
        sheet.append([f"{year} 年没有符合条件的项目"])
    for index, width in enumerate(WIDTHS[: len(headers)], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B3"
    sheet.print_title_rows = "2:2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

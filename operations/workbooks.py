"""The template workbook a centre downloads, fills and uploads (openpyxl).

Pure of Django: it is given the rows and the catalogue as plain values. Three sheets:

- 运行数据: the data, one row per metric and period (``layout``), header in row 1, frozen;
  指标 has a drop-down of the catalogue's entered metrics; 期间 is a text column so that
  "2020-03" stays as typed instead of becoming a date;
- 指标目录: every metric — group, name, unit, the units accepted, kind, how months add up,
  what it means; derived rates are listed (greyed) with their formula, so the clerk sees why
  they are not entered;
- 填写说明: how to fill it in, the limits, and any notes (the seed workbooks say there which
  figures are reconstructed).

Text is written as text (``kernel.spreadsheets.writing``): a cell starting with = + - or @
keeps Excel's quote prefix, so that it prints, and reads back, as written.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kernel.spreadsheets.writing import append_row
from kernel.units import unit, units_of_base
from operations.catalogue import MetricSpec
from operations.layout import COLUMNS
from operations.reading import DATA_SHEET, DEFAULT_LIMITS, Limits

CATALOGUE_SHEET = "指标目录"
NOTES_SHEET = "填写说明"
FIXED_TIME = datetime(2024, 1, 1)
"""Workbook properties are fixed so a regenerated seed workbook is byte-identical."""


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    group: str
    name: str
    unit: str
    units: tuple[str, ...]
    kind: str
    aggregation: str
    description: str
    entered: bool


Row = Sequence[object]


def template_workbook(
    *,
    rows: Iterable[Row],
    catalogue: Sequence[CatalogueEntry],
    notes: Sequence[str] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    workbook = Workbook()
    workbook.properties.creator = "hotline_perf"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    data = workbook.active
    assert isinstance(data, Worksheet)
    data.title = DATA_SHEET
    _data_sheet(data, rows, catalogue)
    _catalogue_sheet(workbook.create_sheet(CATALOGUE_SHEET), catalogue)
    _notes_sheet(workbook.create_sheet(NOTES_SHEET), notes, limits)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(content: bytes) -> bytes:
    """The same workbook with fixed zip and document times (openpyxl stamps "now")."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data
                )
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()


_HEADER_FILL = PatternFill("solid", fgColor="EEF1F4")
_DERIVED_FONT = Font(color="808080")
_BOLD = Font(bold=True)


def _data_sheet(
    sheet: Worksheet, rows: Iterable[Row], catalogue: Sequence[CatalogueEntry]
) -> None:
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    count = 1
    for row in rows:
        append_row(sheet, row)  # a Decimal as a number, its digits as entered
        count += 1
    for row_cells in sheet.iter_rows(
        min_row=2, max_row=max(count, 2), min_col=3, max_col=3
    ):
        for cell in row_cells:
            cell.number_format = "@"
    widths = {"A": 28, "B": 22, "C": 10, "D": 14, "E": 8, "F": 40}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    entered = sum(1 for e in catalogue if e.entered)
    if entered:
        validation = DataValidation(
            type="list",
            formula1=f"'{CATALOGUE_SHEET}'!$B$2:$B${entered + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        validation.add(f"B2:B{max(count, 2) + 500}")
        sheet.add_data_validation(validation)


def _catalogue_sheet(sheet: Worksheet, catalogue: Sequence[CatalogueEntry]) -> None:
    sheet.append(
        ["分组", "指标", "默认单位", "可填单位", "类型", "月度汇总为全年", "说明"]
    )
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    ordered = [e for e in catalogue if e.entered] + [
        e for e in catalogue if not e.entered
    ]
    for entry in ordered:
        append_row(
            sheet,
            [
                entry.group,
                entry.name,
                entry.unit,
                "、".join(entry.units),
                entry.kind,
                entry.aggregation,
                entry.description,
            ],
        )
        if not entry.entered:
            for cell in sheet[sheet.max_row]:
                cell.font = _DERIVED_FONT
    for letter, width in {
        "A": 10,
        "B": 22,
        "C": 9,
        "D": 14,
        "E": 12,
        "F": 14,
        "G": 60,
    }.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def instructions(limits: Limits) -> list[str]:
    return [
        "热线运行数据填报模板",
        "",
        "1. 在“运行数据”工作表中填写，每行一个指标、一个期间；表头在第 1 行，不要在上方加标题，不要合并单元格。",
        "2. 填报单位：填写本单位全称（模板已填好）；只能上传本单位的数据。",
        "3. 指标：从下拉列表（即“指标目录”工作表）中选择。接通率、办结率、满意率等比率由系统根据计数计算，不需要填报。",
        "4. 期间：全年填年份（如 2020）；按月填报填年月（如 2020-03）。同一指标同一期间只能有一行。",
        "5. 数值：只填半角数字（如 1012.36），不要填百分号、千位分隔符、单位或公式；计数、金额和时长都不能为负数。留空的行不导入。",
        "6. 单位：留空即为“指标目录”中的默认单位；也可填同类的万单位（次/万次、件/万件、元/万元），系统按所填单位保存并换算。",
        "7. 上传后先预览：系统列出将新增、更新的数值和每一处错误（行、列、原因）；确认后一次性全部导入，有任何错误则全部不导入。",
        "8. 重复上传同一期间会更新原有数值，不会重复。每次上传的原文件都会保存，可随时下载核对。",
        f"9. 限制：文件不超过 {limits.max_bytes // 1024 // 1024} MB，数据不超过 {limits.max_rows:,} 行、{limits.max_columns} 列；只接受 .xlsx 或 .csv（UTF-8 或 GBK 编码）。含公式的单元格会被拒绝，请先“选择性粘贴 → 数值”。",
    ]


def _notes_sheet(sheet: Worksheet, notes: Sequence[str], limits: Limits) -> None:
    lines = instructions(limits)
    if notes:
        lines += ["", "本文件说明", *notes]
    for line in lines:
        append_row(sheet, [line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120


def entry_of(spec: MetricSpec) -> CatalogueEntry:
    """A catalogue row for the 指标目录 sheet."""
    entered = spec.kind.is_entered
    return CatalogueEntry(
        group=spec.group,
        name=spec.name,
        unit=spec.unit,
        units=units_of_base(unit(spec.unit).base) if entered else (),
        kind=spec.kind.label,
        aggregation=spec.aggregation.label if entered else "",
        description=spec.description,
        entered=entered,
    )

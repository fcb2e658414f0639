# mypy: disable-error-code="import-untyped"
"""Reading an uploaded evaluation workbook, safely.

Before any sheet is parsed, a file that is not an xlsx workbook, is larger than
``MAX_WORKBOOK_BYTES`` or unpacks to more than ``MAX_UNPACKED_BYTES`` is refused; the sheets
are then read at most to the base Resource's ``MAX_IMPORT_ROWS`` rows and
``MAX_IMPORT_COLUMNS`` columns. What an import needs comes back as plain JSON-able values
(``ParsedWorkbook``), so a preview can be confirmed without uploading the file again.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from evaluations.resources import FormulaWithoutValue
from evaluations.workbooks.layout import BUDGET_SHEET, INFO_SHEET, SCORE_SHEET
from hotline_perf.resources import MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS

MAX_WORKBOOK_BYTES = 5 * 1024 * 1024  # an exported evaluation is about 20 KB
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
ZIP_MAGIC = b"PK\x03\x04"


class WorkbookRefused(Exception):
    """The file cannot be read as an evaluation workbook; ``messages`` say why (Chinese)."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = list(messages)


Cell = str | int | float | bool | None | dict[str, str]


@dataclass
class ParsedWorkbook:
    """What an import needs from a workbook, as plain JSON-able values.

    ``score_rows[i]`` is sheet row ``sheet_rows[i]`` of the 评分表 (blank rows dropped); a
    formula that was never calculated is ``{"=": formula}``.
    """

    info: dict[str, Cell] = field(default_factory=dict)
    info_rows: dict[str, int] = field(default_factory=dict)
    score_headers: list[str] = field(default_factory=list)
    score_rows: list[list[Cell]] = field(default_factory=list)
    sheet_rows: list[int] = field(default_factory=list)
    budget_rows: list[list[Cell]] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "info": self.info,
            "info_rows": self.info_rows,
            "score_headers": self.score_headers,
            "score_rows": self.score_rows,
            "sheet_rows": self.sheet_rows,
            "budget_rows": self.budget_rows,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedWorkbook:
        return cls(**data)

    def value(self, cell: Cell) -> object:
        """A cell as the Resource's widgets read it."""
        if isinstance(cell, dict):
            return FormulaWithoutValue(cell.get("=", ""))
        return cell


def _plain(value: object) -> Cell:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    return f"{-(-size // 1024)} KB"


def too_large(size: int) -> str | None:
    """The refusal of a file of ``size`` bytes, or ``None`` within the cap."""
    if size <= MAX_WORKBOOK_BYTES:
        return None
    return f"文件大小 {_size(size)} 超过上限 {_size(MAX_WORKBOOK_BYTES)}。"


def _check_container(content: bytes) -> None:
    message = too_large(len(content))
    if message is not None:
        raise WorkbookRefused([message])
    not_a_workbook = WorkbookRefused(
        ["这不是 Excel 工作簿（.xlsx）文件，无法读取：请上传从本系统导出的评价工作簿。"]
    )
    if not content.startswith(ZIP_MAGIC):
        raise not_a_workbook
    try:
        entries = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_workbook from None
    if len(entries) > MAX_ZIP_ENTRIES or (
        sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES
    ):
        # zipfile never inflates an entry beyond its declared size, so this bounds the work.
        raise WorkbookRefused(
            [
                f"工作簿解压后超过 {_size(MAX_UNPACKED_BYTES)} 或包含过多文件，"
                "不像是评价工作簿，已拒绝。"
            ]
        )
    if not any(e.filename == "xl/workbook.xml" for e in entries):
        raise not_a_workbook


def _rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """(sheet row, values) of a read-only sheet, at most the base Resource's caps."""
    for number, cells in enumerate(
        sheet.iter_rows(max_col=MAX_IMPORT_COLUMNS + 1), start=1
    ):
        if number > MAX_IMPORT_ROWS + 1:
            raise WorkbookRefused(
                [
                    _(
                        "The file has %(rows)s rows; at most %(limit)s can be "
                        "imported at once."
                    )
                    % {"rows": f"{MAX_IMPORT_ROWS}+", "limit": MAX_IMPORT_ROWS}
                ]
            )
        values = [getattr(c, "value", None) for c in cells]
        if len(values) > MAX_IMPORT_COLUMNS and values[MAX_IMPORT_COLUMNS] is not None:
            raise WorkbookRefused(
                [
                    _(
                        "The file has %(columns)s columns; at most %(limit)s are accepted."
                    )
                    % {"columns": f"{MAX_IMPORT_COLUMNS}+", "limit": MAX_IMPORT_COLUMNS}
                ]
            )
        row = [
            FormulaWithoutValue(str(c.value))
            if getattr(c, "data_type", None) == "f"
            else getattr(c, "value", None)
            for c in cells[:MAX_IMPORT_COLUMNS]
        ]
        while row and row[-1] is None:  # read-only sheets pad rows to the asked width
            row.pop()
        yield number, row


def read_workbook(content: bytes) -> ParsedWorkbook:
    """The sheets an import reads, or ``WorkbookRefused``."""
    _check_container(content)
    try:
        values = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error on a broken package
        raise WorkbookRefused(
            [
                "文件已损坏或不是 Excel 工作簿，无法打开：请用 Excel 打开确认后另存为 .xlsx。"
            ]
        ) from None
    try:
        if SCORE_SHEET not in values.sheetnames:
            raise WorkbookRefused(
                [f"工作簿中没有“{SCORE_SHEET}”工作表：请使用从本系统导出的评价工作簿。"]
            )
        parsed = ParsedWorkbook()
        rows_with_values = list(_rows(values[SCORE_SHEET]))
        formula_rows = dict(_rows(formulas[SCORE_SHEET]))
        for number, row in rows_with_values:
            written = formula_rows.get(number, [])
            cells: list[Cell] = []
            for index in range(max(len(row), len(written))):
                value = row[index] if index < len(row) else None
                formula = written[index] if index < len(written) else None
                if value is None and isinstance(formula, FormulaWithoutValue):
                    cells.append({"=": formula.formula})
                else:
                    cells.append(_plain(value))
            if number == 1:
                parsed.score_headers = [
                    "" if c is None else str(c).strip() for c in cells
                ]
            elif any(c not in (None, "") for c in cells):
                parsed.score_rows.append(cells)
                parsed.sheet_rows.append(number)
        if INFO_SHEET in values.sheetnames:
            for number, row in _rows(values[INFO_SHEET]):
                if number > 1 and row and isinstance(row[0], str) and row[0].strip():
                    label = row[0].strip()
                    parsed.info[label] = _plain(row[1]) if len(row) > 1 else None
                    parsed.info_rows[label] = number
        if BUDGET_SHEET in values.sheetnames:
            parsed.budget_rows = [
                [_plain(v) for v in row] for _n, row in _rows(values[BUDGET_SHEET])
            ]
    finally:
        values.close()
        formulas.close()
    return parsed

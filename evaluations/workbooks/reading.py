# mypy: disable-error-code="import-untyped"
"""Reading an uploaded evaluation workbook, safely.

Before any sheet is parsed, the file passes the kernel's one opener
(``kernel.spreadsheets.check_workbook``): at most ``MAX_WORKBOOK_BYTES``, a zip of at most
``MAX_ZIP_ENTRIES`` entries unpacking (as counted while decompressing) to at most
``MAX_UNPACKED_BYTES``, sheets within ``MAX_SHEET_ROWS`` × ``MAX_SHEET_COLUMNS`` and
``MAX_CELLS`` cells, no cell longer than Excel allows, no control character. The sheets
are then read at most to the base Resource's ``MAX_IMPORT_ROWS`` rows and
``MAX_IMPORT_COLUMNS`` columns. What an import needs comes back as plain JSON-able values
(``ParsedWorkbook``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.resources import MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS
from evaluations.resources import FormulaWithoutValue
from evaluations.workbooks.layout import (
    BUDGET_SHEET,
    FINDINGS_SHEET,
    INFO_SHEET,
    SCORE_SHEET,
)
from kernel.spreadsheets import FileRefused, Limits, check_workbook

MAX_WORKBOOK_BYTES = 5 * 1024 * 1024  # an exported evaluation is about 20 KB
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
MAX_SHEET_ROWS = 25_000
MAX_SHEET_COLUMNS = 80
MAX_CELLS = 400_000
_NOT_A_WORKBOOK = (
    "这不是 Excel 工作簿（.xlsx）文件，无法读取：请上传从本系统导出的评价工作簿。"
)
_CORRUPT = (
    "文件已损坏或不是 Excel 工作簿，无法打开：请用 Excel 打开确认后另存为 .xlsx。"
)


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
    # 存在问题与建议 as written, row 1 its headers (``None`` without the sheet)
    findings_rows: list[list[Cell]] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "info": self.info,
            "info_rows": self.info_rows,
            "score_headers": self.score_headers,
            "score_rows": self.score_rows,
            "sheet_rows": self.sheet_rows,
            "budget_rows": self.budget_rows,
            "findings_rows": self.findings_rows,
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


def limits() -> Limits:
    """The kernel opener's bounds for an evaluation workbook (read at call time)."""
    return Limits(
        max_bytes=MAX_WORKBOOK_BYTES,
        max_entries=MAX_ZIP_ENTRIES,
        max_uncompressed_bytes=MAX_UNPACKED_BYTES,
        # The sheets' own row and column caps (``_rows``) say more; these only keep
        # openpyxl from reading a sheet far beyond them.
        max_rows=max(MAX_IMPORT_ROWS, MAX_SHEET_ROWS),
        max_columns=max(MAX_IMPORT_COLUMNS, MAX_SHEET_COLUMNS),
        max_cells=MAX_CELLS,
    )


def _check_container(content: bytes) -> None:
    """The kernel's opener, its refusals in this reader's words where it has its own."""
    try:
        check_workbook(content, limits())
    except FileRefused as refused:
        code = refused.code
        if code == "size":
            raise WorkbookRefused([too_large(len(content)) or str(refused)]) from None
        if code in ("not_zip", "not_workbook", "xls", "encrypted", "empty"):
            raise WorkbookRefused([_NOT_A_WORKBOOK]) from None
        if code == "corrupt":
            raise WorkbookRefused([_CORRUPT]) from None
        if code in ("entries", "uncompressed"):
            raise WorkbookRefused(
                [
                    f"工作簿解压后超过 {_size(MAX_UNPACKED_BYTES)} 或包含过多文件，"
                    "不像是评价工作簿，已拒绝。"
                ]
            ) from None
        raise WorkbookRefused([f"{message}。" for message in refused.args]) from None


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
        raise WorkbookRefused([_CORRUPT]) from None
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
        if FINDINGS_SHEET in values.sheetnames:
            parsed.findings_rows = [
                [_plain(v) for v in row] for _n, row in _rows(values[FINDINGS_SHEET])
            ]
    finally:
        values.close()
        formulas.close()
    return parsed

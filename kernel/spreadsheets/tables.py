"""An uploaded ``.xlsx`` or ``.csv`` read into a table of raw cells: ``read_table``.

An ``.xlsx`` passes ``check_workbook`` first and is then read with python-calamine (~10×
faster than openpyxl), which now allocates at most the checked extent. A CSV is decoded
as UTF-8 (with or without BOM) or GB18030 (what Excel saves on Chinese Windows); UTF-16
(Excel's “Unicode 文本”) is named as such; every field is held to the same cell length
and control-character rules as a workbook's cells.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from typing import Final

import python_calamine

from kernel.spreadsheets.limits import (
    DEFAULT_LIMITS,
    Limits,
    cell_name,
    check_size,
    column_letter,
    control_message,
    extent_message,
    first_control,
    length_message,
    refuse,
)
from kernel.spreadsheets.opening import check_container, check_workbook
from kernel.spreadsheets.packages import CORRUPT, OLE2_MAGIC, ZIP_MAGIC, corrupt


@dataclass(frozen=True, slots=True)
class Table:
    """The raw cells of one sheet: ``rows[i]`` is spreadsheet row ``i + 1``."""

    format: str  # "xlsx" | "csv"
    sheet: str
    rows: list[list[object]]
    merged: tuple[str, ...] = ()
    formulas: tuple[str, ...] = field(default=())
    errors: tuple[tuple[str, str], ...] = field(default=())
    """Cells holding an error value: (cell, value such as ``#DIV/0!``)."""


def read_table(
    name: str,
    content: bytes,
    limits: Limits = DEFAULT_LIMITS,
    *,
    sheet: str = "",
) -> Table:
    """The sheet named ``sheet`` (else the first) of ``content``, an upload named
    ``name``; or ``FileRefused``."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    check_size(len(content), limits.max_bytes)
    if not content:
        raise refuse("文件是空的（0 字节）", code="empty")
    if suffix == "csv":
        return _read_csv(content, limits)
    if suffix == "xls":
        raise refuse(
            "不支持旧版 .xls 格式：请在 Excel 中“另存为 → Excel 工作簿（*.xlsx）”后上传",
            code="type",
        )
    if suffix in ("xlsm", "xlsb", "et", "ods", "numbers"):
        raise refuse(
            f"不支持 .{suffix} 格式：请另存为 Excel 工作簿（*.xlsx）或 CSV 后上传",
            code="type",
        )
    if suffix != "xlsx":
        raise refuse(f"只接受 .xlsx 或 .csv 文件（收到的是“{name}”）", code="type")
    check_container(content, limits)
    return _read_xlsx(content, limits, sheet)


def _read_xlsx(content: bytes, limits: Limits, wanted: str) -> Table:
    checked = check_workbook(content, limits)
    facts = checked.sheet(wanted) if wanted else None
    facts = facts or checked.sheets[0]
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_name(facts.name)
        rows = sheet.to_python(skip_empty_area=False)
        merged_ranges = sheet.merged_cell_ranges or []
    except python_calamine.PasswordError:
        raise refuse(
            "工作簿设置了密码：请取消密码后重新保存再上传", code="encrypted"
        ) from None
    except Exception:  # calamine raises several error types for a broken workbook
        raise corrupt() from None
    merged = tuple(
        f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}"
        for (r1, c1), (r2, c2) in merged_ranges
    )
    return Table(
        "xlsx",
        facts.name,
        [list(r) for r in rows],
        merged,
        tuple(facts.formulas),
        tuple(facts.errors),
    )


# --------------------------------------------------------------------------- csv

_UTF16_BOMS: Final = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _looks_utf16(content: bytes) -> bool:
    if content.startswith(_UTF16_BOMS):
        return True
    head = content[:4096]
    if 0 not in head:
        return False
    # ASCII text in UTF-16 has a NUL in every other byte; Chinese text in UTF-16 is not
    # UTF-8. A NUL in otherwise valid UTF-8 is a stray control character instead.
    if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
        return True
    try:
        codecs.decode(content, "utf-8-sig")
    except UnicodeDecodeError:
        return len(content) % 2 == 0
    return False


def _read_csv(content: bytes, limits: Limits) -> Table:
    if content.startswith((ZIP_MAGIC, OLE2_MAGIC)):
        raise refuse(
            "这不是文本格式的 CSV 文件（看起来是 Excel 工作簿）：请把扩展名改回 .xlsx，或在 Excel 中另存为 CSV",
            code="type",
        )
    if _looks_utf16(content):
        raise refuse(
            "CSV 文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请在 Excel 中另存为"
            "“CSV UTF-8（逗号分隔）”后上传",
            code="encoding",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = codecs.decode(content, encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes every byte sequence it is given
        raise refuse(
            "无法识别 CSV 文件的编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
            code="encoding",
        )
    rows: list[list[object]] = []
    counted = 0  # rows beyond the bound are counted, not kept
    reader = csv.reader(io.StringIO(decoded, newline=""), strict=True)
    try:
        for row in reader:
            counted += 1
            if counted <= limits.max_rows + limits.header_rows:
                rows.append(_checked_row(row, counted, limits))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise refuse(
                length_message(
                    f"第 {counted + 1} 行的一个单元格",
                    f"{limits.max_cell_chars:,}+",
                    limits.max_cell_chars,
                ),
                row=counted + 1,
                code="cell_length",
            ) from None
        raise refuse(
            f"CSV 文件格式有误（第 {reader.line_num} 行附近引号不配对）："
            "请在 Excel 中重新另存为 CSV",
            row=counted + 1,
            code="corrupt",
        ) from None
    if counted > limits.max_rows + limits.header_rows:
        raise refuse(extent_message(f"共 {counted} 行", limits), code="extent")
    return Table("csv", "", rows)


def _checked_row(row: list[str], number: int, limits: Limits) -> list[object]:
    if len(row) > limits.max_columns:
        raise refuse(
            extent_message(f"第 {number} 行有 {len(row)} 列", limits), code="extent"
        )
    for index, value in enumerate(row):
        where = f"单元格 {cell_name(number, index)}"
        if len(value) > limits.max_cell_chars:
            raise refuse(
                length_message(where, f"{len(value):,}", limits.max_cell_chars),
                row=number,
                column=column_letter(index),
                code="cell_length",
            )
        if char := first_control(value):
            raise refuse(
                control_message(where, char),
                row=number,
                column=column_letter(index),
                code="control",
            )
    return list(row)


__all__ = ["CORRUPT", "Table", "read_table"]

"""Read a target form's indicators back from its official xlsx (the workbook
``targets.workbooks`` writes from ``documents.grids``, or one a unit filled in by hand in
the same layout).

The indicator table is found by its heading row (一级指标 … 三级指标 … 指标值); merged cells
are read as the value of their top-left cell, so a 一级 spanning five rows heads all five.
Only the layout is read: the caller replaces a draft form's indicators through
``targets.services.target_form_replace_indicators``, which validates everything.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Final

from openpyxl import load_workbook

MAX_BYTES: Final = 2 * 1024 * 1024
MAX_ROWS: Final = 2000

HEADINGS: Final = {
    "一级指标": "level1",
    "二级指标": "level2",
    "重点工作": "key_task",
    "三级指标": "level3",
    "指标值": "value",
    "全年指标值": "value",
    "半年指标值": "half",
}


class WorkbookError(ValueError):
    pass


@dataclass
class ImportedNode:
    level: str
    name: str
    value: str = ""
    half_year_value: str = ""
    children: list[ImportedNode] = field(default_factory=list)


def read_indicators(content: bytes) -> list[ImportedNode]:
    """The indicator tree of the first sheet; raises ``WorkbookError`` (in Chinese)."""
    if len(content) > MAX_BYTES:
        raise WorkbookError("文件超过 2 MB。")
    try:
        book = load_workbook(io.BytesIO(content), data_only=True, read_only=False)
    except Exception as exc:  # any unreadable file is the user's error, said plainly
        raise WorkbookError("无法读取该文件，请上传 .xlsx 格式的绩效目标表。") from exc
    sheet = book.worksheets[0]
    if sheet.max_row > MAX_ROWS:
        raise WorkbookError("表格行数过多。")
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for merged_range in sheet.merged_cells.ranges:
        for row in range(merged_range.min_row, merged_range.max_row + 1):
            for col in range(merged_range.min_col, merged_range.max_col + 1):
                merged[(row, col)] = (merged_range.min_row, merged_range.min_col)

    def value(row: int, col: int) -> str:
        r, c = merged.get((row, col), (row, col))
        cell = sheet.cell(row=r, column=c).value
        return "" if cell is None else " ".join(str(cell).split())

    header_row, columns = _find_header(sheet.max_row, sheet.max_column, value)
    roots: list[ImportedNode] = []
    open_nodes: dict[str, ImportedNode] = {}
    seen: dict[str, tuple[int, int]] = {}
    for row in range(header_row + 1, sheet.max_row + 1):
        path: list[tuple[str, str, tuple[int, int]]] = []
        for level in ("level1", "level2", "key_task"):
            column = columns.get(level)
            if column is not None and (name := value(row, column)):
                path.append((level, name, merged.get((row, column), (row, column))))
        leaf_col = columns.get("level3")
        leaf = value(row, leaf_col) if leaf_col is not None else ""
        if not path and not leaf:
            continue
        parent: ImportedNode | None = None
        for level, name, origin in path:
            node = open_nodes.get(level)
            if node is None or seen.get(level) != origin:
                node = ImportedNode(level, name)
                (parent.children if parent else roots).append(node)
                open_nodes[level] = node
                seen[level] = origin
                for deeper in ("level2", "key_task"):
                    if deeper != level and _deeper(deeper, level):
                        open_nodes.pop(deeper, None)
                        seen.pop(deeper, None)
            parent = node
        if leaf:
            node = ImportedNode(
                "level3",
                leaf,
                value=value(row, columns["value"]) if "value" in columns else "",
                half_year_value=value(row, columns["half"])
                if "half" in columns
                else "",
            )
            (parent.children if parent else roots).append(node)
    if not roots:
        raise WorkbookError("表中没有找到指标。")
    return roots


def _deeper(level: str, than: str) -> bool:
    order = ["level1", "level2", "key_task", "level3"]
    return order.index(level) > order.index(than)


def _find_header(max_row: int, max_col: int, value) -> tuple[int, dict[str, int]]:  # type: ignore[no-untyped-def]
    for row in range(1, min(max_row, 60) + 1):
        columns: dict[str, int] = {}
        for col in range(1, max_col + 1):
            key = HEADINGS.get(value(row, col))
            if key and key not in columns:
                columns[key] = col
        if "level1" in columns and "level3" in columns:
            return row, columns
    raise WorkbookError("没有找到指标表头（一级指标、三级指标、指标值）。")

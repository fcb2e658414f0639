"""The layout of the template's data sheet, and the checks of a sheet as a whole.

Pure Python. The sheet is in *long* format, one row per metric and period::

    填报单位 | 指标 | 期间 | 数值 | 单位 | 备注
    天津市便民专线服务中心 | 接听量 | 2020 | 1012.36 | 万次 |

Why long rather than one column per month: each row stands on its own, so the clerk can
sort, filter and paste rows from other sheets without losing what a number is; a month or a
centre's own extra metric is just another row; and an error points at one figure. The header
is row 1 (no title rows above it). 单位 and 备注 may be left out; an extra 序号 column is
ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from operations.cells import normalise_name, text
from operations.reading import Problem, Table, column_index, column_letter

ORGANISATION, METRIC, PERIOD, VALUE, UNIT, NOTE = (
    "填报单位",
    "指标",
    "期间",
    "数值",
    "单位",
    "备注",
)
COLUMNS: Final = (ORGANISATION, METRIC, PERIOD, VALUE, UNIT, NOTE)
REQUIRED: Final = (ORGANISATION, METRIC, PERIOD, VALUE)
IGNORED: Final = ("序号",)
ROW_NUMBER: Final = "行号"
"""Extra first column of the dataset handed to the resource: the spreadsheet row."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """The data rows of an accepted layout: ``rows`` are (spreadsheet row, cells by column
    name), blank rows left out; ``letters`` maps a column name to its letter."""

    rows: list[tuple[int, dict[str, object]]]
    letters: dict[str, str]
    problems: list[Problem]


def check_layout(table: Table) -> Sheet:
    problems: list[Problem] = []
    for merged in table.merged:
        column, number = _split(merged.split(":")[0])
        problems.append(
            Problem(
                f"合并单元格 {merged}：请取消合并，每个单元格只填一个值（表头也不要合并）",
                number,
                column,
            )
        )
    for cell in table.formulas:
        column, number = _split(cell)
        problems.append(
            Problem(
                f"单元格 {cell} 是公式：系统不使用公式（其缓存结果可能过时或缺失），"
                f"请复制后“选择性粘贴 → 数值”再上传",
                number,
                column,
            )
        )
    for cell, value in table.errors:
        column, number = _split(cell)
        problems.append(
            Problem(
                f"单元格 {cell} 是错误值“{value}”（公式出错的结果）：请填写实际的数值，"
                "或删除这一格",
                number,
                column,
            )
        )
    if not table.rows:
        return Sheet(
            [], {}, [*problems, Problem("工作表是空的：请使用下载的模板填写", 1)]
        )
    header = [normalise_name(text(c)) for c in table.rows[0]]
    letters, header_problems = _header(header, table.rows)
    problems += header_problems
    if header_problems:
        return Sheet([], letters, problems)
    rows: list[tuple[int, dict[str, object]]] = []
    positions = {name: column_index(letter) for name, letter in letters.items()}
    for number, raw in enumerate(table.rows[1:], start=2):
        if all(_blank(c) for c in raw):
            continue
        cells = {
            name: raw[i] if i < len(raw) else None for name, i in positions.items()
        }
        if _repeats_header(cells):
            problems.append(
                Problem(
                    f"第 {number} 行重复了表头：请删除这一行（表头只保留第 1 行）",
                    number,
                )
            )
            continue
        rows.append((number, cells))
    return Sheet(rows, letters, problems)


def _header(
    header: Sequence[str], rows: Sequence[Sequence[object]]
) -> tuple[dict[str, str], list[Problem]]:
    letters: dict[str, str] = {}
    problems: list[Problem] = []
    if not set(REQUIRED) & set(header):
        for number, raw in enumerate(rows[1:10], start=2):
            if set(REQUIRED) <= {normalise_name(text(c)) for c in raw}:
                return letters, [
                    Problem(
                        f"表头须在第 1 行：第 {number} 行才是表头，"
                        f"请删除上面的标题行（第 1–{number - 1} 行）",
                        1,
                    )
                ]
        return letters, [
            Problem(
                "第 1 行不是表头：须依次包含“填报单位、指标、期间、数值、单位、备注”列"
                "（请使用下载的模板）",
                1,
            )
        ]
    for index, name in enumerate(header):
        letter = column_letter(index)
        if not name or name in IGNORED:
            continue
        if name not in COLUMNS:
            problems.append(
                Problem(
                    f"表头“{name}”不是模板中的列：请删除这一列，或改回模板的列名",
                    1,
                    letter,
                )
            )
        elif name in letters:
            problems.append(
                Problem(
                    f"表头“{name}”重复出现（{letters[name]} 列和 {letter} 列）：请只保留一列",
                    1,
                    letter,
                )
            )
        else:
            letters[name] = letter
    for name in REQUIRED:
        if name not in letters:
            problems.append(Problem(f"缺少“{name}”列：请使用下载的模板", 1))
    return letters, problems


def _split(reference: str) -> tuple[str, int]:
    """ "D12" → ("D", 12)."""
    column = "".join(c for c in reference if c.isalpha())
    return column, int(reference[len(column) :])


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _repeats_header(cells: dict[str, object]) -> bool:
    matches = 0
    for name in REQUIRED:
        value = cells.get(name)
        if isinstance(value, str) and name in value and normalise_name(value) == name:
            matches += 1
    return matches >= 2

"""Read a target form back from its official xlsx (the workbook ``targets.workbooks`` writes
from ``kernel.grids``, or one a unit filled in by hand in the same layout): the header
block above the indicator tables, and the indicator tree.

The indicator tables are found by their heading rows (一级指标 … 三级指标 … 指标值, or
分解目标内容 / 绩效指标 / 指标目标值 on the 申报表); a department form has several tables, each
with its own heading. Merged cells are read as the value of their top-left cell, so a 一级
spanning five rows heads all five.

The header is everything above the first indicator heading. Each value is found by its
label (项目资金（万元）, 绩效目标, 单位主要职能 …), never by its position, since people insert
rows: the value is the cell right of the label's merged range. The labels also tell the
layout (``LAYOUT_MARKS``: the title may have been renamed) and the line under the title
tells the year. A label that is missing leaves its field unchanged; a value that cannot be
read is an error naming its cell. Amounts are ``Decimal``, two places at most.

Only the layout is read: ``targets.services.target_form_import`` checks that the workbook is
the form it is imported into and writes it, validating everything.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Final

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kernel.indicator_values import Comparator, parse_indicator_value
from kernel.spreadsheets import FileRefused, Limits, check_workbook

MAX_BYTES: Final = 2 * 1024 * 1024
MAX_ROWS: Final = 2000
MAX_COLUMNS: Final = 30
LIMITS: Final = Limits(
    max_bytes=MAX_BYTES,
    max_rows=MAX_ROWS,
    max_columns=MAX_COLUMNS,
    header_rows=0,
    max_entries=100,
    max_uncompressed_bytes=20 * 1024 * 1024,
    max_cells=60_000,  # openpyxl keeps ~0.5 KB a cell: at most ~30 MB
)
"""What the kernel's opener holds an upload to before openpyxl loads it whole (every
sheet, every cell): an exported form is some 10 columns by 20-200 rows."""

HEADINGS: Final = {
    "一级指标": "level1",
    "分解目标内容": "level1",
    "二级指标": "level2",
    "重点工作": "key_task",
    "三级指标": "level3",
    "指标值": "value",
    "全年指标值": "value",
    "指标目标值": "value",
    "半年指标值": "half",
}
# The 申报表 heads its indicator column 绩效指标; the project form prints 绩效指标 too, as the
# lead cell left of 一级指标, so it counts only in a heading row without 三级指标.
FALLBACK_HEADINGS: Final = {"绩效指标": "level3"}
END_LABELS: Final = frozenset({"备注"})
"""A row starting with one of these ends the indicator table (the 申报表's remarks)."""

SUBJECT: Final = "subject"
"""The 项目名称 / 单位名称 of the header: checked, never written."""
GOAL: Final = "goal"
"""绩效目标: the one goal a project form prints when it has not both 总体目标 and 年度目标;
the service writes it back to the field it was printed from."""
AMOUNT_UNITS: Final = ("元", "万元")
CENT: Final = Decimal("0.01")
MAX_AMOUNT: Final = Decimal(10) ** 14  # DecimalField(max_digits=16, decimal_places=2)

LAYOUT_TITLES: Final = {
    "project": "项目支出绩效目标表",
    "application": "财政支出项目绩效目标申报表",
    "department": "部门整体预算绩效目标表",
}


@dataclass(frozen=True)
class _Label:
    text: str  # as printed, without a trailing （unit）
    field: str  # a TargetForm field, SUBJECT or GOAL
    amount: bool = False
    with_unit: bool = (
        False  # printed 项目资金（万元）: the unit of all the form's amounts
    )


# What each layout's header prints that belongs to the form (documents/target_forms.py).
# Not read: what belongs to the project, its budget year or the department budget (dates,
# departments, 项目类型, 资金用途, 项目概况 …, 项目总预算, 上年预算, 子项目, 部门整体资金):
# one project serves many years' forms and is changed on its own page.
LABELS: Final[dict[str, tuple[_Label, ...]]] = {
    "project": (
        _Label("项目名称", SUBJECT),
        _Label("项目资金", "funds_total", amount=True, with_unit=True),
        _Label("其中：财政拨款", "funds_fiscal", amount=True),
        _Label("其他资金", "funds_other", amount=True),
        _Label("总体目标", "overall_goal"),
        _Label("年度目标", "annual_goal"),
        _Label("绩效目标", GOAL),
    ),
    "application": (
        _Label("项目名称", SUBJECT),
        _Label("项目当年预算", "funds_total", amount=True, with_unit=True),
        _Label("项目总目标", "overall_goal"),
        _Label("年度绩效目标", "annual_goal"),
    ),
    "department": (
        _Label("单位名称", SUBJECT),
        _Label("单位主要职能", "main_functions"),
        _Label("机构设置及人员配置", "staffing"),
        _Label("中长期目标", "long_term_goal"),
        _Label("年度目标", "annual_goal"),
    ),
}
LAYOUT_MARKS: Final = {
    "project": (
        "项目资金",
        "其中：财政拨款",
        "主管预算部门",
        "项目实施单位",
        "项目起止时间",
    ),
    "application": (
        "项目当年预算",
        "项目总预算",
        "项目类型",
        "资金用途",
        "项目总目标",
        "年度绩效目标",
    ),
    "department": (
        "单位名称",
        "单位主要职能",
        "机构设置及人员配置",
        "中长期目标",
        "部门整体资金",
    ),
}
"""Labels only one layout prints."""

_UNIT_SUFFIX: Final = re.compile(r"(?P<label>.+?)\((?P<unit>[^()]*)\)")
_YEAR_LINE: Final = re.compile(r"\(?(?P<year>(?:19|20)[0-9]{2})年度?\)?")
_WRITTEN_EQUALS: Final = ("=", "等于")


class WorkbookError(ValueError):
    pass


@dataclass
class ImportedNode:
    level: str
    name: str
    value: str = ""
    half_year_value: str = ""
    children: list[ImportedNode] = field(default_factory=list)


@dataclass(frozen=True)
class HeaderValue:
    """One labelled value of the header: the label as printed (without its unit), the
    cell the value was read from, and the value (text, an amount, or None for blank)."""

    label: str
    cell: str
    value: Decimal | str | None


@dataclass(frozen=True)
class ImportedHeader:
    """The header block as read; ``layout`` is "" when the sheet has none (an indicator
    table alone), and then nothing is checked or written."""

    layout: str = ""
    year: int | None = None
    subject: HeaderValue | None = None
    funds_unit: HeaderValue | None = None
    fields: dict[str, HeaderValue] = field(default_factory=dict)

    def check_identity(self, *, layout: str, year: int, subject: str) -> None:
        """Raise ``WorkbookError`` if this is the workbook of another form than the one of
        ``layout``, ``year`` and ``subject`` (project or organisation name): someone picked
        the wrong file. What the workbook does not say is not held against it."""
        problems = []
        if self.layout and self.layout != layout:
            problems.append(
                f"文件是{LAYOUT_TITLES[self.layout]}，本表是{LAYOUT_TITLES[layout]}"
            )
        if self.year is not None and self.year != year:
            problems.append(f"文件是 {self.year} 年度的，本表是 {year} 年度的")
        if (
            self.layout == layout
            and self.subject is not None
            and self.subject.value  # a blanked name says nothing
            and self.subject.value != " ".join(subject.split())
        ):
            problems.append(
                f"{self.subject.cell}：{self.subject.label}是“{self.subject.value}”，"
                f"本表是“{subject}”"
            )
        if problems:
            raise WorkbookError(
                "所选文件不是这张绩效目标表："
                + "；".join(problems)
                + "。请选择正确的文件。"
            )


@dataclass(frozen=True)
class ImportedForm:
    header: ImportedHeader
    indicators: list[ImportedNode]


class _Sheet:
    """The first worksheet, read through its merged ranges."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.max_row = sheet.max_row
        self.max_column = sheet.max_column
        # every cell of a merged range → (its top-left cell, the range's last column)
        self.merged: dict[tuple[int, int], tuple[int, int, int]] = {}
        for merged_range in sheet.merged_cells.ranges:
            for row in range(merged_range.min_row, merged_range.max_row + 1):
                for col in range(merged_range.min_col, merged_range.max_col + 1):
                    self.merged[(row, col)] = (
                        merged_range.min_row,
                        merged_range.min_col,
                        merged_range.max_col,
                    )

    def origin(self, row: int, col: int) -> tuple[int, int]:
        r, c, _ = self.merged.get((row, col), (row, col, col))
        return r, c

    def last_column(self, row: int, col: int) -> int:
        return self.merged.get((row, col), (row, col, col))[2]

    def raw(self, row: int, col: int) -> object:
        r, c = self.origin(row, col)
        return self.sheet.cell(row=r, column=c).value

    def text(self, row: int, col: int) -> str:
        """The cell as one line of text, runs of whitespace made one space."""
        cell = self.raw(row, col)
        return "" if cell is None else " ".join(str(cell).split())

    def name(self, row: int, col: int) -> str:
        r, c = self.origin(row, col)
        return f"{get_column_letter(c)}{r}"


_UNREADABLE: Final = "无法读取该文件，请上传 .xlsx 格式的绩效目标表。"


def read_target_form(content: bytes) -> ImportedForm:
    """The header of the first sheet and the indicator tree of every sheet's indicator
    tables, in sheet order; raises ``WorkbookError`` (in Chinese)."""
    try:
        check_workbook(content, LIMITS)
    except FileRefused as refused:
        if refused.code in ("not_zip", "not_workbook", "corrupt"):
            raise WorkbookError(_UNREADABLE) from None
        raise WorkbookError(f"{refused}。") from None
    try:
        book = load_workbook(io.BytesIO(content), data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many kinds of error on a broken package
        raise WorkbookError(_UNREADABLE) from exc
    sheet = _Sheet(book.worksheets[0])
    first_heading = _first_heading(sheet)
    if first_heading is None:
        raise WorkbookError("没有找到指标表头（一级指标、三级指标、指标值）。")
    indicators = _read_indicators(sheet, first_heading)
    # a later indicator table with other columns is on a sheet of its own (a department
    # form's 履职 table: targets.workbooks); sheets without an indicator heading are not
    # the form's
    for worksheet in book.worksheets[1:]:
        more = _Sheet(worksheet)
        if (heading := _first_heading(more)) is not None:
            indicators += _read_indicators(more, heading)
    return ImportedForm(
        header=_read_header(sheet, first_heading), indicators=indicators
    )


def _first_heading(sheet: _Sheet) -> int | None:
    return next(
        (row for row in range(1, sheet.max_row + 1) if _heading(sheet, row)), None
    )


# --- indicators ---------------------------------------------------------------------


def _heading(sheet: _Sheet, row: int) -> dict[str, int] | None:
    """The columns of an indicator heading row, or None if ``row`` is not one."""
    columns: dict[str, int] = {}
    fallback: dict[str, int] = {}
    for col in range(1, sheet.max_column + 1):
        if sheet.origin(row, col)[0] != row:
            continue  # merged down from a row above: not this row's heading
        text = sheet.text(row, col)
        if (key := HEADINGS.get(text)) and key not in columns:
            columns[key] = col
        elif (key := FALLBACK_HEADINGS.get(text)) and key not in fallback:
            fallback[key] = col
    for key, col in fallback.items():
        columns.setdefault(key, col)
    return columns if "level1" in columns and "level3" in columns else None


def _read_indicators(sheet: _Sheet, first_heading: int) -> list[ImportedNode]:
    columns = _heading(sheet, first_heading) or {}
    roots: list[ImportedNode] = []
    open_nodes: dict[str, ImportedNode] = {}
    seen: dict[str, tuple[int, int]] = {}
    for row in range(first_heading + 1, sheet.max_row + 1):
        if (heading := _heading(sheet, row)) is not None:
            columns = heading  # the next table of a department form
            open_nodes.clear()
            seen.clear()
            continue
        if sheet.text(row, columns["level1"]) in END_LABELS:
            break
        path: list[tuple[str, str, tuple[int, int]]] = []
        for level in ("level1", "level2", "key_task"):
            column = columns.get(level)
            if column is not None and (name := sheet.text(row, column)):
                path.append((level, name, sheet.origin(row, column)))
        leaf = sheet.text(row, columns["level3"])
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
                value=sheet.text(row, columns["value"]) if "value" in columns else "",
                half_year_value=sheet.text(row, columns["half"])
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


# --- header -------------------------------------------------------------------------


def _key(text: str) -> str:
    """A label as compared: full-width forms folded (（ → (, ： → :), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _split_unit(text: str) -> tuple[str, str | None]:
    """``项目资金（万元）`` → ("项目资金", "万元"); a label without a unit → (label, None)."""
    key = _key(text)
    match = _UNIT_SUFFIX.fullmatch(key)
    return (match["label"], match["unit"]) if match else (key, None)


@dataclass(frozen=True)
class _Found:
    spec: _Label
    row: int
    col: int
    cell: str
    unit: str | None


def _read_header(sheet: _Sheet, end: int) -> ImportedHeader:
    """The labelled values of rows 1 … ``end`` − 1."""
    printed: dict[str, list[tuple[int, int, str | None]]] = {}
    for row in range(1, end):
        for col in range(1, sheet.max_column + 1):
            if sheet.origin(row, col) != (row, col) or not isinstance(
                sheet.raw(row, col), str
            ):
                continue
            label, written_unit = _split_unit(sheet.text(row, col))
            printed.setdefault(label, []).append((row, col, written_unit))

    layouts = [
        layout
        for layout, marks in LAYOUT_MARKS.items()
        if any(_key(mark) in printed for mark in marks)
    ]
    if not layouts:
        return ImportedHeader()
    if len(layouts) > 1:
        raise WorkbookError(
            "表头同时含有"
            + "和".join(LAYOUT_TITLES[layout] for layout in layouts)
            + "的栏目，无法判断是哪一种绩效目标表。"
        )
    layout = layouts[0]

    found: list[_Found] = []
    for spec in LABELS[layout]:
        places = printed.get(_key(spec.text), [])
        if len(places) > 1:
            cells = "、".join(sheet.name(row, col) for row, col, _ in places)
            raise WorkbookError(
                f"{cells}：表头中“{spec.text}”出现了不止一次，无法判断以哪一处为准。"
            )
        if places:
            row, col, written_unit = places[0]
            found.append(_Found(spec, row, col, sheet.name(row, col), written_unit))
    fields_found = {item.spec.field for item in found}
    if GOAL in fields_found and fields_found & {"overall_goal", "annual_goal"}:
        raise WorkbookError(
            "表头中同时有“绩效目标”和“总体目标”或“年度目标”，无法判断应写入哪一项。"
        )

    funds_unit: HeaderValue | None = None
    unit: str | None = None
    for item in found:
        if item.spec.with_unit and item.unit is not None:
            if item.unit not in AMOUNT_UNITS:
                raise WorkbookError(
                    f"{item.cell}：{item.spec.text}的单位“{item.unit}”无法识别，"
                    "应为“元”或“万元”。"
                )
            unit = item.unit
            funds_unit = HeaderValue(item.spec.text, item.cell, unit)

    subject: HeaderValue | None = None
    values: dict[str, HeaderValue] = {}
    for item in found:
        value_col = sheet.last_column(item.row, item.col) + 1
        raw = sheet.raw(item.row, value_col) if value_col <= sheet.max_column else None
        cell = sheet.name(item.row, min(value_col, sheet.max_column))
        if item.spec.field == SUBJECT:
            subject = HeaderValue(
                item.spec.text, cell, " ".join(_plain_text(raw).split())
            )
        elif item.spec.amount:
            amount = _amount(raw, cell=cell, label=item.spec.text, unit=unit)
            values[item.spec.field] = HeaderValue(item.spec.text, cell, amount)
        else:
            values[item.spec.field] = HeaderValue(
                item.spec.text, cell, _plain_text(raw)
            )

    first_label = min(
        row
        for text in (*LAYOUT_MARKS[layout], *(spec.text for spec in LABELS[layout]))
        for row, _, _ in printed.get(_key(text), [])
    )
    return ImportedHeader(
        layout=layout,
        year=_year(sheet, first_label),
        subject=subject,
        funds_unit=funds_unit,
        fields=values,
    )


def _year(sheet: _Sheet, end: int) -> int | None:
    """The year of the line under the title (（2020年度）, （2019年）, 2023年度)."""
    for row in range(1, end):
        for col in range(1, sheet.max_column + 1):
            if sheet.origin(row, col) != (row, col):
                continue
            if match := _YEAR_LINE.fullmatch(_key(sheet.text(row, col))):
                return int(match["year"])
    return None


def _plain_text(raw: object) -> str:
    """A text cell: line ends as \\n, stripped; a whole number typed into it as written."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()


def _amount(raw: object, *, cell: str, label: str, unit: str | None) -> Decimal | None:
    """A money cell: a number, or text such as ``11,100.00`` or ``11100万元`` (read by
    ``kernel.indicator_values.parse_indicator_value``, so full-width digits and separators are
    understood); blank is None. Never through float arithmetic: a float cell is read by
    its shortest repr, which is what Excel shows."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    written = _plain_text(raw)
    unreadable = WorkbookError(f"{cell}：{label}“{written}”无法识别为金额。")
    if isinstance(raw, bool | datetime | date | time):
        raise unreadable
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise unreadable
        number = Decimal(repr(raw))
    else:
        parsed = parse_indicator_value(written)
        if (
            parsed.number is None
            or parsed.comparator is not Comparator.EQ
            or _key(written).startswith(_WRITTEN_EQUALS)
            or parsed.unit not in ("", *AMOUNT_UNITS)
        ):
            raise unreadable
        if parsed.unit and parsed.unit != unit:
            raise WorkbookError(
                f"{cell}：{label}“{written}”的单位与栏目名称中的单位"
                f"（{unit or '未注明'}）不一致。"
            )
        number = parsed.number
    if number < 0:
        raise WorkbookError(f"{cell}：{label}“{written}”是负数，金额不能为负。")
    if number >= MAX_AMOUNT:
        raise WorkbookError(f"{cell}：{label}“{written}”超出金额的范围。")
    if number != number.quantize(CENT):
        raise WorkbookError(f"{cell}：{label}“{written}”超过两位小数。")
    return number.quantize(CENT)

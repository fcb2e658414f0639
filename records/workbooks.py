"""The xlsx verification sheet (数据核验表) of a centre's year: every reconciled figure."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from budgets.models import Organisation
from records.reconciliation import Line, Verdict

HEADER = (
    "指标",
    "期间",
    "上报值",
    "上报单位",
    "上报值（基本单位）",
    "记录重算值",
    "差异（重算 − 上报）",
    "单位",
    "分子",
    "分母",
    "核验结论",
    "说明",
)
FILLS = {
    Verdict.CONSISTENT: PatternFill("solid", fgColor="E2F0D9"),
    Verdict.DIFFERENT: PatternFill("solid", fgColor="FCE4D6"),
    Verdict.UNVERIFIABLE: PatternFill("solid", fgColor="EDEDED"),
}
WIDTHS = (18, 10, 12, 9, 16, 14, 16, 7, 12, 12, 10, 30)


def _period(line: Line) -> str:
    return f"{line.year}年" if line.month is None else f"{line.year}年{line.month}月"


def verification_workbook(
    *, organisation: Organisation, year: int, lines: Sequence[Line]
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "数据核验"
    sheet.append(
        [f"{organisation.name} {year} 年运行数据核验表（上报值与原始记录重算值）"]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for line in lines:
        note = f"缺少{line.missing}" if line.missing else ""
        sheet.append(
            [
                line.name,
                _period(line),
                line.reported,
                line.reported_unit,
                line.reported_in_base,
                line.recomputed,
                line.difference,
                line.unit,
                line.numerator,
                line.denominator,
                line.verdict.value,
                note,
            ]
        )
        sheet.cell(sheet.max_row, 11).fill = FILLS[line.verdict]
    if not lines:
        sheet.append(["本年度没有可核验的原始记录"])
    sheet.append([])
    sheet.append(
        [
            "一致：重算值按上报值的小数位数写出后与上报值相同（或在设定的容差内）；"
            "差异：两者不同；无法核验：该期间缺少部分月份的原始记录，不给出重算值。"
        ]
    )
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The comparison as an xlsx workbook: every KPI of the year, centre by centre with its
rank and source (sheet 指标比较), and each KPI's spread (sheet 离散程度)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from comparisons.selectors import Better, Comparison, Kpi
from kernel.spreadsheets.writing import append_row

FIGURES_SHEET = "指标比较"
SPREAD_SHEET = "离散程度"
FIGURES_HEADER = (
    "指标",
    "单位",
    "排名",
    "参与比较数",
    "热线中心",
    "地区",
    "城市",
    "数值",
    "分子",
    "分子单位",
    "分母",
    "分母单位",
    "国家标准",
    "是否达标",
    "来源",
    "原始记录核验",
    "来源说明",
)
FIGURES_WIDTHS = (16, 6, 6, 10, 26, 10, 10, 10, 12, 8, 12, 8, 16, 8, 14, 12, 50)
SPREAD_HEADER = (
    "指标",
    "单位",
    "较优方向",
    "中心数",
    "最低",
    "最高",
    "中位数",
    "极差",
    "未达标中心数",
    "国家标准",
    "未比较（重构数值）",
)
SPREAD_WIDTHS = (16, 6, 10, 8, 10, 10, 10, 10, 12, 60, 24)
SOURCE_NAMES = {
    "published": "公开报告数",
    "uploaded": "上传运行数据",
    "verified": "经原始记录核验",
}
MEETS = {True: "达标", False: "未达标", None: ""}
BETTER = {Better.HIGHER: "越高越好", Better.LOWER: "越低越好"}


def _standard(kpi: Kpi) -> str:
    if kpi.standard is None:
        return kpi.standard_note
    return f"{kpi.standard.comparator.value}{kpi.standard.value}{kpi.unit}"


def _header(sheet: Worksheet, title: str, header: tuple[str, ...]) -> None:
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(header))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"


def _widths(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def comparison_workbook(*, comparison: Comparison) -> bytes:
    """The workbook of ``comparison`` (all its KPIs), figures as numbers as printed."""
    workbook = Workbook()
    figures = workbook.active
    assert isinstance(figures, Worksheet)
    figures.title = FIGURES_SHEET
    year = comparison.year
    _header(
        figures,
        f"{year} 年热线运行指标比较（由各中心计数按同一口径计算）"
        if year
        else "热线运行指标比较：没有可比较的运行数据",
        FIGURES_HEADER,
    )
    spread = workbook.create_sheet(SPREAD_SHEET)
    _header(spread, f"{year or ''} 年各指标的离散程度".strip(), SPREAD_HEADER)
    for compared in comparison.kpis:
        kpi = compared.kpi
        for f in compared.figures:
            append_row(
                figures,
                [
                    kpi.name,
                    kpi.unit,
                    f.rank,
                    f.of,
                    f.organisation.name,
                    f.organisation.region,
                    f.organisation.city,
                    f.value,
                    f.numerator,
                    f.numerator_unit,
                    f.denominator,
                    f.denominator_unit,
                    _standard(kpi) if kpi.standard else "",
                    MEETS[f.meets_standard],
                    SOURCE_NAMES[f.source.value]
                    + ("（计数由公开比率反推）" if f.counts_reconstructed else ""),
                    f.verification or "",
                    f.source_detail,
                ],
            )
        s = compared.spread
        if s is None and not compared.set_aside:
            continue
        append_row(
            spread,
            [
                kpi.name,
                kpi.unit,
                BETTER[kpi.better],
                None if s is None else s.count,
                None if s is None else s.minimum,
                None if s is None else s.maximum,
                None if s is None else s.median,
                None if s is None else s.range,
                None if s is None else s.below_standard,
                f"{kpi.standard.text}（{_standard(kpi)}）"
                if kpi.standard
                else kpi.standard_note,
                "、".join(o.name for o in compared.set_aside),
            ],
        )
    figures.append([])
    figures.append(
        [
            "排名：同一年度、同一指标、可见的各中心之间的竞争排名（并列同名次，下一名次顺延），"
            "按指标库的方向（越高越好或越低越好）由优到劣；比率为百分数，按两位小数四舍五入后比较。"
        ]
    )
    figures.append(
        [
            "来源：经原始记录核验 = 原始话单、工单重算的全年数值与上报值一致；公开报告数 = "
            "由公开的绩效评价报告载入的计数（种子数据）；上传运行数据 = 热线中心上传的运行数据。"
        ]
    )
    _widths(figures, FIGURES_WIDTHS)
    _widths(spread, SPREAD_WIDTHS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

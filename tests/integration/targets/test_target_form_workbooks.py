"""Target forms as xlsx: the official grid, its merged cells and its values."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind

pytestmark = pytest.mark.django_db


def _sheets(code: str) -> list[Worksheet]:
    doctype = document_type(DocumentKind.TARGET_FORM)
    assert doctype is not None
    content = doctype.export(doctype.build(code), DocumentFormat.XLSX)
    return list(load_workbook(BytesIO(content)).worksheets)


def _sheet(code: str) -> Worksheet:
    return _sheets(code)[0]


def _merged(sheet: Worksheet) -> set[str]:
    return {str(r) for r in sheet.merged_cells.ranges}


def _values(sheet: Worksheet, row: int) -> list[object]:
    """A row's values; numbers as Decimal (the file holds 2298.67, read back as a float)."""
    return [
        Decimal(str(c.value)) if isinstance(c.value, int | float) else c.value
        for c in sheet[row]
    ]


def test_project_form_grid_and_merges() -> None:
    sheet = _sheet("tianjin-2020")
    assert sheet.title == "项目支出绩效目标表"
    assert sheet.max_row == 27 and sheet.max_column == 6
    assert _values(sheet, 3) == [
        "项目名称",
        None,
        "天津市便民专线服务中心运行经费",
        None,
        "项目起止时间",
        "2020年1月-2020年12月",
    ]
    assert _values(sheet, 5)[::2] == [
        "项目资金（万元）",
        Decimal("10000.00"),
        "其中：财政拨款",
    ]
    assert (sheet["C5"].number_format, sheet["F5"].value) == ("#,##0.00", 10000)
    assert _values(sheet, 8) == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        None,
        "指标值",
    ]
    assert _values(sheet, 9) == [
        None,
        "产出指标",
        "数量指标",
        "设置坐席数",
        None,
        "560 个",
    ]
    assert _values(sheet, 27) == [
        None,
        "满意度指标",
        "服务对象满意度指标",
        "群众对坐席满意率",
        None,
        "大于 80%",
    ]
    assert _merged(sheet) == {
        "A1:F1",
        "A2:F2",  # title, year
        "A3:B3",
        "C3:D3",
        "A4:B4",
        "C4:D4",
        "A5:B6",
        "C5:D6",
        "A7:B7",
        "C7:F7",
        "A8:A27",  # 绩效指标 runs from the heading down the whole table
        "B9:B21",
        "B22:B26",  # 产出指标 (13 rows), 效益指标 (5); 满意度指标 has one row
        "C9:C13",
        "C14:C15",
        "C16:C18",
        "C19:C21",
        "C22:C23",
        "C24:C25",
        *(f"D{r}:E{r}" for r in range(8, 28)),  # 三级指标 spans two columns
    }
    assert sheet.print_title_rows == "$8:$8"


def test_application_form_grid_checkboxes_and_amounts_in_yuan() -> None:
    sheet = _sheet("shanghai-2019")
    assert sheet["A3"].value == "申报单位名称：中共上海市委、上海市人民政府信访办公室"
    assert (
        sheet["B5"].value
        == "市委市政府已确定的新增项目 ☐　结转项目 ☐　其他一次性项目 ☐"
    )
    assert sheet["B6"].value == "经常性专项业务费 ☑　其他经常性项目 ☐"
    assert sheet["B7"].value == (
        "基本建设工程类 ☐　信息化建设类 ☐　政策补贴类 ☐　政府购买服务 ☑　资产购置类 ☐　其他事业专业类 ☐"
    )
    assert _values(sheet, 13) == [
        "项目总预算（元）",
        133340000,
        "项目当年预算（元）",
        133340000,
    ]
    assert [sheet[f"D{r}"].value for r in range(16, 20)] == [
        19030000,
        9480000,
        95890000,
        8940000,
    ]
    assert _values(sheet, 24) == ["分解目标内容", "绩效指标", "指标目标值", None]
    assert _values(sheet, 31)[:3] == [
        "影响力目标",
        "12345热线的知晓度在逐渐提升，市民的满意度也逐年提高。",
        "上海12345热线的软件和硬件水平在全国同行业中仅次于北京。12345热线成为上海的一张“名片”。",
    ]
    assert {
        "A5:A6",
        "A15:A19",
        "B15:C15",
        "B19:C19",
        "A23:D23",
        "A25:A26",
        "A27:A28",
        "A29:A30",
        "C31:D31",
        "B32:D32",
    } <= _merged(sheet)
    assert "A31:A31" not in _merged(sheet)  # 影响力目标 has one indicator: no merge


def test_department_form_funds_block_and_key_task_level() -> None:
    sheet = _sheet("suzhou-2023")
    assert [sheet[f"{c}6"].value for c in "ABF"] == [
        "部门整体资金（万元）",
        "收入",
        "全年预算数",
    ]
    assert _values(sheet, 8)[2:] == ["财政拨款", "小计", None, Decimal("2298.67")]
    assert _values(sheet, 18)[2:] == [
        "项目支出",
        "小计",
        Decimal("593.46"),
        Decimal("1571.49"),
    ]
    assert {
        "A6:A30",  # 部门整体资金 spans 收入 and 支出
        "B6:B15",
        "B16:B30",
        "C8:C11",
        "C18:C30",
    } <= _merged(sheet)
    # the 履职 table, with its 重点工作 column, is a sheet of its own
    duties = _sheets("suzhou-2023")[1]
    assert duties.title == "履职"
    assert _values(duties, 1) == [
        "一级指标",
        "二级指标",
        "重点工作",
        "三级指标",
        "半年指标值",
        "全年指标值",
    ]
    assert _values(duties, 3)[2:] == [
        "标准化建设与标准体系优化升级完善",
        "完善标准体系",
        "=0项",
        "=1项",
    ]
    assert _values(duties, 9)[3:] == ["评审评价评估报告质量合格情况", None, "合格"]
    assert {
        "A2:A11",  # 履职
        "B2:B4",
        "B5:B8",  # duties over their key tasks
    } <= _merged(duties)
    outcomes = _sheets("suzhou-2023")[2]
    assert outcomes.title == "效益、满意度"
    assert {"A2:A6", "B3:B4"} <= _merged(outcomes)


def test_each_sheet_repeats_the_heading_that_matches_its_columns() -> None:
    # Excel repeats one set of rows per sheet: the 履职 table's heading (with 重点工作)
    # differs from the others', so it is on its own sheet with its own print titles
    sheets = _sheets("suzhou-2023")
    assert [(s.title, s.print_title_rows) for s in sheets] == [
        ("苏州市市级部门整体预算绩效目标表", "$34:$34"),
        ("履职", "$1:$1"),
        ("效益、满意度", "$1:$1"),
    ]
    assert _values(sheets[0], 34)[:3] == ["一级指标", "二级指标", "三级指标"]
    assert _values(sheets[1], 1)[:3] == ["一级指标", "二级指标", "重点工作"]
    for sheet in sheets:
        assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    # a project form is one sheet, its indicator heading repeated
    (project,) = _sheets("tianjin-2020")
    assert project.print_title_rows is not None


@pytest.mark.parametrize("cell", ["E41", "F41", "E42"])
def test_values_that_start_with_equals_stay_text(cell: str) -> None:
    sheet = _sheet("suzhou-2023")
    assert sheet[cell].data_type == "s"
    assert str(sheet[cell].value).startswith("=")
    # Excel's quote prefix: editing the cell in Excel keeps it text, not a formula
    assert sheet[cell].quotePrefix is True


def test_a_text_longer_than_a_row_can_hold_runs_on_over_merged_rows() -> None:
    # Suzhou's 年度目标 (1,171 characters) needs ~570 pt: more than Excel's 409 pt cap
    sheet = _sheet("suzhou-2023")
    assert sheet["A32"].value == "年度目标"
    assert len(str(sheet["C32"].value)) >= 1171
    assert {"A32:B33", "C32:F33"} <= _merged(sheet)
    heights = [sheet.row_dimensions[r].height for r in (32, 33)]
    assert heights == [287.0, 287.0]  # each within the cap, the text shown whole
    assert sheet["C32"].alignment.vertical == "top"  # read from its first line
    assert sheet["A34"].value == "一级指标"
    assert sheet["E41"].quotePrefix and not sheet["C41"].quotePrefix


def test_every_amount_is_a_number_with_two_decimals() -> None:
    sheet = _sheet("suzhou-2023")
    amounts = [c for row in sheet.iter_rows(min_row=7, max_row=30) for c in row[4:]]
    numbers = [
        c for c in amounts if c.value is not None and c.coordinate not in ("E16", "F16")
    ]
    assert len(numbers) == 9 + 2 * 14
    assert {c.number_format for c in numbers} == {"#,##0.00"}
    assert (
        sum(Decimal(str(c.value)) for c in numbers if c.column_letter == "F")
        == Decimal("2298.67") * 3 + Decimal("727.18") + Decimal("1571.49") * 2
    )


def test_page_setup_prints_a4_one_page_wide_with_numbered_pages() -> None:
    sheet = _sheet("suzhou-2023")
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation == "portrait"  # as the form's PDF
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert (
        sheet.oddHeader.center.text
        == "苏州市便民服务中心　2023年度苏州市市级部门整体预算绩效目标表"
    )

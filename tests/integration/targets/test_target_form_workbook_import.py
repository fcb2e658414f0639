"""Reading a target form's workbook back: the header block by its labels (layout, year,
subject, amounts as Decimal, texts) and the indicator tables of every layout."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from targets.models import TargetForm
from targets.workbooks_io import (
    GOAL,
    HeaderValue,
    ImportedNode,
    WorkbookError,
    read_target_form,
)

pytestmark = pytest.mark.django_db


def _exported(code: str) -> Worksheet:
    doctype = document_type(DocumentKind.TARGET_FORM)
    assert doctype is not None
    content = doctype.export(doctype.build(code), DocumentFormat.XLSX)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def _bytes(sheet: Worksheet) -> bytes:
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    return buffer.getvalue()


def _flat(nodes: list[ImportedNode], depth: int = 0) -> list[tuple[int, str, str]]:
    rows = []
    for node in nodes:
        rows.append((depth, node.level, node.name))
        rows.extend(_flat(node.children, depth + 1))
    return rows


@pytest.mark.parametrize(
    ("code", "layout", "year", "subject", "unit", "fields"),
    [
        (
            "tianjin-2020",
            "project",
            2020,
            HeaderValue("项目名称", "C3", "天津市便民专线服务中心运行经费"),
            HeaderValue("项目资金", "A5", "万元"),
            {
                "funds_total": ("C5", Decimal("10000.00")),
                "funds_fiscal": ("F5", Decimal("10000.00")),
                "funds_other": ("F6", None),
                GOAL: ("C7", "1. 保障 1030 名"),
            },
        ),
        (
            "shanghai-2019",
            "application",
            2019,
            HeaderValue("项目名称", "B4", "12345市民服务热线外包服务"),
            HeaderValue("项目当年预算", "C13", "元"),
            {
                "funds_total": ("D13", Decimal("133340000.00")),
                "overall_goal": ("B21", "通过聘用专业的话务人员"),
                "annual_goal": ("B22", "热线接能率 ≥88% （年）"),
            },
        ),
        (
            "suzhou-2023",
            "department",
            2023,
            HeaderValue("单位名称", "C3", "苏州市便民服务中心"),
            None,
            {
                "main_functions": ("C4", "(一) 负责拟订全市便民"),
                "staffing": ("C5", "(1) 机构设置：根据单位"),
                "long_term_goal": ("C31", "深入学习贯彻党的二十"),
                "annual_goal": ("C32", "1. 肩负新时代政治责任"),
            },
        ),
    ],
)
def test_each_layout_header_is_read_by_its_labels(
    code: str,
    layout: str,
    year: int,
    subject: HeaderValue,
    unit: HeaderValue | None,
    fields: dict[str, tuple[str, object]],
) -> None:
    header = read_target_form(_bytes(_exported(code))).header
    assert (header.layout, header.year, header.subject, header.funds_unit) == (
        layout,
        year,
        subject,
        unit,
    )
    assert {
        name: (
            value.cell,
            value.value[: len(str(fields[name][1]))]
            if isinstance(value.value, str)
            else value.value,
        )
        for name, value in header.fields.items()
    } == fields


def test_text_keeps_its_line_breaks() -> None:
    header = read_target_form(_bytes(_exported("suzhou-2023"))).header
    form = TargetForm.objects.get(code="suzhou-2023")
    assert header.fields["main_functions"].value == form.main_functions
    assert form.main_functions.count("\n") == 7


def test_the_application_and_department_tables_are_read_whole() -> None:
    shanghai = read_target_form(_bytes(_exported("shanghai-2019"))).indicators
    assert _flat(shanghai)[:3] == [
        (0, "level1", "投入和管理目标"),
        (1, "level3", "热线工作的规范性和安全性"),
        (1, "level3", "热线经费使用的合理性和有效性"),
    ]
    assert _flat(shanghai)[-1] == (
        1,
        "level3",
        "12345热线的知晓度在逐渐提升，市民的满意度也逐年提高。",
    )  # 备注 below the table is not an indicator
    suzhou = read_target_form(_bytes(_exported("suzhou-2023"))).indicators
    assert [node.name for node in suzhou] == ["决策", "过程", "履职", "效益", "满意度"]
    duty = suzhou[2].children[0]
    assert (duty.level, duty.children[0].level, duty.children[0].name) == (
        "level2",
        "key_task",
        "座席人员日常管理",
    )
    leaf = duty.children[0].children[0]
    assert (leaf.name, leaf.half_year_value, leaf.value) == (
        "劳动合同制座席人员数量",
        "≤114人",
        "≤114人",
    )


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        (11100, Decimal("11100.00")),
        (11092.4, Decimal("11092.40")),
        ("11,100.50", Decimal("11100.50")),
        ("１１１００．５", Decimal("11100.50")),
        ("11100万元", Decimal("11100.00")),
        ("11100 万", Decimal("11100.00")),
        (" ", None),
        (None, None),
    ],
)
def test_amounts_are_read_as_decimal(written: object, amount: Decimal | None) -> None:
    sheet = _exported("tianjin-2020")
    sheet["C5"] = written
    header = read_target_form(_bytes(sheet)).header
    assert header.fields["funds_total"].value == amount


@pytest.mark.parametrize(
    ("cell", "written", "message"),
    [
        ("C5", "十万", "C5：项目资金“十万”无法识别为金额。"),
        ("C5", "≥11100", "C5：项目资金“≥11100”无法识别为金额。"),
        ("C5", "=11100", "C5：项目资金“=11100”无法识别为金额。"),
        ("C5", "＝11100", "C5：项目资金“＝11100”无法识别为金额。"),
        ("C5", "95%", "C5：项目资金“95%”无法识别为金额。"),
        (
            "C5",
            "11100元",
            "C5：项目资金“11100元”的单位与栏目名称中的单位（万元）不一致。",
        ),
        ("F5", -5, "F5：其中：财政拨款“-5”是负数，金额不能为负。"),
        ("F6", 0.005, "F6：其他资金“0.005”超过两位小数。"),
        ("C5", 10**14, "C5：项目资金“100000000000000”超出金额的范围。"),
        (
            "A5",
            "项目资金（千元）",
            "A5：项目资金的单位“千元”无法识别，应为“元”或“万元”。",
        ),
        (
            "E6",
            "项目资金",
            "A5、E6：表头中“项目资金”出现了不止一次，无法判断以哪一处为准。",
        ),
        (
            "A4",
            "总体目标",
            "表头中同时有“绩效目标”和“总体目标”或“年度目标”，无法判断应写入哪一项。",
        ),
    ],
)
def test_an_unreadable_header_cell_is_named(
    cell: str, written: object, message: str
) -> None:
    sheet = _exported("tianjin-2020")
    sheet[cell] = written
    sheet[cell].data_type = "s" if isinstance(written, str) else "n"
    with pytest.raises(WorkbookError) as error:
        read_target_form(_bytes(sheet))
    assert str(error.value) == message


def test_a_sheet_with_only_an_indicator_table_has_no_header() -> None:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值"])
    sheet.append(["产出指标", "数量指标", "设置坐席数", "560 个"])
    result = read_target_form(_bytes(sheet))
    assert (result.header.layout, result.header.year, result.header.fields) == (
        "",
        None,
        {},
    )
    assert _flat(result.indicators) == [
        (0, "level1", "产出指标"),
        (1, "level2", "数量指标"),
        (2, "level3", "设置坐席数"),
    ]

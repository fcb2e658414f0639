"""The 绩效运行监控表 (issue 15 §2) of Suzhou 2023's report for 2023-06, through the
documents pipeline: the PDF read back cell by cell (pdfplumber), the xlsx holding the
same cells, a figure nobody reported printed as 未填报."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from budgets.models import DepartmentExpenditure
from budgets.services import department_spending_record
from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_render
from targets.models import MonitoringReport, TargetForm
from targets.monitoring_services import (
    LineChange,
    monitoring_report_save,
    monitoring_report_start,
    monitoring_report_submit,
)
from targets.services import target_form_approve, target_form_submit
from tests.functional.documents.layout import Layout
from tests.functional.documents.readback import read_back, squash

pytestmark = pytest.mark.django_db


def _render(code: str, format: DocumentFormat) -> bytes:
    doctype = document_type(DocumentKind.MONITORING_TABLE)
    assert doctype is not None
    return document_render(doctype, doctype.build(code), format)


def _report(*, spending: bool) -> MonitoringReport:
    form = TargetForm.objects.get(code="suzhou-2023")
    clerk = User.objects.create_user("sz-clerk")
    target_form_submit(form=form, user=clerk)
    target_form_approve(form=form, user=clerk)
    report = monitoring_report_start(form=form, months=6)
    if spending:
        budget = form.organisation.department_budgets.get(year=2023)  # type: ignore[union-attr]
        lines = DepartmentExpenditure.objects.filter(department_budget=budget)
        amounts = {line.pk: Decimal(0) for line in lines}
        amounts[lines.get(name="基本支出").pk] = Decimal("300")
        amounts[lines.get(name="“12345”政府公共服务热线运行经费").pk] = Decimal("400")
        amounts[lines.get(name="呼叫平台、热线电话费等").pk] = Decimal("60")
        department_spending_record(budget=budget, month=6, amounts=amounts)
    posts = report.lines.get(name="计划通过微信公众号推送信息条数或个数")
    checks = report.lines.get(name="全年开展考核次数")
    monitoring_report_save(
        report=report,
        lines=[
            LineChange(
                posts,
                {
                    "to_date": "20条",
                    "expected": "48条",
                    "likelihood": "possible",
                    "cause": "staff",
                    "cause_text": "上半年新媒体岗位空缺两个月",
                    "measures": "7月起补足人员，下半年每月推送5条",
                },
            ),
            LineChange(checks, {"to_date": "2次", "expected": "4次"}),
        ],
    )
    monitoring_report_submit(report=report, user=clerk)
    return report


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_suzhou_half_year_monitoring_table_reads_back_cell_by_cell() -> None:
    _report(spending=True)
    pdf = _render("suzhou-2023-06", DocumentFormat.PDF)
    if path := os.environ.get("MONITORING_TABLE_PDF"):
        Path(path).write_bytes(pdf)
    back = read_back(pdf)
    assert back.row_with("单位名称", "苏州市便民服务中心")
    assert back.row_with("监控期间", "2023年1-6月", "报告状态", "已提交")
    assert back.row_with(
        "预算执行情况（万元）",
        "全年预算数",
        "1-6月计划执行数",
        "1-6月实际执行数",
        "执行率",
        "完成计划",
        "监控结果",
        "偏差原因",
        "纠偏措施",
    )
    # 760 of 2298.67 = 33.06 %; against the 878.46 planned: 86.52 %, green
    assert back.row_with(
        "年度资金总额", "2,298.67", "878.46", "760.00", "33.06%", "86.52%", "绿灯"
    )
    assert back.row_with("基本支出", "727.18", "285.00", "300.00", "41.26%", "105.26%")
    assert back.row_with(
        "“12345”政府公共服务热线运行经费",
        "1,165.62",
        "443.00",
        "400.00",
        "34.32%",
        "90.29%",
    )
    # a line with nothing planned to date: no progress against the plan
    assert back.row_with("体检经费", "8.30", "0.00", "0.00", "0.00%", "—")
    assert back.row_with(
        "一级指标",
        "二级指标",
        "三级指标",
        "半年指标值",
        "全年指标值",
        "1-6月执行情况",
        "预计全年完成情况",
        "监控结果",
        "偏差原因",
        "纠偏措施",
    )
    assert back.row_with(
        "计划通过微信公众号推送信息条数或个数",
        "=24条",
        "=48条",
        "20条",
        "48条",
        "红灯（有可能）",
        "人员保障：上半年新媒体岗位空缺两个月",
        "7月起补足人员，下半年每月推送5条",
    )
    assert back.row_with("全年开展考核次数", "=2次", "=4次", "2次", "4次", "绿灯")
    # nothing reported to date prints as such, never as zero
    assert back.row_with("预算执行率", "=38%", "=100%", "未填报", "—", "—")
    assert back.row_with("评审评价评估报告质量合格情况", "—", "合格", "未填报")
    text = squash(back.text)
    assert "绩效运行监控表" in text and "（2023年1-6月）" in text
    layout = Layout(pdf)
    assert layout.title_lines() == ["绩效运行监控表"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_without_spending_to_date_the_table_says_not_reported() -> None:
    _report(spending=False)
    back = read_back(_render("suzhou-2023-06", DocumentFormat.PDF))
    assert back.row_with("年度资金总额", "2,298.67", "878.46", "未填报", "—", "—", "—")


def test_the_monitoring_table_as_xlsx_holds_the_same_cells() -> None:
    _report(spending=True)
    workbook = load_workbook(BytesIO(_render("suzhou-2023-06", DocumentFormat.XLSX)))
    # the header and the budget on the first sheet; the indicators, whose columns
    # differ, on a sheet of their own (each sheet repeats its own heading)
    first, indicators = (
        [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    )
    assert first[0] == ["绩效运行监控表"]
    # printed as the PDF is: A4 landscape, one page wide, every sheet
    assert [
        (s.page_setup.orientation, s.page_setup.paperSize, s.page_setup.fitToWidth)
        for s in workbook.worksheets
    ] == [("landscape", 9, 1), ("landscape", 9, 1)]
    assert ["单位名称", "苏州市便民服务中心"] in first
    assert ["年度资金总额", 2298.67, 878.46, 760, "33.06%", "86.52%", "绿灯"] in first
    assert ["基本支出", 727.18, 285, 300, "41.26%", "105.26%"] in first
    assert indicators[0] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "半年指标值",
        "全年指标值",
        "1-6月执行情况",
        "预计全年完成情况",
        "监控结果",
        "偏差原因",
        "纠偏措施",
    ]
    assert [
        "负责“苏州12345和寒山闻钟”微信公众号的日常运营",
        "计划通过微信公众号推送信息条数或个数",
        "=24条",
        "=48条",
        "20条",
        "48条",
        "红灯（有可能）",
        "人员保障：上半年新媒体岗位空缺两个月",
        "7月起补足人员，下半年每月推送5条",
    ] in indicators

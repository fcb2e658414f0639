"""The 项目支出绩效自评表 of a self-evaluation (issue 15 §1): PDF and xlsx through the
documents kinds, read back cell by cell; ``render_report`` prints it; its page is scoped."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_render
from evaluations.models import Evaluation, EvaluationIndicator, Framework
from evaluations.selectors import evaluation_score
from evaluations.services.creation import (
    evaluation_create,
    expand_from_target_form,
    framework_tree,
)
from targets.models import TargetForm
from tests.functional.documents.readback import read_back, squash, visible_text

pytestmark = pytest.mark.django_db

D = Decimal
CODE = "tianjin-2020-self-1"
GOAL_ACHIEVED = "保障了865名合同员工薪酬和业务用房经费支出；30条中继线路全年开通。"
SHORTFALL = "合同制员工流失较多，年底在岗865人；下年度分批招录并加强培训。"
TIANJIN = "天津市便民专线服务中心运行经费"
DEPARTMENT = "天津市人民政府政务服务(营商环境)办公室"
UNIT = "天津市便民专线服务中心"
A4 = (595.3, 841.9)  # points


@pytest.fixture
def self_evaluation() -> Evaluation:
    """Tianjin 2020 self-evaluated in the national 自评表 (预算执行率 10 + 产出 50 + 效益 30 +
    满意度 10), actual values from the operating data, one shortfall explained."""
    framework = Framework.objects.get(code="national-self-evaluation")
    form = TargetForm.objects.get(code="tianjin-2020")
    assert form.project is not None
    evaluation = evaluation_create(
        code=CODE,
        kind="self",
        year=2020,
        title="天津市便民专线服务中心运行经费2020年度绩效自评",
        project=form.project,
        framework=framework,
        target_form=form,
        indicators=expand_from_target_form(framework_tree(framework), form),
        evaluator=form.project.unit,
        annual_goal=form.annual_goal,
    )
    # actual values as the unit states them (the operating data's matching is not what
    # this document is about); the others stay empty and unscored
    for name, text, number, unit in [
        ("预算执行率", "99.86%", "99.86", "%"),  # 11076.79 / 11092.40
        ("设置坐席数", "560 个", "560", "个"),
        ("录用合同制员工人数", "865 人", "865", "人"),
        ("接通率", "96.12%", "96.12", "%"),
    ]:
        EvaluationIndicator.objects.filter(evaluation=evaluation, name=name).update(
            actual_text=text, actual_number=D(number), actual_unit=unit
        )
    EvaluationIndicator.objects.filter(
        evaluation=evaluation, name="录用合同制员工人数"
    ).update(deviation_reason=SHORTFALL)
    Evaluation.objects.filter(pk=evaluation.pk).update(goal_achieved=GOAL_ACHIEVED)
    evaluation.refresh_from_db()
    return evaluation


def _render(code: str, format: DocumentFormat) -> bytes:
    doctype = document_type(DocumentKind.SELF_EVALUATION_TABLE)
    assert doctype is not None
    return document_render(doctype, doctype.build(code), format)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_reads_back_with_every_cell_in_its_row_and_column(
    self_evaluation: Evaluation,
) -> None:
    scored = evaluation_score(self_evaluation)
    assert (scored.result.total, scored.result.grade) == (D("20.92"), "差")
    pdf = _render(CODE, DocumentFormat.PDF)
    back = read_back(pdf)
    assert "项目支出绩效自评表" in back.text
    assert "（2020年度）" in back.text
    assert back.row_with("项目名称", TIANJIN)
    assert back.row_with("主管部门", DEPARTMENT, "实施单位", UNIT)
    assert back.row_with(
        "项目资金（万元）",
        "",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    )
    # 10 × 99.86% = 9.99 (the proportional rule)
    assert back.row_with(
        "年度资金总额", "10,200.59", "11,092.40", "11,076.79", "10", "99.86%", "9.99"
    )
    assert back.row_with("年度总体目标", "预期目标", "实际完成情况")
    assert back.row_with(
        "1.保障1030名合同员工薪酬支出和7000平米业务用房经费支出。2.保障30条中继线路和专线"
        "链路费用支出。3.开展相关培训,全年培训8000人次。",
        GOAL_ACHIEVED,
    )
    assert back.row_with(
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    )
    # the first row of a group carries its 一级 and 二级, merged down the rows below
    assert back.row_with(
        "产出指标", "数量指标", "设置坐席数", "560个", "560个", "3.85", "3.85", ""
    )
    assert back.row_with("全年受理(咨询)量", "750万件", "", "3.85", "", "")
    assert back.row_with(
        "录用合同制员工人数", "1030人", "865人", "3.85", "3.23", SHORTFALL
    )
    assert back.row_with("接通率", "大于90%", "96.12%", "3.85", "3.85", "")
    assert back.row_with("开展培训", "10万", "", "3.80", "", "")
    assert back.row_with(
        "满意度指标",
        "服务对象满意度指标",
        "群众对坐席满意率",
        "大于80%",
        "",
        "10",
        "",
        "",
    )
    assert back.row_with("总分", "100", "20.92", "等级：差")
    # nothing the data does not hold: no published total, no unlisted points
    assert "公布总分" not in back.text and "未列示" not in back.text
    with pdfplumber.open(BytesIO(pdf)) as reader:
        assert 1 <= len(reader.pages) <= 2
        assert [(round(p.width, 1), round(p.height, 1)) for p in reader.pages] == [
            A4
        ] * len(reader.pages)


def test_the_xlsx_holds_the_same_cells(self_evaluation: Evaluation) -> None:
    sheet = load_workbook(BytesIO(_render(CODE, DocumentFormat.XLSX))).active
    assert sheet is not None
    rows = [
        [c for c in row if c not in (None, "")]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert rows[0] == ["项目支出绩效自评表"]
    assert ["项目名称", TIANJIN] in rows
    assert ["主管部门", DEPARTMENT, "实施单位", UNIT] in rows
    assert [
        "项目资金（万元）",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ] in rows
    budget = next(r for r in rows if r and r[0] == "年度资金总额")
    assert budget == [
        "年度资金总额",
        D("10200.59"),
        D("11092.40"),
        D("11076.79"),
        "10",
        "99.86%",
        "9.99",
    ] or budget == [
        "年度资金总额",
        10200.59,
        11092.4,
        11076.79,
        "10",
        "99.86%",
        "9.99",
    ]
    assert ["年度总体目标", "预期目标", "实际完成情况"] in rows
    assert [
        "录用合同制员工人数",
        "1030 人",
        "865 人",
        "3.85",
        "3.23",
        SHORTFALL,
    ] in rows
    assert ["总分", "100", "20.92", "等级：差"] in rows


def _run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_render_report_prints_a_self_evaluation_as_its_table(
    self_evaluation: Evaluation, tmp_path: Path
) -> None:
    pdf = tmp_path / "self.pdf"
    html = tmp_path / "self.html"
    [line] = _run("render_report", CODE, "-o", str(pdf))
    assert line.startswith(f"{pdf}（")
    text = squash(read_back(pdf.read_bytes()).text)
    assert "项目支出绩效自评表" in text and "偏差原因分析及改进措施" in text
    assert "评价报告" not in text
    _run("render_report", CODE, "-o", str(html))
    page = squash(visible_text(html.read_text()))
    assert "项目支出绩效自评表" in page and squash(SHORTFALL) in page
    # a third-party evaluation still prints its report
    _run("render_report", "tianjin-2020", "-o", str(html))
    assert "偏差原因分析及改进措施" not in squash(visible_text(html.read_text()))


def test_the_table_page_is_for_those_who_see_the_evaluation(
    self_evaluation: Evaluation, member: Callable[[str], Client]
) -> None:
    url = reverse("documents:page", args=["self_evaluation_table", CODE])
    unit = member("tj-8890")
    page = unit.get(url)
    assert page.status_code == 200
    assert "项目支出绩效自评表" in page.content.decode()
    # a third-party evaluation has no 自评表
    other = reverse("documents:page", args=["self_evaluation_table", "tianjin-2020"])
    assert unit.get(other).status_code == 404
    # another organisation's staff (the same client, logged in again)
    assert member("pj-yshj").get(url).status_code == 404

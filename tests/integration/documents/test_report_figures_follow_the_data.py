"""Issue 14 item 6: every figure in the report's sentences is computed from the data it
describes, so after an upload changes 接听量 (or 受理量) the paragraphs and 表3 still agree;
figures computed from reconstructed counts carry their ※ (重构) mark."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import Role
from budgets.models import Organisation
from documents.evaluation_reports import (
    EvaluationReport,
    TableBlock,
    TextBlock,
    evaluation_report_document,
)
from evaluations.models import Evaluation, ReportSection
from evaluations.reports.context import report_context
from evaluations.services import evaluation_submit
from operations.services import operating_data_import
from tests.integration.operations.files import PANJIN, row, xlsx
from tests.personas import log_in_as, member

pytestmark = pytest.mark.django_db


def _report(code: str) -> EvaluationReport:
    report = evaluation_report_document(code=code).context["report"]
    assert isinstance(report, EvaluationReport)
    return report


def _text(report: EvaluationReport) -> str:
    return "".join(
        piece + ("※" if mark else "")
        for block in report.blocks
        if isinstance(block, TextBlock)
        for line in block.lines
        for piece, mark in line
    )


def _row(report: EvaluationReport, label: str) -> list[str]:
    (table,) = [
        b for b in report.blocks if isinstance(b, TableBlock) and b.number == "表3"
    ]
    (found,) = [
        [cell.text for cell in r.cells]
        for r in table.section.body
        if r.cells[0].text == label
    ]
    return found


def _upload(organisation: str, *rows: list[object]) -> None:
    outcome = operating_data_import(
        organisation=Organisation.objects.get(code=organisation),
        name="更正.xlsx",
        content=xlsx(rows),
    )
    assert outcome.committed, outcome


def test_as_seeded_the_sentences_state_the_seed_figures_computed_from_the_counts() -> (
    None
):
    text = _text(_report("tianjin-2020"))
    assert "2020 年度比 2019 年度受理量提高了 37.83%。" in text
    assert "接听 1012.36 万次，全年累计接听率 96.12%" in text
    assert (
        "每万次接听量的人工成本为 8.99 万元，较 2018-2019 年均值 10.58 万元下降 15.03%"
        in text
    )
    assert "月均流失率为 1.1%；2018-2019 年平均月度人员流失率为 2.72%。" in text
    values = report_context("tianjin-2020").values
    assert values["受理量同比增长率"].value == Decimal("37.83")


def test_after_an_upload_changes_the_calls_answered_the_paragraphs_and_table_3_agree() -> (
    None
):
    _upload("tj-8890", row("接听量", "2020", "1040", "万次"))
    report = _report("tianjin-2020")
    text = _text(report)
    # 9098.24 / 1040 = 8.748… → 8.75; (8.75 − 10.58) / 10.58 = −17.30%
    assert "接听 1040 万次，全年累计接听率 98.75%" in text
    assert (
        "每万次接听量的人工成本为 8.75 万元，较 2018-2019 年均值 10.58 万元下降 17.30%"
        in text
    )
    assert _row(report, "接听量（万次）")[1] == "1040"
    assert _row(report, "每1万接听量人工成本（万元）")[1] == "8.75"
    assert _row(report, "每1万接听量人工成本较历史均值增长率³")[1] == "-17.30%"


def test_after_an_upload_changes_the_cases_accepted_both_sentences_follow() -> None:
    _upload("tj-8890", row("受理量", "2020", "1100", "万件"))
    text = _text(_report("tianjin-2020"))
    # (1100 − 751.92) / 751.92 = 46.29%
    assert "共计 1100 万件；" in text
    assert "2020 年度比 2019 年度受理量提高了 46.29%。" in text
    assert "累计受理咨询数量 1100 万件，较 2019 年受理咨询数量增加了 46.29%" in text
    assert "37.83%" not in text


def test_figures_from_reconstructed_counts_are_marked_the_published_rates_not() -> None:
    values = report_context("panjin-2023").values
    marked = {name: values[name].reconstructed for name in values}
    assert {
        name: marked[name]
        for name in ("接通率", "好评率", "直接办复率", "办结率", "满意率", "受理量")
    } == dict.fromkeys(
        ("接通率", "好评率", "直接办复率", "办结率", "满意率", "受理量"), False
    )
    assert {
        name: marked[name]
        for name in ("呼入量", "接听量", "回访量", "办结量", "回访率", "2023年回访率")
    } == dict.fromkeys(
        ("呼入量", "接听量", "回访量", "办结量", "回访率", "2023年回访率"), True
    )
    # a sentence placing 回访率 prints it with its mark, the first one with the footnote
    item = ReportSection.objects.get(
        evaluation__code="panjin-2023", heading="（1）保障水平（{{保障水平分值}}分）"
    )
    item.body += "\n回访率为{{回访率}}，接通率为{{接通率}}。"
    item.save()
    report = _report("panjin-2023")
    (line,) = [
        line
        for block in report.blocks
        if isinstance(block, TextBlock)
        for line in block.lines
        if line[0][0].startswith("回访率为")
    ]
    assert line == (
        ("回访率为30.90%", "footnote"),
        ("，接通率为98.01%", ""),
        ("。", ""),
    )


def test_an_upload_replacing_a_reconstructed_count_drops_the_mark() -> None:
    _upload("pj-yshj", row("回访量", "2023", "100000", "件", org=PANJIN))
    values = report_context("panjin-2023").values
    assert values["回访量"].reconstructed is False
    # 回访率 is still computed from 办结量, which stays reconstructed
    assert values["回访率"].reconstructed is True


def test_the_operating_data_page_marks_the_reconstructed_figures(
    client: Client,
) -> None:
    log_in_as("pj-centre", "pj-yshj", Role.UNIT, client=client)
    html = client.get("/operations/pj-yshj/2023/").content.decode()
    marked = [
        name
        for name in (
            "呼入量",
            "接听量",
            "回访量",
            "办结量",
            "回访率",
            "接通率",
            "满意率",
            "受理量",
        )
        if '<span class="reconstructed"'
        in html.split(f"<td>{name}</td>")[1].split("</tr>")[0]
    ]
    assert marked == ["呼入量", "接听量", "回访量", "办结量", "回访率"]
    assert "标有“重构”的数值不是热线的原始数据" in html
    tianjin = log_in_as("tj-centre", "tj-8890", Role.UNIT, client=Client())
    assert "重构" not in tianjin.get("/operations/tj-8890/2020/").content.decode()


def test_a_submitted_report_keeps_its_sentences_and_table_3_as_submitted() -> None:
    """Once submitted, the sentences place the figures the evaluation was submitted with,
    like its tables: an upload afterwards moves neither."""
    user = member("tj-submitter", "tj-evaluator", Role.EVALUATOR)
    evaluation_submit(evaluation=Evaluation.objects.get(code="tianjin-2020"), user=user)
    _upload("tj-8890", row("接听量", "2020", "1040", "万次"))
    report = _report("tianjin-2020")
    text = _text(report)
    assert "接听 1012.36 万次，全年累计接听率 96.12%" in text
    assert (
        "每万次接听量的人工成本为 8.99 万元，较 2018-2019 年均值 10.58 万元下降 15.03%"
        in text
    )
    assert _row(report, "接听量（万次）")[1] == "1012.36"
    # the live data did move
    assert report_context("tianjin-2020").evaluation.is_locked


def test_the_projects_dashboard_marks_panjins_reconstructed_call_counts(
    client: Client,
) -> None:
    log_in_as("pj-fin", "pj-czj", Role.FINANCE, client=client)
    html = client.get("/dashboards/projects/?year=2023").content.decode()
    counts = html.split("294,030 / 300,000")[1].split("</div>")[0]
    assert '<span class="reconstructed"' in counts
    assert "重构" in counts
    tianjin = log_in_as("tj-fin", "tj-czj", Role.FINANCE, client=Client())
    page = tianjin.get("/dashboards/projects/?year=2020").content.decode()
    assert "1,012.36 / 1,053.2" in page
    assert 'class="reconstructed"' not in page

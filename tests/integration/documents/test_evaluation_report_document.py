"""The evaluation report read from the database: its blocks, what it leaves out, what a
change of data does to it, and ``manage.py render_report``."""

from __future__ import annotations

import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import CommandError, call_command

from accounts.models import Membership, Role
from budgets.models import BudgetYear, Organisation
from documents.evaluation_reports import (
    EvaluationReport,
    FigureBlock,
    Heading,
    IndicatorBlock,
    Paragraphs,
    TableBlock,
    evaluation_report_document,
)
from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_fingerprint
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.services import evaluation_indicator_score

pytestmark = pytest.mark.django_db


def _report(code: str) -> EvaluationReport:
    report = evaluation_report_document(code=code).context["report"]
    assert isinstance(report, EvaluationReport)
    return report


def _headings(report: EvaluationReport, level: int) -> list[str]:
    return [
        f"{b.number}{b.text}"
        for b in report.blocks
        if isinstance(b, Heading) and b.level == level
    ]


def _table(report: EvaluationReport, number: str) -> list[list[str]]:
    (table,) = [
        b for b in report.blocks if isinstance(b, TableBlock) and b.number == number
    ]
    return [
        [cell.text for cell in row.cells]
        for row in (*table.section.head, *table.section.body)
    ]


def _text(report: EvaluationReport) -> str:
    parts = list(report.opening)
    for block in report.blocks:
        if isinstance(block, Paragraphs):
            parts += block.lines
        elif isinstance(block, IndicatorBlock):
            parts += [block.values, *block.reason, block.score_text]
    return "".join(parts)


def test_the_sections_of_the_two_seed_reports() -> None:
    assert _headings(_report("tianjin-2020"), 1) == [
        "一、项目基本情况",
        "二、绩效评价工作开展情况",
        "三、评价结论及分析",
        "四、存在的主要问题",
        "五、相关建议",
    ]
    # Panjin's report lists no problems: 相关建议 closes up to 四、.
    assert _headings(_report("panjin-2023"), 1) == [
        "一、项目基本情况",
        "二、绩效评价工作开展情况",
        "三、评价结论及分析",
        "四、相关建议",
    ]
    assert _headings(_report("panjin-2023"), 2)[2:10] == [
        "（一）评价目的",
        "（二）评价对象与范围",
        "（三）评价依据",
        "（四）评价原则",
        "（五）评价方法",
        "（六）评价结果等级划分",
        "（七）评价指标体系",
        "（八）评价工作过程",
    ]


def test_the_score_table_is_the_engines() -> None:
    assert _table(_report("tianjin-2020"), "表2") == [
        ["指标", "项目决策", "项目过程", "项目产出", "项目效益", "合计"],
        ["分值", "17", "23", "38", "22", "100"],
        ["得分", "15", "19.50", "38", "19.87", "92.37"],
        ["得分率", "88.24%", "84.78%", "100%", "90.32%", "92.37%"],
    ]


def test_a_changed_score_changes_the_report_and_its_fingerprint() -> None:
    doctype = document_type(DocumentKind.EVALUATION_REPORT)
    assert doctype is not None
    before = document_fingerprint(doctype.build("tianjin-2020"), DocumentFormat.PDF)
    seats = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="坐席设置数量"
    )
    evaluation_indicator_score(
        indicator=seats, final_score=Decimal("2"), reason="坐席未全部启用。"
    )
    report = _report("tianjin-2020")
    after = document_fingerprint(doctype.build("tianjin-2020"), DocumentFormat.PDF)
    assert after != before
    assert _table(report, "表2")[2] == ["得分", "15", "19.50", "37", "19.87", "91.37"]
    # The stored opening states 92.37: the engine's sentence is added after it.
    assert report.opening[-1] == "该项目评价结果为91.37分，评价等级为“优”。"
    (seats_block,) = [
        b
        for b in report.blocks
        if isinstance(b, IndicatorBlock) and b.name == "坐席设置数量"
    ]
    assert (seats_block.reason, seats_block.score_text) == (
        ("坐席未全部启用。",),
        "依据评分细则，得2分",
    )


def test_without_stored_texts_the_sentences_are_generated_and_headings_left_out() -> (
    None
):
    Evaluation.objects.filter(code="panjin-2023").update(
        opening="", conclusion="", purpose="", scope="", principles="", methods=""
    )
    Evaluation.objects.filter(code="panjin-2023").update(basis=[], process="")
    report = _report("panjin-2023")
    assert report.opening == ("该项目评价结果为100分，评价等级为“优”。",)
    assert _headings(report, 2)[2:5] == [
        "（一）评价结果等级划分",
        "（二）评价指标体系",
        "（一）综合评价结论",
    ]
    assert (
        "经综合评价，该项目得分100分，评价等级为“优”。其中，决策6分、管理24分、"
        "产出40分、效益30分。具体情况见表2、图1。"
    ) in _text(report)


def test_the_budget_paragraph_and_tables_come_from_the_budget_year() -> None:
    tianjin = _text(_report("tianjin-2020"))
    assert (
        "本项目2020年预算资金11092.40万元，其中年初预算10200.59万元、追加预算913万元、"
        "调减预算21.19万元。截至2020年末，实际到位资金11092.40万元，资金到位率为100%；"
        "实际支出11076.79万元，预算执行率为99.86%。具体情况见表1-1、表1-2、表1-3。"
    ) in tianjin
    panjin = _report("panjin-2023")
    assert (
        "本项目2023年预算资金360万元。截至2023年末，实际到位资金360万元，资金到位率为"
        "100%；实际支出360万元，预算执行率为100%。具体情况见表1-1。"
    ) in _text(panjin)
    BudgetYear.objects.filter(project__code="panjin-2023").delete()
    assert "4.资金投入和使用情况" not in _headings(_report("panjin-2023"), 3)


def test_the_cost_table_and_trend_follow_the_cost_group_only_with_operating_data() -> (
    None
):
    report = _report("tianjin-2020")
    kinds = [
        b.number if isinstance(b, TableBlock | FigureBlock) else b.text
        for b in report.blocks
        if isinstance(b, TableBlock | FigureBlock)
        or (isinstance(b, Heading) and b.level == 3)
    ]
    at = kinds.index("产出成本")
    assert kinds[at : at + 4] == ["产出成本", "表3", "图2", "产出时效"]
    assert "表3" not in [
        b.number for b in _report("panjin-2023").blocks if isinstance(b, TableBlock)
    ]


def test_the_kind_sees_what_accounts_scoping_lets_the_user_see() -> None:
    doctype = document_type(DocumentKind.EVALUATION_REPORT)
    assert doctype is not None
    user = User.objects.create_user("pj", password="x" * 12)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code="pj-yshj"), role=Role.UNIT
    )
    assert doctype.visible(user, "panjin-2023")
    assert not doctype.visible(user, "tianjin-2020")
    assert not doctype.visible(AnonymousUser(), "panjin-2023")
    assert doctype.formats == (DocumentFormat.PDF,)
    with pytest.raises(Evaluation.DoesNotExist):
        doctype.build("no-such-evaluation")


def _run(*args: str) -> str:
    out = StringIO()
    call_command("render_report", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("suffix", "magic"), [(".pdf", b"%PDF-"), (".html", b"<!doctype html>")]
)
def test_render_report_writes_the_pdf_or_its_html_twin(
    tmp_path: Path, suffix: str, magic: bytes
) -> None:
    output = tmp_path / "out" / f"panjin{suffix}"
    printed = _run("panjin-2023", "-o", str(output))
    content = output.read_bytes()
    assert content.lstrip().startswith(magic)
    assert printed == f"{output}（{len(content):,} 字节）\n"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_render_report_writes_page_images_for_a_reviewer(tmp_path: Path) -> None:
    printed = _run(
        "panjin-2023", "-o", str(tmp_path / "pj.pdf"), "--pages", str(tmp_path / "png")
    )
    pages = sorted((tmp_path / "png").glob("*.png"))
    assert [p.name for p in pages] == [f"pj-{n}.png" for n in range(1, 9)]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
    assert printed.splitlines()[1:] == [str(p) for p in pages]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["no-such-evaluation", "-o", "x.pdf"],
            "没有代码为 no-such-evaluation 的绩效评价。",
        ),
        (["panjin-2023", "-o", "x.xlsx"], "输出文件须以 .pdf 或 .html 结尾。"),
        (
            ["panjin-2023", "-o", "x.html", "--pages", "png"],
            "--pages 只适用于 PDF 输出。",
        ),
    ],
)
def test_render_report_refuses_with_a_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)

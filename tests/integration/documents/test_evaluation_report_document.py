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
    TextBlock,
    evaluation_report_document,
)
from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_fingerprint
from evaluations.models import Evaluation, EvaluationIndicator, ReportSection
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
        elif isinstance(block, TextBlock):
            parts += ["".join(piece for piece, _ in line) for line in block.lines]
        elif isinstance(block, IndicatorBlock):
            parts += [block.values, *block.reason, block.score_text]
    return "".join(parts)


def test_the_sections_of_the_two_seed_reports() -> None:
    """Each seed prints its own headings, numbering and wording as printed."""
    assert _headings(_report("tianjin-2020"), 1) == [
        "一、项目基本情况",
        "二、绩效评价情况",
        "三、项目产出及绩效",
        "四、存在的主要问题",
        "五、相关建议",
    ]
    assert _headings(_report("panjin-2023"), 1) == [
        "一、基本情况",
        "二、绩效评价工作开展情况",
        "三、评价结论及分析",
        "四、意见建议",
    ]
    assert _headings(_report("panjin-2023"), 2)[2:9] == [
        "（一）评价目的",
        "（二）评价对象与范围",
        "（三）评价依据",
        "(四)绩效评价原则、评价方法、评价结果等级划分",
        "（五）评价指标体系",
        "（六）绩效评价工作过程",
        "（一）项目决策情况（6分）",
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
    # The sentences place the total and the 一级 scores from the engine, not as stored.
    assert "该项目评价结果为91.37分，评价等级为“优”。" in report.opening[0]
    assert "项目产出 37 分，项目效益 19.87 分" in _text(report)


def test_a_new_report_starts_from_the_template_without_generated_sentences() -> None:
    """Without sections the report is the framework's outline: its headings, the
    evaluator's own stored texts and the data blocks, but no sentence the application
    wrote (those are suggestions on the page)."""
    ReportSection.objects.filter(evaluation__code="panjin-2023").delete()
    report = _report("panjin-2023")
    assert _headings(report, 1) == [
        "一、项目基本情况",
        "二、绩效评价工作开展情况",
        "三、评价结论及分析",
        "四、相关建议",
    ]
    assert _headings(report, 2)[2:10] == [
        "（一）评价目的",
        "（二）评价对象与范围",
        "（三）评价依据",
        "（四）评价原则",
        "（五）评价方法",
        "（六）评价结果等级划分",
        "（七）评价指标体系",
        "（八）评价工作过程",
    ]
    text = _text(report)
    assert "经综合评价" not in text
    assert "评价总分为" not in text
    assert "委托单位" not in text
    evaluation = Evaluation.objects.get(code="panjin-2023")
    assert evaluation.conclusion.splitlines()[0] in text
    assert report.signature == ("盘锦市营商环境建设局", "2024年5月27日")
    leaves = [b.name for b in report.blocks if isinstance(b, IndicatorBlock)]
    assert len(leaves) == 16
    assert [b.number for b in report.blocks if isinstance(b, TableBlock)] == [
        "表1-1",
        "表2",
    ]


def test_the_budget_paragraph_and_tables_come_from_the_budget_year() -> None:
    tianjin = _text(_report("tianjin-2020"))
    assert (
        "本项目 2020 年财政预算资金 11092.4 万元，其中年初预算 10200.59 万元、追加预算 "
        "913 万元、调减预算 21.19 万元。截至 2020 年末，本项目实际到位财政资金 11092.4 "
        "万元，资金到位率为 100%"
    ) in tianjin
    BudgetYear.objects.filter(project__code="tianjin-2020").update(addition=Decimal(0))
    tianjin = _report("tianjin-2020")
    assert "本项目 2020 年财政预算资金 10179.4 万元" in _text(tianjin)
    assert "预算执行率为 108.82%" in _text(tianjin)
    assert _table(tianjin, "表1-1")[-1] == [
        "合计",
        "11092.40",
        "11092.40",
        "11076.79",
        "99.86%",
    ]
    # Without its budget year, Panjin's sentences leave the figures they cannot have.
    BudgetYear.objects.filter(project__code="panjin-2023").delete()
    assert "本项目年度预算执行资金为-万元，预算执行率-。" in _text(
        _report("panjin-2023")
    )


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
    at = kinds.index("3.产出成本")
    assert kinds[at : at + 3] == ["3.产出成本", "表3", "4.产出时效"]
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
    assert [p.name for p in pages] == [f"pj-{n}.png" for n in range(1, 8)]
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

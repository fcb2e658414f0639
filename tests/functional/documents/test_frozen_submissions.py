"""Frozen submissions (issue 10, Medium 5): a submitted evaluation and an approved target
form print the figures they were scored or approved with, whatever the live data becomes;
their pages say what has moved since (old → new)."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Membership, Role
from budgets.models import BudgetYear, Organisation, SubProject
from documents.evaluation_reports import EvaluationReport, TableBlock
from documents.kinds import Document, document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_html, document_render
from evaluations.models import Evaluation, EvaluationSnapshot, ReportSection
from evaluations.selectors import evaluation_score
from evaluations.services import evaluation_submit
from evaluations.workbooks import workbook_export
from kernel.grids import Grid
from targets.models import TargetForm, TargetFormStatus
from targets.services import target_form_approve, target_form_submit
from tests.functional.documents.readback import read_back, squash, visible_text

pytestmark = pytest.mark.django_db

PANJIN_TOTAL_AS_SUBMITTED = ["合计", "360", "360", "360", "100%"]
PANJIN_TOTAL_AFTER_THE_EDIT = ["合计", "720", "360", "1", "0.14%"]


def _report(code: str) -> Document:
    doctype = document_type(DocumentKind.EVALUATION_REPORT)
    assert doctype is not None
    return doctype.build(code)


def _table(document: Document, number: str) -> list[list[str]]:
    report = document.context["report"]
    assert isinstance(report, EvaluationReport)
    (table,) = [
        b for b in report.blocks if isinstance(b, TableBlock) and b.number == number
    ]
    return [[cell.text for cell in row.cells] for row in table.section.body]


def _submit_panjin(member: Callable[[str, str], Client]) -> Client:
    """pj-evaluator submits panjin-2023 from its page; the client stays logged in."""
    evaluator = member("pj-yshj", Role.EVALUATOR)
    response = evaluator.post(reverse("evaluations:submit", args=["panjin-2023"]))
    assert response.status_code == 302
    assert Evaluation.objects.get(code="panjin-2023").is_locked
    return evaluator


def _finance_edits_the_panjin_budget() -> None:
    """pj-finance raises the budget to 720 and enters 1 as spent, through the page."""
    finance = User.objects.create_user("pj-finance-test", password="x" * 12)
    Membership.objects.create(
        user=finance,
        organisation=Organisation.objects.get(code="pj-czj"),
        role=Role.FINANCE,
    )
    client = Client()
    client.force_login(finance)
    response = client.post(
        reverse("budgets:detail", args=["panjin-2023", 2023]),
        {
            "initial": "720",
            "addition": "0",
            "reduction": "0",
            "received": "360",
            "expenditure": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    year = BudgetYear.objects.get(project__code="panjin-2023", year=2023)
    assert (year.adjusted, year.expenditure) == (Decimal(720), Decimal(1))


def _place_table_1_1() -> None:
    """Seed 004 states its budget in words: its evaluator places 表1-1 as well."""
    section = ReportSection.objects.get(evaluation__code="panjin-2023", topic="budget")
    section.body += "\n[[表1-1]]"
    section.save()


def test_editing_the_budget_after_submission_leaves_table_1_1_as_submitted(
    member: Callable[[str, str], Client],
) -> None:
    _place_table_1_1()
    assert _table(_report("panjin-2023"), "表1-1") == [PANJIN_TOTAL_AS_SUBMITTED]
    _submit_panjin(member)
    _finance_edits_the_panjin_budget()

    document = _report("panjin-2023")
    assert _table(document, "表1-1") == [PANJIN_TOTAL_AS_SUBMITTED]
    html = squash(visible_text(document_html(document)))
    # the report's sentences place the figures as submitted too
    assert "项目经费预算360万元" in html
    assert "本项目年度预算执行资金为360万元，预算执行率100%" in html
    assert "".join(PANJIN_TOTAL_AS_SUBMITTED) in html
    assert "".join(PANJIN_TOTAL_AFTER_THE_EDIT) not in html
    doctype = document_type(DocumentKind.EVALUATION_REPORT)
    assert doctype is not None
    pdf = read_back(document_render(doctype, document, DocumentFormat.PDF))
    assert pdf.row_with(*PANJIN_TOTAL_AS_SUBMITTED) == PANJIN_TOTAL_AS_SUBMITTED
    assert "720" not in squash(pdf.text)


def test_the_evaluation_pages_say_what_moved_since_submission(
    member: Callable[[str, str], Client],
) -> None:
    client = _submit_panjin(member)
    before = client.get(reverse("evaluations:detail", args=["panjin-2023"]))
    assert "提交后" not in before.content.decode()  # nothing has moved yet

    _finance_edits_the_panjin_budget()
    for url in (
        reverse("evaluations:detail", args=["panjin-2023"]),
        reverse("documents:page", args=["evaluation_report", "panjin-2023"]),
    ):
        page = squash(visible_text(client.get(url).content.decode()))
        assert (
            "提交后预算数据已变动：年初预算（万元）360→720；调整后预算（万元）360→720；"
            "支出（万元）360→1；资金到位率100%→50%；预算执行率100%→0.14%。"
        ) in page
        assert "报告、导出文件和本页按提交时" in page


def test_the_evaluation_workbook_exports_the_budget_as_submitted(
    member: Callable[[str, str], Client],
) -> None:
    _submit_panjin(member)
    _finance_edits_the_panjin_budget()
    evaluation = Evaluation.objects.select_related("project").get(code="panjin-2023")
    sheet = load_workbook(io.BytesIO(workbook_export(evaluation)))["预算执行"]
    row = {sheet.cell(1, c).value: sheet.cell(2, c).value for c in range(1, 11)}
    assert (row["年初预算"], row["调整后预算"], row["支出"]) == (360, 360, 360)


def test_a_submitted_evaluation_keeps_its_scores_and_the_engine_result() -> None:
    evaluation = Evaluation.objects.get(code="panjin-2023")
    user = User.objects.create_user("pj-submitter", password="x" * 12)
    live = evaluation_submit(evaluation=evaluation, user=user)
    snapshot = EvaluationSnapshot.objects.get(evaluation=evaluation)
    assert snapshot.data["result"]["total"] == "100.00"
    assert snapshot.data["budget"]["budget_year"]["initial"] == "360.00"
    evaluation.refresh_from_db()
    frozen = evaluation_score(evaluation)
    assert frozen.result == live.result
    # A stored score changed behind the services' back (the admin) does not reach the
    # report, which prints the submitted one.
    leaf = next(i for i in frozen.indicators if i.final_score == Decimal(10))
    type(leaf).objects.filter(pk=leaf.pk).update(final_score=Decimal(5))
    again = evaluation_score(evaluation)
    assert again.result.total == Decimal(100)
    assert again.result_for(leaf).final_score == Decimal(10)  # type: ignore[union-attr]
    assert evaluation_score(evaluation, as_submitted=False).result.total == Decimal(95)


# --- target forms -------------------------------------------------------------------


def _grid(code: str) -> Grid:
    doctype = document_type(DocumentKind.TARGET_FORM)
    assert doctype is not None
    grid = doctype.build(code).context["grid"]
    assert isinstance(grid, Grid)
    return grid


def _row_texts(grid: Grid) -> list[list[str]]:
    return [
        [cell.text if cell.amount is None else str(cell.amount) for cell in row.cells]
        for section in grid.sections
        for row in (*section.head, *section.body)
    ]


SUB_PROJECT = "应交税费"


def test_an_approved_target_form_and_its_export_keep_the_budget_they_were_approved_with(
    admin_client: Client,
) -> None:
    form = TargetForm.objects.get(code="shanghai-2019")
    reviewer = User.objects.create_user("sh-reviewer", password="x" * 12)
    target_form_submit(form=form, user=reviewer)
    target_form_approve(form=form, user=reviewer)
    assert form.status == TargetFormStatus.APPROVED
    assert [SUB_PROJECT, "8940000.00"] in _row_texts(_grid("shanghai-2019"))

    # An administrator corrects the sub-project's amount and last year's budget.
    SubProject.objects.filter(name=SUB_PROJECT).update(amount=Decimal("9940000"))
    BudgetYear.objects.filter(project__code="shanghai-2019", year=2019).update(
        previous_budget=Decimal("140000000")
    )

    grid = _grid("shanghai-2019")
    assert [SUB_PROJECT, "8940000.00"] in _row_texts(grid)
    assert [SUB_PROJECT, "9940000.00"] not in _row_texts(grid)
    doctype = document_type(DocumentKind.TARGET_FORM)
    assert doctype is not None
    document = doctype.build("shanghai-2019")
    workbook = load_workbook(
        io.BytesIO(document_render(doctype, document, DocumentFormat.XLSX))
    )
    rendered = workbook.active
    assert rendered is not None
    values = [cell.value for row in rendered.iter_rows() for cell in row]
    assert 8940000 in values and 9940000 not in values
    assert 136990000 in values and 140000000 not in values
    exported = admin_client.get(reverse("targets:export", args=["shanghai-2019"]))
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    exported_values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert 8940000 in exported_values and 9940000 not in exported_values

    for url in (
        reverse("targets:detail", args=["shanghai-2019"]),
        reverse("documents:page", args=["target_form", "shanghai-2019"]),
    ):
        page = squash(visible_text(admin_client.get(url).content.decode()))
        assert "审核通过后预算数据已变动：" in page
        assert "上年预算（元）136990000→140000000" in page
        assert f"子项目“{SUB_PROJECT}”（元）8940000→9940000" in page


def test_a_form_not_yet_approved_prints_the_live_budget(admin_client: Client) -> None:
    SubProject.objects.filter(name=SUB_PROJECT).update(amount=Decimal("9940000"))
    assert [SUB_PROJECT, "9940000.00"] in _row_texts(_grid("shanghai-2019"))
    page = admin_client.get(reverse("targets:detail", args=["shanghai-2019"]))
    assert "预算数据已变动" not in page.content.decode()


def test_submissions_from_before_snapshots_are_frozen_by_the_command() -> None:
    """An evaluation submitted (and a form approved) without a snapshot — before this
    change, or loaded so by the seeds — gets one from ``take_snapshots``."""
    _place_table_1_1()
    Evaluation.objects.filter(code="panjin-2023").update(
        status=Evaluation.Status.SUBMITTED
    )
    TargetForm.objects.filter(code="shanghai-2019").update(
        status=TargetFormStatus.APPROVED
    )
    out = io.StringIO()
    call_command("take_snapshots", "--dry-run", stdout=out)
    assert (
        out.getvalue().splitlines()[-1] == "将生成 1 项绩效评价、1 张绩效目标表的快照。"
    )
    assert not EvaluationSnapshot.objects.exists()

    out = io.StringIO()
    call_command("take_snapshots", stdout=out)
    assert out.getvalue().splitlines() == [
        "已生成快照：绩效评价 panjin-2023",
        "已生成快照：绩效目标表 shanghai-2019",
        "已生成 1 项绩效评价、1 张绩效目标表的快照。",
    ]
    _finance_edits_the_panjin_budget()
    SubProject.objects.filter(name=SUB_PROJECT).update(amount=Decimal("9940000"))
    assert _table(_report("panjin-2023"), "表1-1") == [PANJIN_TOTAL_AS_SUBMITTED]
    assert [SUB_PROJECT, "8940000.00"] in _row_texts(_grid("shanghai-2019"))
    call_command("take_snapshots", stdout=io.StringIO())  # those kept stay as they are
    assert _table(_report("panjin-2023"), "表1-1") == [PANJIN_TOTAL_AS_SUBMITTED]

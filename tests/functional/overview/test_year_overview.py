"""The finance bureau's year at a glance (/overview/, issue 15 §5): every visible project
active in the year with the state of each stage, filtered, sorted, exported as xlsx, in a
number of queries that does not grow with the projects."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from budgets.models import Organisation, Project
from budgets.services import BudgetLineData, budget_year_create, project_create
from core.access import Role
from evaluations.models import Evaluation, EvaluationKind, ReviewStage
from rectifications.models import RectificationItem, RectificationStatus
from results_use.models import BudgetDecision, Decision
from targets.models import (
    MonitoringLight,
    MonitoringLine,
    MonitoringReport,
    MonitoringStatus,
    TargetForm,
)
from targets.services import (
    target_form_approve,
    target_form_create,
    target_form_submit,
    target_indicator_add,
)
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reviewer() -> User:
    return User.objects.get_or_create(username="overview-reviewer")[0]


def make_project(number: int, *, year: int = 2022, approved: bool = False) -> Project:
    """A Tianjin project with its budget year and a one-indicator target form of
    ``year``; the form approved when asked."""
    project = project_create(
        code=f"ov-{number}",
        name=f"热线项目{number:03d}",
        department=Organisation.objects.get(code="tj-zwfw"),
        unit=Organisation.objects.get(code="tj-8890"),
    )
    budget_year_create(
        project=project,
        year=year,
        initial=Decimal(100),
        expenditure=Decimal(50),
        lines=[BudgetLineData("商品和服务支出", Decimal(100), None, Decimal(50))],
    )
    form = target_form_create(
        code=f"ov-{number}-{year}", layout="project", year=year, project=project
    )
    root = target_indicator_add(form=form, level="level1", name="产出指标")
    branch = target_indicator_add(
        form=form, level="level2", name="数量指标", parent=root
    )
    target_indicator_add(
        form=form, level="level3", name="受理量", parent=branch, value="100 万件"
    )
    if approved:
        target_form_submit(form=form, user=_reviewer())
        target_form_approve(form=form, user=_reviewer())
    return project


def evaluate(
    project: Project,
    kind: str,
    *,
    year: int = 2022,
    total: str | None = None,
    grade: str = "",
    stage: str = ReviewStage.ACCEPTED,
) -> Evaluation:
    """An evaluation of the project-year: submitted with its published total when
    ``total`` is given (a self-evaluation at review ``stage``), else a draft."""
    return Evaluation.objects.create(
        review_stage=stage if total and kind == EvaluationKind.SELF else "",
        code=f"{project.code}-{kind}-{year}",
        kind=kind,
        project=project,
        year=year,
        title=f"{project.name}{year}年度绩效评价",
        status=Evaluation.Status.SUBMITTED if total else Evaluation.Status.DRAFT,
        published_total=Decimal(total) if total else None,
        published_grade=grade,
    )


def monitor(project: Project, lights: list[str], *, status: str) -> MonitoringReport:
    form = TargetForm.objects.get(project=project, year=2022)
    report = MonitoringReport.objects.create(
        code=f"{form.code}-m6", form=form, months=6, status=status
    )
    for position, light in enumerate(lights, 1):
        MonitoringLine.objects.create(
            report=report,
            position=position,
            kind=MonitoringLine.Kind.INDICATOR,
            name=f"指标{position}",
            light=light,
        )
    return report


def finance() -> Client:
    """A client logged in as a Tianjin finance bureau user (the same user each call)."""
    user = User.objects.filter(username="tj-finance-ov").first()
    if user is None:
        return log_in_as("tj-finance-ov", "tj-czj", Role.FINANCE)
    client = Client()
    client.force_login(user)
    return client


class _Cells(HTMLParser):
    """The text of each ``td`` of ``table#overview``'s body, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_table = self.in_body = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", "overview") in attrs:
            self.in_table = True
        elif self.in_table and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.in_table = self.in_body = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def rows(client: Client, query: str = "year=2022") -> list[list[str]]:
    """The page's table as text, cell by cell (whitespace collapsed); a row saying
    that nothing matches is no row."""
    response = client.get(f"/overview/?{query}")
    assert response.status_code == 200
    parser = _Cells()
    parser.feed(response.content.decode())
    return [row for row in parser.rows if len(row) > 1]


def test_every_stage_of_the_year_is_shown_as_stored() -> None:
    approved = make_project(1, approved=True)
    evaluate(approved, EvaluationKind.SELF, total="88.50", grade="良")
    evaluate(approved, EvaluationKind.THIRD_PARTY, total="92.37", grade="优")
    monitor(
        approved,
        [MonitoringLight.GREEN, MonitoringLight.RED, MonitoringLight.YELLOW],
        status=MonitoringStatus.SUBMITTED,
    )
    draft = make_project(2)
    evaluate(draft, EvaluationKind.SELF)
    assert rows(finance()) == [
        [
            "热线项目001",
            "天津市便民专线服务中心",
            "年度预算",
            "已批复",
            "1–6月 · 已提交 严重滞后 （红灯 1，黄灯 1）",
            "已审核通过 88.50 良",
            "第三方重点评价 · 已提交 92.37 优",
            "无",
            "未记录决定",
        ],
        [
            "热线项目002",
            "天津市便民专线服务中心",
            "年度预算",
            "草稿",
            "未填报",
            "草稿",
            "无",
            "无",
            "未记录决定",
        ],
    ]


def test_a_seed_evaluation_not_yet_submitted_shows_its_source_report_total_apart() -> (
    None
):
    assert rows(finance(), "year=2020") == [
        [
            "天津市便民专线服务中心运行经费",
            "天津市便民专线服务中心",
            "年度预算",
            "草稿",
            "未填报",
            "未开展",
            "第三方重点评价 · 草稿 报告所载：92.37 优",
            "无",
            "未记录决定",
        ]
    ]


def test_only_the_projects_the_user_sees_and_only_those_active_in_the_year() -> None:
    make_project(1)
    # Tianjin's finance bureau: its own 2022 project, not Panjin's 2023 one, and the
    # Tianjin 2020 project does not appear in 2022
    assert [r[0] for r in rows(finance())] == ["热线项目001"]
    assert rows(finance(), "year=2023") == []
    panjin = log_in_as("pj-finance-ov", "pj-czj", Role.FINANCE)
    assert [r[0] for r in rows(panjin, "year=2023")] == ["12345热线平台运营及人员外包"]
    assert rows(panjin, "year=2022") == []
    # the export is scoped alike: Tianjin's bureau gets no row of Panjin's 2023
    sheet = load_workbook(
        io.BytesIO(finance().get("/overview/export/?year=2023").content)
    ).active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == [
        "2023 年没有符合条件的项目"
    ]
    # an evaluator reaches no project through organisations
    evaluator = log_in_as("ev-ov", "tj-evaluator", Role.EVALUATOR)
    assert b'id="no-years"' in evaluator.get("/overview/").content


def test_the_default_year_is_the_latest_with_a_visible_project() -> None:
    make_project(1, year=2024)
    response = finance().get("/overview/")
    assert response.context["year"] == 2024
    assert response.context["years"] == [2024, 2020]


def test_filters_by_stage_and_search() -> None:
    first = make_project(1, approved=True)
    evaluate(first, EvaluationKind.THIRD_PARTY, total="92.37", grade="优")
    monitor(first, [MonitoringLight.RED], status=MonitoringStatus.SUBMITTED)
    evaluate(first, EvaluationKind.SELF)
    second = make_project(2, approved=True)
    evaluate(second, EvaluationKind.THIRD_PARTY, total="85.00", grade="良")
    evaluate(
        second,
        EvaluationKind.SELF,
        total="90.00",
        grade="优",
        stage=ReviewStage.FINANCE,
    )
    make_project(3)
    client = finance()

    def names(query: str) -> list[str]:
        return [r[0] for r in rows(client, f"year=2022&{query}")]

    assert names("target=approved") == ["热线项目001", "热线项目002"]
    assert names("target=draft") == ["热线项目003"]
    assert names("grade=优") == ["热线项目001"]
    assert names("grade=none") == ["热线项目003"]
    assert names("light=red") == ["热线项目001"]
    assert names("monitoring=none") == ["热线项目002", "热线项目003"]
    # the worst light of the latest report: 003's half year is yellow (its 3-month
    # report's red line is older), 002's green
    monitor(second, [MonitoringLight.GREEN], status=MonitoringStatus.SUBMITTED)
    third = Project.objects.get(code="ov-3")
    early = monitor(third, [MonitoringLight.RED], status=MonitoringStatus.ACCEPTED)
    early.months, early.code = 3, "ov-3-2022-m3"
    early.save()
    monitor(
        third,
        [MonitoringLight.GREEN, MonitoringLight.YELLOW],
        status=MonitoringStatus.DRAFT,
    )
    assert names("light=yellow") == ["热线项目003"]
    assert names("light=green") == ["热线项目002"]
    assert names("light=red") == ["热线项目001"]
    assert names("light=none") == []
    assert names("monitoring=draft") == ["热线项目003"]
    assert names("sort=monitoring") == ["热线项目001", "热线项目003", "热线项目002"]
    assert names("self=none") == ["热线项目003"]
    assert names("self=draft") == ["热线项目001"]
    assert names("self=finance") == ["热线项目002"]
    assert names("self=accepted") == []
    assert names("q=项目002") == ["热线项目002"]
    # what the URL cannot mean is ignored, as on every list
    assert names("target=bogus&grade=甲&light=purple&sort=evil") == [
        "热线项目001",
        "热线项目002",
        "热线项目003",
    ]


def test_sorts_by_scores_highest_first_and_unscored_last_both_ways() -> None:
    for number, total in ((1, "85.00"), (2, None), (3, "92.37")):
        project = make_project(number)
        evaluate(
            project,
            EvaluationKind.THIRD_PARTY,
            total=total,
            grade="" if total is None else "优",
        )
    client = finance()
    assert [r[0] for r in rows(client, "year=2022&sort=external")] == [
        "热线项目003",
        "热线项目001",
        "热线项目002",
    ]
    assert [r[0] for r in rows(client, "year=2022&sort=-external")] == [
        "热线项目001",
        "热线项目003",
        "热线项目002",
    ]
    assert [r[0] for r in rows(client, "year=2022&sort=-project")] == [
        "热线项目003",
        "热线项目002",
        "热线项目001",
    ]


def test_the_export_holds_every_filtered_row_not_one_page() -> None:
    for number in range(1, 56):
        make_project(number, approved=number % 5 == 0)
    evaluate(
        Project.objects.get(code="ov-5"),
        EvaluationKind.THIRD_PARTY,
        total="=1+1" and "91.00",
        grade="优",
    )
    response = finance().get(
        "/overview/export/?year=2022&target=approved&sort=-project"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "2022.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "2022 年度预算绩效管理总览"
    assert values[1] == (
        "项目名称",
        "项目代码",
        "实施单位",
        "主管部门",
        "预算",
        "绩效目标",
        "运行监控",
        "监控结果",
        "绩效自评",
        "自评得分",
        "重点评价",
        "评价状态",
        "评价得分",
        "评价等级",
        "报告所载得分",
        "报告所载等级",
        "整改事项",
        "未完成",
        "逾期",
        "结果应用（下年度预算）",
    )
    assert [row[1] for row in values[2:]] == [f"ov-{n}" for n in range(55, 0, -5)]
    assert values[-1] == (
        "热线项目005",
        "ov-5",
        "天津市便民专线服务中心",
        "天津市人民政府政务服务(营商环境)办公室",
        "有",
        "已批复",
        "未填报",
        None,
        "未开展",
        None,
        "第三方重点评价",
        "已提交",
        91,
        "优",
        None,
        None,
        "无",
        0,
        0,
        "未记录决定",
    )
    assert sheet.cell(len(values), 13).number_format == "0.00"
    # the page itself shows 50 of the 55
    page = finance().get("/overview/?year=2022")
    assert len(page.context["rows"]) == 50
    assert page.context["page"].paginator.count == 55


def rectify(
    project: Project, status: str, deadline: date, *, verified: bool = False
) -> RectificationItem:
    return RectificationItem.objects.create(
        project=project,
        year=2022,
        source_text="2022年度绩效评价 问题1",
        title="预算执行偏慢",
        responsible=project.unit,
        measures="按月调度支出进度",
        deadline=deadline,
        status=status,
        verified_at=timezone.now() if verified else None,
    )


def test_rectifications_by_where_they_stand_and_the_decision_on_next_years_budget() -> (
    None
):
    today = timezone.localdate()
    project = make_project(1, approved=True)
    evaluation = evaluate(
        project, EvaluationKind.THIRD_PARTY, total="85.00", grade="良"
    )
    rectify(project, RectificationStatus.OPEN, today - timedelta(days=1))
    rectify(project, RectificationStatus.IN_PROGRESS, today + timedelta(days=30))
    rectify(project, RectificationStatus.DONE, today - timedelta(days=5))
    rectify(project, RectificationStatus.DONE, today - timedelta(days=9), verified=True)
    next_year = budget_year_create(
        project=project,
        year=2023,
        initial=Decimal(100),
        lines=[BudgetLineData("商品和服务支出", Decimal(100), None, None)],
    )
    BudgetDecision.objects.create(
        budget_year=next_year,
        evaluation=evaluation,
        total=Decimal("85.00"),
        grade="良",
        recommendation="维持预算规模",
        decision=Decision.FOLLOW,
        decided_by=_reviewer(),
        decided_at=timezone.now(),
    )
    other = make_project(2)
    rectify(other, RectificationStatus.DONE, today, verified=True)
    make_project(3)
    client = finance()
    table = {row[0]: row[7:] for row in rows(client)}
    assert table == {
        "热线项目001": [
            "共 4 项 未完成 2 逾期 1 待销号 1 已销号 1",
            "按建议执行 依据 2022 年评价 85.00 良：维持预算规模",
        ],
        "热线项目002": ["共 1 项 已销号 1", "未记录决定"],
        "热线项目003": ["无", "未记录决定"],
    }

    def names(query: str) -> list[str]:
        return [r[0] for r in rows(client, f"year=2022&{query}")]

    assert names("rectifications=open") == ["热线项目001"]
    assert names("rectifications=overdue") == ["热线项目001"]
    assert names("rectifications=unverified") == ["热线项目001"]
    assert names("rectifications=none") == ["热线项目003"]
    assert names("decision=recorded") == ["热线项目001"]
    assert names("decision=none") == ["热线项目002", "热线项目003"]
    assert names("sort=rectifications") == ["热线项目001", "热线项目002", "热线项目003"]
    # 2023 is active too now (a budget year): the decision belongs to 2022's row
    assert [r[0] for r in rows(client, "year=2023")] == ["热线项目001"]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _stages(number: int) -> None:
    project = make_project(number, approved=number % 2 == 0)
    evaluate(project, EvaluationKind.SELF, total="80.00", grade="良")
    evaluation = evaluate(
        project, EvaluationKind.THIRD_PARTY, total="90.00", grade="优"
    )
    monitor(project, [MonitoringLight.GREEN], status=MonitoringStatus.SUBMITTED)
    rectify(project, RectificationStatus.OPEN, timezone.localdate())
    BudgetDecision.objects.create(
        budget_year=budget_year_create(project=project, year=2023, initial=Decimal(9)),
        evaluation=evaluation,
        total=Decimal("90.00"),
        grade="优",
        recommendation="可适当增加预算",
        decision=Decision.FOLLOW,
        decided_by=_reviewer(),
        decided_at=timezone.now(),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/overview/?year=2022",
        "/overview/?year=2022&sort=external&grade=优",
        "/overview/?year=2022&sort=-monitoring&light=green",
        "/overview/?year=2022&sort=rectifications&rectifications=open&decision=recorded",
        "/overview/export/?year=2022",
    ],
)
def test_the_number_of_queries_is_the_same_at_3_and_30_projects(url: str) -> None:
    client = finance()
    for number in range(3):
        _stages(number)
    client.get(url)  # the session and the translations, read once
    at_3 = _queries(client, url)
    for number in range(3, 30):
        _stages(number)
    at_30 = _queries(client, url)
    assert at_3 == at_30
    assert len(rows(client)) == 30

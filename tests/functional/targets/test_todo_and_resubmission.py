"""待办 for every role (core/inbox.py and each app's inbox.py), the changes since a return
(targets/resubmission.py) and approval with its confirmation, on the seed data: exact
lists, exact changes, and nobody sees another city's work."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from budgets.models import BudgetAdjustment, BudgetYear
from budgets.services import budget_adjustment_request
from operations.models import OperatingDataUpload
from targets.models import TargetForm, TargetFormStatus
from targets.resubmission import changes_since_return
from targets.services import (
    CommentData,
    target_adjustment_request,
    target_form_approve,
    target_form_return,
    target_form_submit,
    target_indicator_add,
    target_indicator_remove,
    target_indicator_update,
)
from tests.personas import log_in_as, member

pytestmark = pytest.mark.django_db


def _home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _todo(client: Client) -> dict[str, list[str]]:
    """The home page's 待办 lists: key → the items' titles and details."""
    response = client.get("/")
    found: dict[str, list[str]] = {}
    for entry in response.context["todo"]:
        found[entry.key] = [
            f"{task.title}｜{task.detail}｜{task.url}" for task in entry.tasks
        ]
    return found


def _nav_count(client: Client) -> str:
    content = _home(client)
    if 'id="nav-todo-count"' not in content:
        return ""
    start = content.index('id="nav-todo-count"')
    return content[content.index(">", start) + 1 : content.index("</span>", start)]


@pytest.fixture
def tianjin() -> TargetForm:
    return TargetForm.objects.get(code="tianjin-2020")


@pytest.fixture
def unit_user() -> User:
    return member("tj-centre-d", "tj-8890", Role.UNIT)


def test_finance_sees_the_submitted_form_and_the_count_in_the_navigation(
    tianjin: TargetForm, unit_user: User
) -> None:
    finance = log_in_as("tj-fin-d", "tj-czj", Role.FINANCE)
    assert _todo(finance) == {}
    assert _nav_count(finance) == ""
    assert "暂无待办事项" in _home(finance)
    target_form_submit(form=tianjin, user=unit_user)
    assert _todo(finance) == {
        "targets-review": [
            "天津市便民专线服务中心运行经费 2020｜已提交，待审核｜/targets/tianjin-2020/"
        ]
    }
    assert _nav_count(finance) == "1"
    # another city's bureau sees nothing of it
    panjin = log_in_as("pj-fin-d", "pj-czj", Role.FINANCE)
    assert _todo(panjin) == {}
    assert _nav_count(panjin) == ""


def test_a_resubmitted_form_links_to_its_changes(
    tianjin: TargetForm, unit_user: User
) -> None:
    finance_user = member("tj-fin-d", "tj-czj", Role.FINANCE)
    target_form_submit(form=tianjin, user=unit_user)
    target_form_return(
        form=tianjin, user=finance_user, comments=[CommentData(text="请修改。")]
    )
    target_form_submit(form=tianjin, user=unit_user)
    finance = Client()
    finance.force_login(finance_user)
    assert _todo(finance)["targets-review"] == [
        "天津市便民专线服务中心运行经费 2020｜重新提交（第 2 次提交），查看修改之处"
        "｜/targets/tianjin-2020/changes/"
    ]


def test_the_unit_and_its_department_see_a_returned_and_a_submitted_form(
    tianjin: TargetForm, unit_user: User
) -> None:
    unit = Client()
    unit.force_login(unit_user)
    department = log_in_as("tj-dept-d", "tj-zwfw", Role.DEPARTMENT)
    assert _todo(unit) == {}
    assert _todo(department) == {}
    target_form_submit(form=tianjin, user=unit_user)
    # the department is told where its unit's form stands, without a count to act on
    assert _todo(department) == {
        "targets-units-submitted": [
            "天津市便民专线服务中心运行经费 2020｜天津市便民专线服务中心已提交，"
            "正由财政部门审核｜/targets/tianjin-2020/"
        ]
    }
    assert _nav_count(department) == ""
    target_form_return(
        form=tianjin,
        user=member("tj-fin-d", "tj-czj", Role.FINANCE),
        comments=[CommentData(text="请补充办结率指标。")],
    )
    assert _todo(unit) == {
        "targets-returned": [
            "天津市便民专线服务中心运行经费 2020｜已退回，请按审核意见修改后重新提交"
            "｜/targets/tianjin-2020/"
        ]
    }
    assert _nav_count(unit) == "1"
    assert _todo(department) == {}
    # another unit sees nothing of it
    other = log_in_as("sz-centre-d", "sz-bmfw", Role.UNIT)
    assert _todo(other) == {}


def test_finance_decides_target_and_budget_adjustments_from_its_list(
    tianjin: TargetForm, unit_user: User
) -> None:
    finance_user = member("tj-fin-d", "tj-czj", Role.FINANCE)
    target_form_submit(form=tianjin, user=unit_user)
    target_form_approve(form=tianjin, user=finance_user)
    answer = tianjin.indicators.get(name="接通率")
    target_adjustment_request(
        indicator=answer, user=unit_user, value="≥95%", reason="按国家标准调整。"
    )
    line = BudgetYear.objects.get(project__code="tianjin-2020", year=2020).lines.first()
    assert line is not None
    budget_adjustment_request(
        line=line, user=unit_user, amount=Decimal("12.50"), reason="新增培训。"
    )
    finance = Client()
    finance.force_login(finance_user)
    todo = _todo(finance)
    assert todo["targets-adjustments"] == [
        "天津市便民专线服务中心运行经费 2020 · 接通率｜大于 90% → ≥95%"
        "｜/targets/tianjin-2020/adjustments/"
    ]
    (budget,) = todo["budgets-adjustments"]
    assert budget.startswith("天津市便民专线服务中心运行经费 2020 · ")
    assert budget.endswith("｜+12.50 万元：新增培训。｜/budgets/tianjin-2020/2020/")
    assert _nav_count(finance) == "2"
    assert BudgetAdjustment.objects.filter(status="pending").count() == 1
    assert _todo(log_in_as("pj-fin-d", "pj-czj", Role.FINANCE)) == {}


def test_an_upload_waiting_for_confirmation_is_the_centres_task() -> None:
    unit = log_in_as("tj-centre-d", "tj-8890", Role.UNIT)
    upload = OperatingDataUpload.objects.filter(organisation__code="tj-8890").first()
    assert upload is not None
    upload.status = OperatingDataUpload.Status.PENDING
    upload.save(update_fields=["status"])
    assert _todo(unit) == {
        "operations-uploads": [
            f"{upload.original_name}｜已预览、尚未导入：请确认或放弃"
            f"｜/operations/uploads/{upload.pk}/"
        ]
    }
    # the finance bureau and other centres report no centre's data
    assert _todo(log_in_as("tj-fin-d", "tj-czj", Role.FINANCE)) == {}
    assert _todo(log_in_as("sz-centre-d", "sz-bmfw", Role.UNIT)) == {}


def test_evaluators_and_experts_see_what_is_theirs() -> None:
    evaluator = log_in_as("tj-eval-d", "tj-evaluator", Role.EVALUATOR)
    assert [
        line.split("｜")[1:] for line in _todo(evaluator)["evaluations-to-score"]
    ] == [["尚未提交：请评分并提交", "/evaluations/tianjin-2020/"]]
    assert "evaluations-to-score" not in _todo(
        log_in_as("pj-fin-d", "pj-czj", Role.FINANCE)
    )


def _return_and_change(form: TargetForm, unit_user: User) -> None:
    finance_user = member("tj-fin-d", "tj-czj", Role.FINANCE)
    target_form_submit(form=form, user=unit_user)
    answer = form.indicators.get(name="接通率")
    target_form_return(
        form=form,
        user=finance_user,
        comments=[
            CommentData(text="接通率目标应不低于 95%。", indicator=answer),
            CommentData(
                text="请说明培训人次。",
                indicator=form.indicators.get(name="开展培训人次"),
            ),
            CommentData(text="请补充办结率指标。"),
        ],
    )
    form.refresh_from_db()
    answer.refresh_from_db()
    target_indicator_update(
        indicator=answer,
        name="接通率",
        value="≥95%",
        library_indicator=answer.library_indicator,
    )
    target_indicator_add(
        form=form,
        level="level3",
        name="办结率",
        parent=form.indicators.get(name="社会效益指标"),
        value="≥90%",
    )
    target_indicator_remove(indicator=form.indicators.get(name="群众咨询成本"))
    form.funds_total = Decimal("10010.00")
    form.save(update_fields=["funds_total"])


def test_the_changes_since_the_return_indicator_by_indicator(
    tianjin: TargetForm, unit_user: User
) -> None:
    _return_and_change(tianjin, unit_user)
    changes = changes_since_return(tianjin)
    assert changes is not None
    assert changes.header == (("项目资金", "10000.00", "10010.00"),)
    assert [(c.kind, c.path, c.fields, c.comments) for c in changes.indicators] == [
        (
            "unanswered",
            "产出指标 / 数量指标 / 开展培训人次",
            (),
            ("请说明培训人次。",),
        ),
        (
            "changed",
            "产出指标 / 质量指标 / 接通率",
            (("指标值", "大于 90%", "≥95%"),),
            ("接通率目标应不低于 95%。",),
        ),
        (
            "added",
            "效益指标 / 社会效益指标 / 办结率",
            (("指标值", "", "≥90%"),),
            (),
        ),
        (
            "removed",
            "效益指标 / 经济效益指标 / 群众咨询成本",
            (("指标值", "显著降低", ""), ("指标库指标", "群众咨询成本", "")),
            (),
        ),
    ]
    assert changes.general_comments == ("请补充办结率指标。",)
    assert changes.count == 4


def test_the_changes_page_and_the_reviewers_summary(
    tianjin: TargetForm, unit_user: User
) -> None:
    _return_and_change(tianjin, unit_user)
    target_form_submit(form=tianjin, user=unit_user)
    finance = Client()
    finance.force_login(User.objects.get(username="tj-fin-d"))
    page = finance.get("/targets/tianjin-2020/changes/").content.decode()
    assert "与第 1 次提交退回时的版本（" in page
    assert "大于 90%" in page and "≥95%" in page
    assert "接通率目标应不低于 95%。" in page
    detail = finance.get("/targets/tianjin-2020/").content.decode()
    assert "自退回以来 4 处修改" in detail
    # the approval sits after the flags and the grid
    assert detail.index('id="flags"') < detail.index('id="approve-form"')
    assert detail.index('id="target-grid"') < detail.index('id="approve-form"')
    # another city's bureau cannot read the changes
    other = log_in_as("pj-fin-d", "pj-czj", Role.FINANCE)
    assert other.get("/targets/tianjin-2020/changes/").status_code == 404


def test_approval_needs_the_confirmation_and_the_submission_seen(
    tianjin: TargetForm, unit_user: User
) -> None:
    finance_user = member("tj-fin-d", "tj-czj", Role.FINANCE)
    target_form_submit(form=tianjin, user=unit_user)
    finance = Client()
    finance.force_login(finance_user)
    response = finance.post(
        "/targets/tianjin-2020/approve/", {"round": "1"}, follow=True
    )
    assert "请勾选确认后再批复：批复后目标值将锁定。" in response.content.decode()
    tianjin.refresh_from_db()
    assert tianjin.status == TargetFormStatus.SUBMITTED
    # a page opened before a return and a resubmission approves nothing
    target_form_return(
        form=tianjin, user=finance_user, comments=[CommentData(text="请修改。")]
    )
    target_form_submit(form=tianjin, user=unit_user)
    response = finance.post(
        "/targets/tianjin-2020/approve/", {"round": "1", "confirm": "on"}, follow=True
    )
    assert "本表在此页面打开后已重新提交" in response.content.decode()
    tianjin.refresh_from_db()
    assert tianjin.status == TargetFormStatus.SUBMITTED
    finance.post("/targets/tianjin-2020/approve/", {"round": "2", "confirm": "on"})
    tianjin.refresh_from_db()
    assert tianjin.status == TargetFormStatus.APPROVED


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _submitted_forms(start: int, stop: int) -> None:
    project = TargetForm.objects.get(code="tianjin-2020").project
    for number in range(start, stop):
        TargetForm.objects.create(
            code=f"todo-{number}",
            layout="project",
            year=2100 + number,
            project=project,
            status=TargetFormStatus.SUBMITTED,
            submissions=1,
            submitted_at=timezone.now() - timedelta(minutes=number),
        )


def test_the_todo_page_does_not_query_per_row() -> None:
    finance = log_in_as("tj-fin-d", "tj-czj", Role.FINANCE)
    _submitted_forms(0, 5)
    few = _queries(finance, "/")
    _submitted_forms(5, 50)
    assert len(_todo(finance)["targets-review"]) == 10
    assert "还有 40 项" in _home(finance)
    assert _nav_count(finance) == "50"
    assert _queries(finance, "/") == few


def test_the_changes_page_does_not_query_per_row(
    tianjin: TargetForm, unit_user: User
) -> None:
    finance_user = member("tj-fin-d", "tj-czj", Role.FINANCE)
    target_form_submit(form=tianjin, user=unit_user)
    target_form_return(
        form=tianjin, user=finance_user, comments=[CommentData(text="请修改。")]
    )
    tianjin.refresh_from_db()
    branch = tianjin.indicators.get(name="质量指标")
    finance = Client()
    finance.force_login(finance_user)

    def add(start: int, stop: int) -> None:
        for number in range(start, stop):
            target_indicator_add(
                form=tianjin,
                level="level3",
                name=f"新增指标{number}",
                parent=branch,
                value=f"≥{number}%",
            )

    add(0, 5)
    few = _queries(finance, "/targets/tianjin-2020/changes/")
    add(5, 50)
    page = finance.get("/targets/tianjin-2020/changes/").content.decode()
    assert page.count('data-kind="added"') == 50
    assert _queries(finance, "/targets/tianjin-2020/changes/") == few

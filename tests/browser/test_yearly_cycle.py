"""Acceptance (issue 15): the whole yearly cycle of one project — the Tianjin hotline
centre's 2020 运行经费 — walked in the browser as the unit (tj-centre), its 主管部门
(tj-department) and the finance bureau (tj-finance):

1. 目标申报 → 目标审核: the unit submits the target form, the bureau approves it;
2. 运行监控: the unit starts the half-year report, is refused a red line without its cause
   and 纠偏措施 (what it typed kept), gives them and submits; the bureau accepts it;
3. 绩效自评: the unit starts the self-evaluation from the approved form, fills it in and
   submits it; the department returns it with a comment; the unit changes it and
   submits again; the department forwards it, the bureau accepts it;
4. 问题整改: a finding of the year's evaluation becomes a rectification item, the unit
   closes it with evidence, the bureau verifies it (销号);
5. 结果应用: the 2021 budget shows the 2020 evaluation's recommendation, and the bureau
   records its decision;
6. the bureau's year at a glance shows every stage of the project's 2020 as it now stands,
   filters it (a filter nothing matches, and back) and exports it.

Each step is a screenshot in artifacts/browser/cycle-*.png.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Membership
from budgets.models import Organisation, Project
from budgets.services import budget_year_create
from core.access import Role
from evaluations.models import Evaluation, Finding
from rectifications.models import RectificationItem
from results_use.models import BudgetDecision
from targets.models import MonitoringLine, MonitoringReport, TargetForm

# the self-evaluation's 三级 rows as part S's own flow types them: (actual typed, score
# typed, scoring explanation, 偏差原因分析及改进措施)
from tests.browser.test_self_evaluation_flow import ROWS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"
SELF = "tianjin-2020-2020-self-1"


def member(username: str, organisation: str, role: str) -> None:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code=organisation), role=role
    )


def log_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_page(viewport={"width": 1500, "height": 900}, locale="zh-CN")
    page.set_default_timeout(20_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")
    return page


def submit(page: Any, selector: str) -> None:
    """Click a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(selector)


def overview_row(page: Any) -> dict[str, str]:
    """The Tianjin project's row of the year at a glance, cell by cell."""
    row = page.locator("#overview tbody tr[data-project='tianjin-2020']")
    return {
        name: " ".join(row.locator(f"td.{name}").inner_text().split())
        for name in (
            "target",
            "monitoring",
            "self",
            "external",
            "rectifications",
            "decision",
        )
    }


def test_one_project_walks_the_whole_year_as_unit_department_and_finance(
    live_server: Any, browser: Any, artifacts: Path, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    member("tj-centre", "tj-8890", Role.UNIT)
    member("tj-department", "tj-zwfw", Role.DEPARTMENT)
    member("tj-finance", "tj-czj", Role.FINANCE)
    project = Project.objects.get(code="tianjin-2020")
    # the 2021 budget year the bureau set (its 年初预算 as 2020's): where 结果应用 shows
    budget_year_create(project=project, year=2021, initial=Decimal("10200.59"))
    base = live_server.url
    shot = 0

    def screenshot(page: Any, name: str) -> None:
        nonlocal shot
        shot += 1
        page.screenshot(
            path=str(artifacts / f"cycle-{shot:02d}-{name}.png"), full_page=True
        )

    unit = log_in(browser, base, "tj-centre")
    department = log_in(browser, base, "tj-department")
    finance = log_in(browser, base, "tj-finance")

    # the year at a glance before anything was done: the seed's state, nothing invented
    finance.goto(f"{base}/overview/?year=2020")
    before = overview_row(finance)
    assert before["monitoring"] == "未填报"
    assert before["self"] == "未开展"
    assert before["rectifications"] == "无"
    assert before["decision"] == "未记录决定"
    assert before["external"] == "第三方重点评价 · 草稿 报告所载：92.37 优"
    screenshot(finance, "overview-before")

    # 1. 目标申报 → 目标审核 -------------------------------------------------------
    form = TargetForm.objects.get(code="tianjin-2020")
    if form.status != "approved":  # the seeds may load it approved, as its source is
        assert form.status == "draft"
        unit.goto(f"{base}/targets/tianjin-2020/")
        submit(unit, "#submit-form")
        assert unit.inner_text("#form-status") == "已提交"
        screenshot(unit, "target-submitted")
        finance.goto(f"{base}/targets/tianjin-2020/")
        finance.check("#approve-confirm")
        submit(finance, "#approve-form")
    else:
        finance.goto(f"{base}/targets/tianjin-2020/")
    assert finance.inner_text("#form-status") == "已批复"
    screenshot(finance, "target-approved")

    # 2. 运行监控: the half-year report ------------------------------------------
    unit.goto(f"{base}/targets/tianjin-2020/monitoring/")
    unit.select_option("#start-report select[name=months]", "6")
    submit(unit, "#start-report button[type=submit]")
    assert unit.url == f"{base}/targets/tianjin-2020/monitoring/6/"
    report = MonitoringReport.objects.get(form=form, months=6)
    answer = MonitoringLine.objects.get(report=report, name="接通率")
    key = f"l{answer.pk}"
    unit.fill(f"input[name='{key}-to_date']", "85%")
    unit.fill(f"input[name='{key}-expected']", "88%")
    screenshot(unit, "monitoring-typed")
    submit(unit, "#submit-report")
    errors = unit.inner_text("#report-errors")
    assert "“接通率”为红灯：提交前请选择偏差原因、说明原因并填写纠偏措施。" in errors
    # nothing was saved, what was typed is still there
    assert unit.input_value(f"input[name='{key}-to_date']") == "85%"
    answer.refresh_from_db()
    assert (answer.to_date, answer.light) == ("", "none")
    screenshot(unit, "monitoring-red-refused")
    unit.select_option(f"select[name='{key}-cause']", "staff")
    unit.fill(
        f"textarea[name='{key}-cause_text']", "上半年话务员流失率偏高，在岗人数不足"
    )
    unit.fill(f"textarea[name='{key}-measures']", "7月起分批补录坐席人员并加强排班")
    submit(unit, "#submit-report")
    assert unit.inner_text("#report-status") == "已提交"
    answer.refresh_from_db()
    assert (answer.to_date, answer.light, answer.cause) == ("85%", "red", "staff")
    screenshot(unit, "monitoring-submitted")
    finance.goto(f"{base}/targets/tianjin-2020/monitoring/6/")
    submit(finance, "#accept-report")
    assert finance.inner_text("#report-status") == "已审核通过"
    screenshot(finance, "monitoring-accepted")

    # 3. 绩效自评: submitted, returned, resubmitted, accepted ----------------------
    unit.goto(f"{base}/evaluations/self-evaluations/start/")
    unit.select_option("#id_form", value="tianjin-2020")
    unit.select_option("#id_framework", value="national-self-evaluation")
    submit(unit, "#self-start-button")
    assert unit.url == f"{base}/evaluations/{SELF}/self/"
    assert unit.inner_text("#self-execution-rate") == "99.86%"
    unit.fill("#id_goal_achieved", "全面完成年度目标。")
    rows = unit.locator("#self-indicators tbody tr")
    assert rows.count() == len(ROWS)
    for index, (actual, score, reason, deviation) in enumerate(ROWS):
        row = rows.nth(index)
        if actual:
            row.locator("input[name$='-actual_text']").fill(actual)
        if score:
            row.locator("input[name$='-final_score']").fill(score)
            row.locator("input[name$='-reason']").fill(reason)
        if deviation:
            row.locator("textarea[name$='-deviation_reason']").fill(deviation)
    submit(unit, "#self-save")
    assert unit.inner_text("#self-total") == "98.02"
    assert unit.inner_text("#self-grade") == "优"
    submit(unit, "#self-submit")
    assert unit.inner_text("#self-stage") == "待主管部门审核"
    screenshot(unit, "self-submitted")

    department.goto(f"{base}/evaluations/{SELF}/self/")
    department.check("input[name='decision'][value='return']")
    department.fill("#id_comment", "请补充营商环境专席的受理量统计口径。")
    submit(department, "#self-decide")
    assert department.inner_text("#self-stage") == "已退回"
    screenshot(department, "self-returned")

    unit.goto(f"{base}/evaluations/{SELF}/self/")
    assert "请补充营商环境专席的受理量统计口径。" in unit.inner_text("#self-returned")
    unit.locator("#self-indicators tbody tr").nth(13).locator("textarea").fill(
        "营商环境专席受理量（按工单统计）远超预期；下年度调高目标值。"
    )
    submit(unit, "#self-save")
    submit(unit, "#self-submit")
    assert unit.inner_text("#self-stage") == "待主管部门审核"
    screenshot(unit, "self-resubmitted")

    department.goto(f"{base}/evaluations/{SELF}/self/")
    department.check("input[name='decision'][value='forward']")
    submit(department, "#self-decide")
    assert department.inner_text("#self-stage") == "待财政部门审核"
    finance.goto(f"{base}/evaluations/{SELF}/self/")
    finance.check("input[name='decision'][value='accept']")
    submit(finance, "#self-decide")
    assert finance.inner_text("#self-stage") == "已审核通过"
    screenshot(finance, "self-accepted")
    evaluation = Evaluation.objects.get(code=SELF)
    assert (evaluation.review_stage, evaluation.submissions) == ("accepted", 2)
    assert evaluation.published_total == Decimal("98.02")

    # 4. 问题整改: a finding becomes an item, closed with evidence, verified ---------
    finding = Finding.objects.get(evaluation__code="tianjin-2020", position=2)
    prefix = f"#id_finding-{finding.pk}"
    finance.goto(f"{base}/evaluations/tianjin-2020/")
    submit(finance, "#rectification-link")
    assert finance.url == f"{base}/rectifications/evaluations/tianjin-2020/"
    deadline = timezone.localdate() + timedelta(days=60)
    finance.fill(f"{prefix}-measures", "补办预算调整手续，建立超预算审批流程")
    finance.fill(f"{prefix}-deadline", deadline.isoformat())
    finance.click("#finding-2 button[type=submit]")
    finance.wait_for_selector("#finding-2 .item-state")
    assert "未整改" in finance.inner_text("#finding-2 .item-state")
    screenshot(finance, "finding-became-item")
    item = RectificationItem.objects.get(finding=finding)

    unit.goto(f"{base}/rectifications/{item.pk}/")
    unit.set_input_files(
        "#id_file",
        files=[
            {
                "name": "预算调整批复.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 approval",
            }
        ],
    )
    unit.fill("#id_description", "预算调整批复")
    unit.click("#evidence-form button[type=submit]")
    unit.wait_for_selector("#item-evidence a:has-text('预算调整批复')")
    unit.select_option("#id_status", "done")
    unit.fill("#id_progress", "已补办 8.93 万元的预算调整手续")
    unit.click("#report-form button[type=submit]")
    unit.wait_for_selector("text=整改事项已保存。")
    assert unit.inner_text("#item-status") == "已整改"
    assert unit.inner_text("#item-verification") == "待销号"
    screenshot(unit, "item-closed-with-evidence")

    finance.goto(f"{base}/rectifications/{item.pk}/")
    finance.check("#verify-form input[value=accept]")
    finance.fill("#id_note", "佐证齐全，同意销号")
    finance.click("#verify-form button[type=submit]")
    finance.wait_for_selector("text=该事项已销号。")
    screenshot(finance, "item-verified")
    item.refresh_from_db()
    assert item.verified_at is not None

    # 5. 结果应用: the 2021 budget shows the recommendation; the bureau decides ------
    finance.goto(f"{base}/budgets/tianjin-2020/2021/")
    assert finance.inner_text("#recommendation-text") == "可适当增加预算安排"
    assert "92.37 分，等级“优”" in finance.inner_text("#recommendation-source")
    finance.check("#decision-form input[value=follow]")
    submit(finance, "#decision-form button[type=submit]")
    assert finance.inner_text("#recommendation-decision").startswith("按建议执行")
    screenshot(finance, "budget-2021-recommendation")
    decision = BudgetDecision.objects.get(budget_year__year=2021)
    assert (decision.grade, decision.total) == ("优", Decimal("92.37"))
    unit.goto(f"{base}/budgets/tianjin-2020/2021/")
    assert unit.inner_text("#recommendation-text") == "可适当增加预算安排"
    screenshot(unit, "unit-sees-budget-2021")

    # 6. the year at a glance: every stage of 2020 as it now stands ----------------
    finance.goto(f"{base}/overview/?year=2020")
    assert overview_row(finance) == {
        "target": "已批复",
        "monitoring": "1–6月 · 已审核通过 严重滞后 （红灯 1，黄灯 0）",
        "self": "已审核通过 98.02 优",
        "external": "第三方重点评价 · 草稿 报告所载：92.37 优",
        "rectifications": "共 1 项 已销号 1",
        "decision": "按建议执行 依据 2020 年评价 92.37 优：可适当增加预算安排",
    }
    screenshot(finance, "overview-after")

    # filtered to what needs attention: a filter nothing matches says so, and the way
    # back is the filter set to 全部 again
    finance.select_option("#overview-filters select[name=light]", "red")
    submit(finance, "#overview-filters button[type=submit]")
    assert finance.locator("#overview tbody tr[data-project]").count() == 1
    finance.select_option("#overview-filters select[name=grade]", "差")
    submit(finance, "#overview-filters button[type=submit]")
    assert finance.inner_text("#overview tbody") == "没有符合条件的项目。"
    assert finance.inner_text("#overview-count") == "共 0 个项目"
    screenshot(finance, "overview-nothing-matches")
    finance.select_option("#overview-filters select[name=grade]", "")
    submit(finance, "#overview-filters button[type=submit]")
    assert finance.locator("#overview tbody tr[data-project]").count() == 1
    # the export: the rows of the page's filter, the states as the page shows them
    with finance.expect_download() as download:
        finance.click("#overview-export")
    assert download.value.suggested_filename == "年度总览-2020.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet is not None
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    header, (row,) = cells[0], cells[1:]
    exported = dict(zip(header, row, strict=True))
    assert {
        name: exported[name]
        for name in (
            "项目代码",
            "绩效目标",
            "运行监控",
            "绩效自评",
            "自评得分",
            "整改事项",
        )
    } == {
        "项目代码": "tianjin-2020",
        "绩效目标": "已批复",
        "运行监控": "1–6月 已审核通过",
        "绩效自评": "已审核通过",
        "自评得分": 98.02,
        "整改事项": "共 1 项：未完成 0（逾期 0），待销号 0，已销号 1",
    }

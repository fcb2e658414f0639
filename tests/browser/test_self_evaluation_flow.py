"""Acceptance (issue 15 §1): the Tianjin hotline centre starts its 2020 self-evaluation from
the approved form, is refused a submission while the 年度总体目标 and the 偏差原因 are
missing, fills them in with its 定性 scores and the values the data do not give, submits
(98.02 优); the 主管部门 returns it with a comment; the unit changes it and submits again;
the department forwards it and the finance bureau accepts it: locked. Screenshots in
artifacts/browser/self-evaluation-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Membership
from budgets.models import Organisation
from core.access import Role
from evaluations.models import Evaluation
from targets.models import TargetForm
from targets.services import target_form_approve, target_form_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"

# the 三级 rows in table order: (actual typed, score typed, scoring explanation, 偏差原因)
ROWS: list[tuple[str, str, str, str]] = [
    ("", "", "", ""),  # 设置坐席数
    ("", "", "", "实际在岗865人，低于定额上限；下年度按实际需求设定。"),
    ("", "", "", "咨询量激增；下年度参考历史数据设定。"),  # 全年受理(咨询)量
    ("", "", "", ""),
    ("", "", "", "线上培训扩大覆盖面；下年度调高目标值。"),  # 开展培训人次
    ("", "", "", ""),
    ("", "", "", ""),
    ("", "3.50", "按年度工作完成情况自评", "分阶段招录，年底仍有缺员。"),  # 招聘新员工
    ("", "3.85", "按年度工作完成情况自评", ""),
    ("", "3.85", "按年度工作完成情况自评", ""),
    ("9850万", "", "", ""),  # 运营成本
    ("111.8万", "", "", ""),
    ("10万", "", "", ""),  # 开展培训
    ("", "", "", "营商环境专席受理量远超预期；下年度调高目标值。"),
    ("", "5.00", "按年度工作完成情况自评", "部分咨询仍需转派。"),  # 群众咨询成本
    ("", "6.00", "按年度工作完成情况自评", ""),
    ("", "6.00", "按年度工作完成情况自评", ""),
    ("", "6.00", "按年度工作完成情况自评", ""),
    ("99.47%", "", "", ""),  # 群众对坐席满意率
]


def member(username: str, organisation: str, role: str) -> None:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code=organisation), role=role
    )


def log_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_page(viewport={"width": 1500, "height": 900}, locale="zh-CN")
    page.set_default_timeout(15_000)
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


def test_unit_self_evaluates_is_returned_resubmits_and_is_accepted(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    approver = User.objects.create_user("approver")
    target_form_submit(form=form, user=approver)
    target_form_approve(form=form, user=approver)
    member("tj-centre", "tj-8890", Role.UNIT)
    member("tj-department", "tj-zwfw", Role.DEPARTMENT)
    member("tj-finance", "tj-czj", Role.FINANCE)
    base = live_server.url
    shot = 0

    def screenshot(page: Any, name: str) -> None:
        nonlocal shot
        shot += 1
        page.screenshot(
            path=str(artifacts / f"self-evaluation-{shot:02d}-{name}.png"),
            full_page=True,
        )

    # 1. the unit starts it from the approved form
    unit = log_in(browser, base, "tj-centre")
    unit.goto(f"{base}/evaluations/self-evaluations/start/")
    unit.select_option("#id_form", value="tianjin-2020")
    unit.select_option("#id_framework", value="national-self-evaluation")
    screenshot(unit, "start")
    submit(unit, "#self-start-button")
    assert unit.url == f"{base}/evaluations/tianjin-2020-2020-self-1/self/"
    assert unit.inner_text("#self-execution-rate") == "99.86%"
    assert unit.inner_text("#self-budget-score") == "9.99"
    assert unit.locator("#self-indicators tbody tr").count() == len(ROWS)
    screenshot(unit, "started")

    # 2. submitting now is refused: nothing changes, the reasons are named
    submit(unit, "#self-submit")
    errors = unit.inner_text("#self-submit-errors")
    assert "请填写年度总体目标的实际完成情况。" in errors
    assert "“录用合同制员工人数”未达到或大幅超过目标" in errors
    assert unit.inner_text("#self-stage") == "草稿"
    screenshot(unit, "submit-refused")

    # 3. the unit fills in the table and saves
    unit.fill("#id_goal_achieved", "全面完成年度目标。")
    rows = unit.locator("#self-indicators tbody tr")
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
    assert unit.locator(".deviation-missing").count() == 0
    screenshot(unit, "filled")
    submit(unit, "#self-submit")
    assert unit.inner_text("#self-stage") == "待主管部门审核"
    assert unit.locator("#self-save").count() == 0
    screenshot(unit, "submitted")

    # 4. the 主管部门 finds it in its 待办 and returns it with a comment
    department = log_in(browser, base, "tj-department")
    assert "天津市便民专线服务中心运行经费2020年度绩效自评" in department.inner_text(
        "body"
    )
    department.goto(f"{base}/evaluations/tianjin-2020-2020-self-1/self/")
    department.check("input[name='decision'][value='return']")
    submit(department, "#self-decide")
    assert "退回绩效自评时请写明需修改的内容。" in department.inner_text("#self-review")
    department.check("input[name='decision'][value='return']")
    department.fill("#id_comment", "请补充营商环境专席的受理量统计口径。")
    submit(department, "#self-decide")
    assert department.inner_text("#self-stage") == "已退回"
    screenshot(department, "department-returned")

    # 5. the unit reads the comment, changes the reason, submits again
    unit.goto(f"{base}/evaluations/tianjin-2020-2020-self-1/self/")
    assert "请补充营商环境专席的受理量统计口径。" in unit.inner_text("#self-returned")
    screenshot(unit, "returned")
    unit.locator("#self-indicators tbody tr").nth(13).locator("textarea").fill(
        "营商环境专席受理量（按工单统计）远超预期；下年度调高目标值。"
    )
    submit(unit, "#self-save")
    submit(unit, "#self-submit")
    assert unit.inner_text("#self-stage") == "待主管部门审核"

    # 6. the department forwards it, the finance bureau accepts it
    department.goto(f"{base}/evaluations/tianjin-2020-2020-self-1/self/")
    department.check("input[name='decision'][value='forward']")
    submit(department, "#self-decide")
    assert department.inner_text("#self-stage") == "待财政部门审核"
    finance = log_in(browser, base, "tj-finance")
    finance.goto(f"{base}/evaluations/tianjin-2020-2020-self-1/self/")
    finance.check("input[name='decision'][value='accept']")
    submit(finance, "#self-decide")
    assert finance.inner_text("#self-stage") == "已审核通过"
    assert finance.inner_text("#quality-difference") == "5.65"
    screenshot(finance, "accepted")
    evaluation = Evaluation.objects.get(code="tianjin-2020-2020-self-1")
    assert (evaluation.review_stage, evaluation.submissions) == ("accepted", 2)
    assert evaluation.published_total is not None
    assert str(evaluation.published_total) == "98.02"

    # 7. the history lists every step and change
    unit.goto(f"{base}/evaluations/tianjin-2020-2020-self-1/self/history/")
    steps = unit.inner_text("#history-steps")
    assert "请补充营商环境专席的受理量统计口径。" in steps
    assert "营商环境专席受理量（按工单统计）" in unit.inner_text("#history-changes")
    screenshot(unit, "history")

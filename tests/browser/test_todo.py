"""Issue 13 defect 4 (no task list), in Chromium on the seed data: each role's 待办 on its
home page with the count in the navigation; the department learns that its unit submitted;
the resubmitted form shows what changed since the return; approval asks for confirmation,
sits after the flags, and a tab opened before a resubmission approves nothing.

On the code before 待办 (7c71de3) this fails at its first check: the home page has no
``#todo`` and the navigation no count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Role
from targets.models import TargetForm, TargetFormStatus
from targets.services import target_form_submit
from tests.browser.test_target_review_flow import log_in, member, settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_role_finds_its_work_and_finance_approves_what_it_has_seen(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    member("tj-centre", "tj-8890", Role.UNIT)
    member("tj-department", "tj-zwfw", Role.DEPARTMENT)
    member("tj-finance", "tj-czj", Role.FINANCE)
    member("pj-finance", "pj-czj", Role.FINANCE)
    base = live_server.url
    form = TargetForm.objects.get(code="tianjin-2020")
    answer = form.indicators.get(name="接通率")

    def shot(page: Any, name: str) -> None:
        page.screenshot(path=str(artifacts / f"todo-{name}.png"), full_page=True)

    # the unit submits its 2020 form
    target_form_submit(form=form, user=User.objects.get(username="tj-centre"))

    # the department's home says its unit submitted, with nothing for it to act on
    department = log_in(browser, base, "tj-department")
    assert department.inner_text("#todo-targets-units-submitted li") == (
        "天津市便民专线服务中心运行经费 2020 · 天津市便民专线服务中心已提交，"
        "正由财政部门审核 "
        + department.inner_text("#todo-targets-units-submitted .since")
    )
    assert department.locator("#nav-todo-count").count() == 0
    shot(department, "department-home")

    # Panjin's bureau sees nothing of Tianjin's form
    panjin = log_in(browser, base, "pj-finance")
    assert panjin.inner_text("#todo-empty") == "暂无待办事项。"
    panjin.close()

    # finance: the count in the navigation, the form in its list
    finance = log_in(browser, base, "tj-finance")
    assert finance.inner_text("#nav-todo-count") == "1"
    assert finance.inner_text("#todo-targets-review h3") == "待审核的绩效目标表 1"
    shot(finance, "finance-home")
    with finance.expect_navigation():
        finance.click("#todo-targets-review a")
    assert finance.url == f"{base}/targets/tianjin-2020/"
    # approval comes after the flags and the grid, and asks for a confirmation
    flags_box = finance.locator("#flags").bounding_box()
    grid_box = finance.locator("#target-grid").bounding_box()
    approve_box = finance.locator("#approve-form").bounding_box()
    assert flags_box["y"] < grid_box["y"] < approve_box["y"]
    finance.click("#approve-form")  # not ticked: the browser keeps the page
    assert finance.url == f"{base}/targets/tianjin-2020/"
    form.refresh_from_db()
    assert form.status == TargetFormStatus.SUBMITTED
    shot(finance, "finance-form-review")

    # a second window opened now, before the return and the resubmission
    stale = log_in(browser, base, "tj-finance")
    stale.goto(f"{base}/targets/tianjin-2020/")

    finance.fill(f"input[name=comment_{answer.pk}]", "接通率目标应不低于 95%。")
    with finance.expect_navigation():
        finance.click("#return-button")
    assert finance.inner_text("#form-status") == "已退回"
    finance.goto(f"{base}/")
    assert finance.locator("#nav-todo-count").count() == 0

    # the unit: the returned form in its 待办; it fixes 接通率 and resubmits
    unit = log_in(browser, base, "tj-centre")
    assert unit.inner_text("#nav-todo-count") == "1"
    assert "已退回，请按审核意见修改后重新提交" in unit.inner_text(
        "#todo-targets-returned"
    )
    shot(unit, "unit-home-returned")
    with unit.expect_navigation():
        unit.click("#todo-targets-returned a")
    unit.fill(f"#row-{answer.pk} input[name=value]", "≥95%")
    before = unit.get_attribute("#editor", "data-updates") or "0"
    with unit.expect_response(lambda r: r.url.endswith(f"/indicators/{answer.pk}/")):
        unit.click(f"#f-{answer.pk} button[type=submit]")
    settled(unit, before)
    with unit.expect_navigation():
        unit.click("#submit-form")
    assert unit.inner_text("#form-status") == "已重新提交"

    # the stale tab's approval is refused: it had not seen the resubmission
    stale.check("#approve-confirm")
    with stale.expect_navigation():
        stale.click("#approve-form")
    assert "本表在此页面打开后已重新提交：请先查看新提交的内容，再批复。" in (
        stale.inner_text(".messages")
    )
    form.refresh_from_db()
    assert form.status == TargetFormStatus.SUBMITTED
    shot(stale, "finance-stale-tab-refused")
    stale.close()

    # finance: the resubmission leads to what changed since the return
    finance.goto(f"{base}/")
    assert finance.inner_text("#nav-todo-count") == "1"
    assert "重新提交（第 2 次提交），查看修改之处" in finance.inner_text(
        "#todo-targets-review"
    )
    with finance.expect_navigation():
        finance.click("#todo-targets-review a")
    assert finance.url == f"{base}/targets/tianjin-2020/changes/"
    row = finance.inner_text("#changes-table tr.changed")
    assert [cell.strip() for cell in row.split("\t")] == [
        "产出指标 / 质量指标 / 接通率\n已修改",
        "指标值",
        "大于 90%",
        "≥95%",
        "接通率目标应不低于 95%。",
    ]
    shot(finance, "finance-changes")
    with finance.expect_navigation():
        finance.click("#back-to-form")
    assert "自退回以来 1 处修改" in finance.inner_text("#review-pointer")
    finance.check("#approve-confirm")
    with finance.expect_navigation():
        finance.click("#approve-form")
    assert finance.inner_text("#form-status") == "已批复"
    finance.goto(f"{base}/")
    assert finance.locator("#nav-todo-count").count() == 0
    assert finance.inner_text("#todo-empty") == "暂无待办事项。"
    shot(finance, "finance-cleared")

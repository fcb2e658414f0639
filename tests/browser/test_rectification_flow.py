"""Acceptance (issue 15 §3, §4): the finance bureau makes a Tianjin 2020 finding a
rectification item (a past deadline refused first), the unit closes it with evidence (已整改
without a file refused first; a second, stale tab refused without losing what it typed), the
bureau verifies it (销号), and the 2021 budget page shows the recommendation of the 2020
evaluation, where the bureau records its decision. Screenshots in artifacts/browser/."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import Membership
from budgets.models import BudgetYear, Organisation, Project
from core.access import Role
from evaluations.models import Finding
from rectifications.models import RectificationItem
from results_use.models import BudgetDecision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"


def member(username: str, organisation: str, role: str) -> None:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code=organisation), role=role
    )


def log_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.set_default_timeout(10_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")
    return page


def test_a_finding_is_rectified_verified_and_next_years_budget_shows_the_result(
    live_server: Any, browser: Any, artifacts: Path, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    member("tj-centre", "tj-8890", Role.UNIT)
    member("tj-finance", "tj-czj", Role.FINANCE)
    BudgetYear.objects.create(
        project=Project.objects.get(code="tianjin-2020"),
        year=2021,
        initial=Decimal("10200.59"),
    )
    base = live_server.url
    shot = 0

    def screenshot(page: Any, name: str) -> None:
        nonlocal shot
        shot += 1
        page.screenshot(
            path=str(artifacts / f"rect-{shot:02d}-{name}.png"), full_page=True
        )

    finding = Finding.objects.get(evaluation__code="tianjin-2020", position=2)
    prefix = f"#id_finding-{finding.pk}"

    # 1. the bureau, from the evaluation's page, to its findings
    finance = log_in(browser, base, "tj-finance")
    finance.goto(f"{base}/evaluations/tianjin-2020/")
    finance.click("#rectification-link")
    finance.wait_for_url(f"{base}/rectifications/evaluations/tianjin-2020/")
    assert finance.locator("section.finding").count() == 4
    assert (
        finance.inner_text("#finding-2 h2") == "2. 预算调整未履程序，预算执行约束力不强"
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    finance.fill(f"{prefix}-measures", "补办预算调整手续，建立超预算审批流程")
    finance.fill(f"{prefix}-deadline", yesterday.isoformat())
    finance.click("#finding-2 button[type=submit]")
    finance.wait_for_selector("#finding-2 .error")
    assert (
        f"完成时限 {yesterday.isoformat()} 已过：请选择今天或以后的日期。"
        in finance.inner_text("#finding-2")
    )
    # what was typed is still there
    assert (
        finance.input_value(f"{prefix}-measures")
        == "补办预算调整手续，建立超预算审批流程"
    )
    screenshot(finance, "past-deadline-refused")
    assert not RectificationItem.objects.exists()
    deadline = timezone.localdate() + timedelta(days=60)
    finance.fill(f"{prefix}-deadline", deadline.isoformat())
    finance.click("#finding-2 button[type=submit]")
    finance.wait_for_selector("#finding-2 .item-state")
    assert "天津市便民专线服务中心" in finance.inner_text("#finding-2 .item-state")
    assert "未整改" in finance.inner_text("#finding-2 .item-state")
    screenshot(finance, "finding-became-item")
    item = RectificationItem.objects.get()
    assert item.recommendation is not None
    assert item.recommendation.title == "加强预算管理，严格执行预算调整程序"

    # 2. the unit finds it among its 待办 and reports on it
    unit = log_in(browser, base, "tj-centre")
    assert "预算调整未履程序，预算执行约束力不强" in unit.inner_text(
        "#todo-rectifications-to-report"
    )
    unit.click("#todo-rectifications-to-report a:has-text('预算调整未履程序')")
    unit.wait_for_url(f"{base}/rectifications/{item.pk}/")
    # a second window of the same unit, opened now and left open
    stale = log_in(browser, base, "tj-centre")
    stale.goto(f"{base}/rectifications/{item.pk}/")
    unit.select_option("#id_status", "done")
    unit.fill("#id_progress", "已补办 8.93 万元的预算调整手续")
    unit.click("#report-form button[type=submit]")
    unit.wait_for_selector("#report-form .error")
    assert "请先上传至少一个整改佐证材料，再报告已整改。" in unit.inner_text(
        "#report-form"
    )
    screenshot(unit, "done-without-evidence-refused")
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
    screenshot(unit, "unit-reported-done")
    # the stale tab: its save is refused, naming the difference, its text kept
    stale.fill("#id_measures", "另行制定预算管理办法")
    stale.click("#report-form button[type=submit]")
    stale.wait_for_selector("#report-form .error")
    refusal = stale.inner_text("#report-form")
    assert (
        "保存了整改事项“预算调整未履程序，预算执行约束力不强”（在您打开本页之后）"
        in refusal
    )
    assert "整改措施：已保存为“补办预算调整手续，建立超预算审批流程”" in refusal
    assert stale.input_value("#id_measures") == "另行制定预算管理办法"
    screenshot(stale, "stale-tab-refused")
    item.refresh_from_db()
    assert item.measures == "补办预算调整手续，建立超预算审批流程"

    # 3. the bureau verifies it (销号)
    finance.goto(f"{base}/")
    assert "预算调整未履程序" in finance.inner_text("#todo-rectifications-to-verify")
    finance.goto(f"{base}/rectifications/{item.pk}/")
    finance.check("#verify-form input[value=accept]")
    finance.fill("#id_note", "佐证齐全，同意销号")
    finance.click("#verify-form button[type=submit]")
    finance.wait_for_selector("text=该事项已销号。")
    assert finance.inner_text("#item-verification").startswith("tj-finance 于 ")
    assert finance.inner_text("#item-verification").endswith("销号：佐证齐全，同意销号")
    screenshot(finance, "verified")
    item.refresh_from_db()
    assert item.verified_at is not None

    # 4. the 2021 budget shows the 2020 evaluation's recommendation; the bureau decides
    finance.goto(f"{base}/budgets/tianjin-2020/2021/")
    assert finance.inner_text("#recommendation-text") == "可适当增加预算安排"
    assert "92.37 分，等级“优”" in finance.inner_text("#recommendation-source")
    assert finance.inner_text("#recommendation-decision") == "尚未决定。"
    finance.check("#decision-form input[value=adjust]")
    finance.click("#decision-form button[type=submit]")
    finance.wait_for_selector("#decision-form .error")
    assert "未完全按建议执行时，请写明实际决定。" in finance.inner_text(
        "#decision-form"
    )
    screenshot(finance, "decision-without-note-refused")
    finance.fill("#decision-form textarea[name=note]", "增加 300 万元用于热线归并")
    finance.click("#decision-form button[type=submit]")
    finance.wait_for_url(f"{base}/budgets/tianjin-2020/2021/")
    assert finance.inner_text("#recommendation-decision").startswith(
        "调整后执行：增加 300 万元用于热线归并"
    )
    screenshot(finance, "budget-2021-recommendation-and-decision")
    decision = BudgetDecision.objects.get()
    assert (decision.grade, decision.total) == ("优", Decimal("92.37"))

    # the unit sees the recommendation and the decision, without the form
    unit.goto(f"{base}/budgets/tianjin-2020/2021/")
    assert unit.inner_text("#recommendation-text") == "可适当增加预算安排"
    assert unit.locator("#decision-form").count() == 0
    screenshot(unit, "unit-sees-budget-2021")

    # the bureau's list: the item verified, the counts above
    finance.goto(f"{base}/rectifications/")
    assert finance.inner_text("#rectification-counts") == (
        "共 1 项：未完成 0 项，逾期 0 项，待销号 0 项，已销号 1 项。"
    )
    assert "已整改 · 已销号" in finance.inner_text(f"tr[data-item='{item.pk}'] .status")
    screenshot(finance, "list")

    # the 整改情况报告 is reachable from the findings' page
    finance.goto(f"{base}/rectifications/evaluations/tianjin-2020/")
    finance.click("#rectification-report")
    finance.wait_for_url(f"{base}/documents/rectification_report/tianjin-2020/")
    screenshot(finance, "report-page")

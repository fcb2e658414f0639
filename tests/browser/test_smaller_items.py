"""Issue 13 item 9 in the browser: what the pilot saw, page by page.

Before: the region filter offered 天津市/江苏省 beside projects in 辽宁省 and 上海市; the
charts had no y axis or gridlines and a target equal to the actual hid under its dot;
/favicon.ico answered 404 on every page; Shanghai's 133340000 元 printed without separators;
the adjustment form offered 半年指标值 on a form without half-year values; the report page
promised "PDF 和 Excel", offered a PDF only and had no way back. Screenshots in
artifacts/browser/small-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Membership, Role
from budgets.models import Organisation
from targets.models import TargetForm
from targets.services import target_form_approve, target_form_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"


def log_in(browser: Any, base: str, username: str, organisation: str, role: str) -> Any:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code=organisation), role=role
    )
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.set_default_timeout(10_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")
    return page


def test_the_smaller_items_as_a_user_meets_them(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    base = live_server.url
    admin = log_in(browser, base, "small-admin", "tj-czj", Role.ADMINISTRATOR)
    missing: list[str] = []
    admin.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)

    # the region filter offers the regions of the projects shown
    admin.goto(f"{base}/dashboards/projects/")
    options = admin.eval_on_selector_all(
        "select[name=region] option", "els => els.map(e => e.textContent)"
    )
    assert options == ["全部", "上海市", "天津市", "辽宁省"]
    admin.select_option("select[name=region]", "辽宁省")
    with admin.expect_navigation():
        admin.click("form.filters button[type=submit]")
    assert admin.locator("#projects-table tbody tr").count() == 1
    # a value axis under the bars, with gridlines
    assert admin.locator("svg.bar-chart >> nth=0").locator("line.gridline").count() == 5
    admin.screenshot(path=str(artifacts / "small-1-projects.png"), full_page=True)

    # a unit's charts: a y axis with gridlines on round numbers; the 2020 target of
    # 受理量 (750 万件) a ring drawn over the actual's dots
    admin.goto(f"{base}/dashboards/units/tj-8890/")
    accepted = admin.locator("figure.chart", has_text="受理量（万件）")
    labels = accepted.locator("text.axis-label").all_text_contents()
    assert labels == ["0", "500", "1,000", "1,500", "2,000"]
    assert accepted.locator("line.gridline").count() == 5
    assert accepted.locator("line.y-axis").count() == 1
    ring = accepted.locator("circle.dot.target")
    assert ring.count() == 1
    assert ring.get_attribute("r") == "7"
    # drawn after (so over) the actual's dots
    order = accepted.locator("circle.dot").evaluate_all(
        "els => els.map(e => e.classList.contains('target'))"
    )
    assert order == [False, False, True]
    accepted.screenshot(path=str(artifacts / "small-2-unit-chart.png"))

    # Shanghai's budget in 元 with its thousands separated
    admin.goto(f"{base}/budgets/shanghai-2019/2019/")
    figures = admin.inner_text("#budget-figures")
    assert "133,340,000.00" in figures and "133340000" not in figures
    admin.screenshot(path=str(artifacts / "small-3-budget.png"), full_page=True)

    # the report page says what it offers and leads back to the evaluation
    admin.goto(f"{base}/documents/evaluation_report/tianjin-2020/")
    text = admin.inner_text("main")
    assert "PDF 在后台生成" in text and "Excel" not in text
    admin.screenshot(path=str(artifacts / "small-4-report-page.png"), full_page=True)
    with admin.expect_navigation():
        admin.click("#back-link")
    assert admin.url == f"{base}/evaluations/tianjin-2020/"

    # the adjustment form of a form without half-year values offers none
    form = TargetForm.objects.get(code="tianjin-2020")
    unit_user = User.objects.create_user("small-unit-2020")
    target_form_submit(form=form, user=unit_user)
    target_form_approve(form=form, user=User.objects.create_user("small-fin"))
    unit = log_in(browser, base, "small-unit", "tj-8890", Role.UNIT)
    unit.goto(f"{base}/targets/tianjin-2020/adjustments/")
    fields = unit.eval_on_selector_all(
        "#adjustment-form label", "els => els.map(e => e.textContent)"
    )
    assert fields == ["指标", "调整后的指标值", "调整理由"]
    unit.screenshot(path=str(artifacts / "small-5-adjustment.png"), full_page=True)

    # no page asked for anything that is not there (the icon included)
    assert missing == []
    assert admin.evaluate(
        "document.querySelector('link[rel=icon]').getAttribute('href')"
    ) == ("/static/img/favicon.svg")

"""Acceptance (issue 13, defect 8): a finance officer switches the site to English with the
switcher in the header and works through it — the home page at /en/, operating data,
a target form with its flags, its monitoring lights, the unit dashboard's charts and an
evaluation's rules — with no Chinese on any page but the data; then switches back to
Chinese on the page they are on. Before: /en/ answered 404, there was no switcher, and
/en/operations/, the flags, lights, chart titles and rule names were Chinese. Screenshots
of each page in artifacts/browser/english-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Membership, Role
from budgets.models import Organisation
from tests.functional.test_english_pages import StoredStrings, chinese_chrome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "english-walk-2026"


def test_finance_switches_to_english_and_back(
    browser: Any, live_server: Any, artifacts: Path
) -> None:
    user = User.objects.create_user("tj-finance-en", password=PASSWORD)
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code="tj-czj"),
        role=Role.FINANCE,
    )
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.set_default_timeout(10_000)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"english-{name}.png"), full_page=True)

    def english_only() -> None:
        assert page.locator("html").get_attribute("lang") == "en"
        assert chinese_chrome(page.content(), StoredStrings()) == [], page.url

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "tj-finance-en")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")
    assert page.locator("h1").first.inner_text() == "欢迎，天津市财政局"

    # The switcher names the other language in its own words and keeps the page.
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{base}/en/")
    assert page.locator("h1").first.inner_text() == "Welcome, 天津市财政局"
    english_only()
    shot("1-home")

    page.get_by_role("link", name="Operating data").click()
    page.wait_for_url(f"{base}/en/operations/")
    assert page.locator("h1").inner_text() == "Hotline operating data"
    english_only()
    shot("2-operations")

    page.goto(f"{base}/en/targets/tianjin-2020/")
    assert page.locator("h1").inner_text() == "项目支出绩效目标表 (2020)"
    flags = page.locator(".flag strong").all_inner_texts()
    assert "Below the published standard" in flags
    assert "Recommended indicator missing" in flags
    english_only()
    shot("3-target-form")

    page.goto(f"{base}/en/targets/tianjin-2020/monitoring/")
    page_text = page.inner_text("main")
    assert "not met" in page_text
    assert "actual ≥ 1030 人 (the target has no comparator" in page_text
    english_only()
    shot("4-monitoring")

    page.goto(f"{base}/en/dashboards/units/tj-8890/")
    captions = page.locator("figcaption").all_inner_texts()
    assert "answer rate (%)" in captions
    assert "cases accepted (万件)" in captions
    english_only()
    shot("5-unit-dashboard")

    page.goto(f"{base}/en/evaluations/tianjin-2020/")
    assert "deduction ladder" in page.inner_text("main")
    english_only()
    shot("6-evaluation")

    # Back to Chinese, on the same page.
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_url(f"{base}/evaluations/tianjin-2020/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "阶梯扣分" in page.inner_text("main")
    shot("7-back-to-chinese")
    page.close()

"""Acceptance: a hotline centre's clerk imports a year of call records in the browser —
first a file with a repeated call id (refused, the lines named, nothing changed), then the
corrected export — and sees every reported figure against the one recomputed from the
records: 呼入量 一致, 接听量 and 接通率 差异 (1 % of abandoned calls counted as answered),
on the records page and on the operating-data year page. Screenshots in artifacts/browser/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import Membership, Role
from budgets.models import Organisation
from records.models import RecordImport
from records.synthetic import Totals, generate
from tests.integration.records.conftest import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hotline-demo-2026"


def log_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.set_default_timeout(20_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")
    return page


def test_clerk_imports_records_and_sees_the_reconciliation(
    live_server: Any, browser: Any, artifacts: Path, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    tianjin = Organisation.objects.get(code="tj-8890")
    user = User.objects.create_user("tj-records", password=PASSWORD)
    Membership.objects.create(user=user, organisation=tianjin, role=Role.UNIT)
    manifest = generate(
        directory=tmp_path,
        organisation="天津市便民专线服务中心",
        year=2021,
        totals=Totals.scaled(10_532, 0),
        plant_discrepancy=True,
    )
    calls = tmp_path / manifest.files["calls"]
    report(tianjin, [("呼入量", "2021", 10532, "次"), ("接听量", "2021", 10124, "次")])
    lines = calls.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "话单-有重复.csv"
    bad.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    base = live_server.url

    page = log_in(browser, base, "tj-records")
    page.goto(f"{base}/records/")
    page.select_option("#id_kind", "calls")
    page.fill("#id_year", "2021")
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('检查并导入')")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert "未导入，数据未作任何更改" in alert.inner_text()
    assert (
        f"“话单编号”重复 1 次（同一编号只能出现一次）：“202100000001”在第 2、{len(lines) + 1} 行"
        in alert.inner_text()
    )
    page.screenshot(path=str(artifacts / "records-01-refused.png"), full_page=True)
    assert RecordImport.objects.count() == 0

    # the way back: the corrected export, on the same page
    page.fill("#id_year", "2021")
    page.set_input_files("#id_file", str(calls))
    page.click("button:has-text('检查并导入')")
    page.wait_for_url(f"{base}/records/tj-8890/2021/")
    assert "已导入 10,532 条话单" in page.inner_text("body")
    rows = {
        row.get_attribute("data-metric"): row.inner_text()
        for row in page.locator("tr[data-period='2021']").all()
    }
    assert set(rows) == {"calls-offered", "calls-answered", "answer-rate"}
    assert "一致" in rows["calls-offered"]
    answered = rows["calls-answered"]
    # 1 % of the 408 calls abandoned in the records (4.08) was reported as answered: 4
    assert "10124 次" in answered and "10120 次" in answered and "-4" in answered
    assert "差异" in answered
    assert "差异" in rows["answer-rate"]
    page.screenshot(path=str(artifacts / "records-02-reconciled.png"), full_page=True)

    page.click("text=本年度运行数据")
    page.wait_for_url(f"{base}/operations/tj-8890/2021/")
    section = page.locator("#verification")
    assert "与原始记录核验" in section.inner_text()
    assert "一致 1" in section.inner_text() and "差异 2" in section.inner_text()
    section.scroll_into_view_if_needed()
    page.screenshot(
        path=str(artifacts / "records-03-operating-year.png"), full_page=True
    )

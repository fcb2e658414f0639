"""Acceptance (issue 17 §3): a province-level finance bureau compares its cities' hotline
centres in the browser — the ranks of 接通率 against GB/T 33358's 95 % line, then another
indicator, a year it has no data for (refused, the way back by the filter), and the xlsx
export read back; a city's finance bureau filters its own years. Screenshots in
artifacts/browser/."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from accounts.models import Membership, Role
from budgets.models import Organisation
from tests.integration.comparisons.conftest import LIAONING_2023, centre, upload

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


def _member(username: str, organisation: Organisation) -> None:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, organisation=organisation, role=Role.FINANCE)


def _ranking(page: Any) -> list[tuple[str, str, str]]:
    rows = page.locator("#ranking tbody tr[data-organisation]")
    return [
        (
            rows.nth(i).get_attribute("data-organisation"),
            rows.nth(i).locator("td.rank").inner_text(),
            rows.nth(i).locator("td.value").inner_text(),
        )
        for i in range(rows.count())
    ]


def test_province_compares_its_cities_and_exports(
    live_server: Any, browser: Any, artifacts: Path, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    for code, (name, city, rows) in LIAONING_2023.items():
        upload(centre(code, name, region="辽宁省", city=city), rows)
    province = Organisation.objects.create(
        code="ln-czt",
        name="辽宁省财政厅",
        kind=Organisation.Kind.FINANCE_BUREAU,
        region="辽宁省",
        city="",
    )
    _member("ln-finance", province)
    base = live_server.url

    page = log_in(browser, base, "ln-finance")
    page.click("nav >> text=指标比较")
    page.wait_for_url(f"{base}/comparisons/")
    assert page.inner_text("h2 >> nth=0") == "接通率（2023）"
    assert _ranking(page) == [
        ("sy-12345", "1 / 4", "98.01%"),
        ("pj-yshj", "1 / 4", "98.01%"),
        ("as-12345", "3 / 4", "96.00%"),
        ("dl-12345", "4 / 4", "94.50%"),
    ]
    assert "天津" not in page.inner_text("body")
    standard = page.inner_text("#standard")
    assert "GB/T 33358-2016《政府热线服务规范》" in standard and "≥95%" in standard
    assert page.locator("svg line.reference").count() == 1
    assert page.locator("svg rect.bar.below").count() == 1  # Dalian, below 95 %
    dalian = page.locator("#ranking tr[data-organisation=dl-12345]").inner_text()
    assert "未达标" in dalian and "上传运行数据" in dalian
    panjin = page.locator("#ranking tr[data-organisation=pj-yshj]").inner_text()
    assert "公开报告数" in panjin and "重构" in panjin
    page.screenshot(
        path=str(artifacts / "comparisons-01-answer-rate.png"), full_page=True
    )

    # another indicator: lower is better
    page.select_option("#id_kpi", "monthly-attrition-rate")
    page.click("#comparison-filters button[type=submit]")
    page.wait_for_url("**kpi=monthly-attrition-rate**")
    assert page.inner_text("h2 >> nth=0") == "月均人员流失率（2023）"
    assert _ranking(page) == [
        ("as-12345", "1 / 2", "2.00%"),
        ("dl-12345", "2 / 2", "5.00%"),
    ]
    assert "越低越好" in page.inner_text("#selected-kpi")
    page.screenshot(path=str(artifacts / "comparisons-02-turnover.png"), full_page=True)

    # a year without data among the province's centres: refused, the latest shown;
    # the way back is the filter itself
    page.goto(f"{base}/comparisons/?year=2020&kpi=answer-rate")
    assert (
        "您有权查看的中心没有 2020 年的运行数据：已显示最近的年度。"
        in page.inner_text("body")
    )
    assert page.inner_text("h2 >> nth=0") == "接通率（2023）"
    page.screenshot(path=str(artifacts / "comparisons-03-bad-year.png"), full_page=True)
    page.select_option("#id_kpi", "completion-rate")
    page.click("#comparison-filters button[type=submit]")
    page.wait_for_url("**kpi=completion-rate**")
    assert "您有权查看的中心没有" not in page.inner_text("body")
    assert _ranking(page) == [("pj-yshj", "1 / 1", "99.88%")]

    # the export: every indicator of the year, read back
    with page.expect_download() as download:
        page.click("#export")
    content = Path(download.value.path()).read_bytes()
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["指标比较", "离散程度"]
    answer = [
        (row[2], row[4], row[7], row[13])
        for row in book["指标比较"].iter_rows(min_row=3, values_only=True)
        if row[0] == "接通率"
    ]
    assert answer == [
        (1, "沈阳市12345热线服务中心", 98.01, "达标"),
        (1, "盘锦市营商环境建设局", 98.01, "达标"),
        (3, "鞍山市12345热线服务中心", 96.0, "达标"),
        (4, "大连市12345热线服务中心", 94.5, "未达标"),
    ]
    page.close()


def test_city_bureau_filters_its_years(
    live_server: Any, browser: Any, artifacts: Path
) -> None:
    _member("tj-finance-cmp", Organisation.objects.get(code="tj-czj"))
    base = live_server.url
    page = log_in(browser, base, "tj-finance-cmp")
    page.goto(f"{base}/comparisons/")
    assert page.inner_text("h2 >> nth=0") == "接通率（2020）"
    assert _ranking(page) == [("tj-8890", "1 / 1", "96.12%")]
    assert [
        o.get_attribute("value") for o in page.locator("#id_year option").all()
    ] == ["2020", "2019", "2018"]
    page.select_option("#id_year", "2019")
    page.select_option("#id_kpi", "labour-cost-per-10k-calls")
    page.click("#comparison-filters button[type=submit]")
    page.wait_for_url("**year=2019**")
    assert _ranking(page) == [("tj-8890", "1 / 1", "12.15 万元")]
    matrix = page.inner_text("#matrix")
    assert "月均人员流失率" in matrix and "2.96%" in matrix
    page.screenshot(
        path=str(artifacts / "comparisons-04-tianjin-2019.png"), full_page=True
    )
    page.close()

"""Dashboards: a unit's indicators over the years, and hotline projects side by side, each
chart with its table one click away (server-rendered SVG, no script)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import Role
from budgets.models import Organisation
from operations.selectors import cost_table

pytestmark = pytest.mark.django_db


def table_rows(html: str, table_id: str = "") -> list[list[str]]:
    if table_id:
        html = html.split(f'id="{table_id}"')[1]
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).split("\n")[0].strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        for row in rows
    ]


def test_projects_side_by_side_with_their_table(login: Callable[..., Client]) -> None:
    admin = login("tj-czj", Role.ADMINISTRATOR)
    html = admin.get("/dashboards/projects/", {"year": "2020"}).content.decode()
    assert html.count('<svg viewBox="0 0 640') == 4
    assert "<figcaption>接通率</figcaption>" in html
    assert table_rows(html, "projects-table") == [
        [
            "天津市便民专线服务中心运行经费",
            "天津市",
            "96.12%1,012.36 / 1,053.2",  # the rate and its two counts
            "8.99",
            "—",
            "99.86%",
        ],
    ]
    html = admin.get("/dashboards/projects/", {"year": "2023"}).content.decode()
    assert table_rows(html, "projects-table") == [
        [
            "12345热线平台运营及人员外包",
            "辽宁省",
            # the counts are reconstructed by the operations seed, and marked so
            "98.01%294,030 / 300,000 重构",
            "—",
            "91.43%",
            "100.00%",
        ],
    ]


def test_filter_by_region(login: Callable[..., Client]) -> None:
    admin = login("tj-czj", Role.ADMINISTRATOR)
    html = admin.get(
        "/dashboards/projects/", {"year": "2020", "region": "辽宁省"}
    ).content.decode()
    assert table_rows(html, "projects-table") == [["该年度没有项目。"]]
    html = admin.get(
        "/dashboards/projects/", {"year": "2023", "region": "辽宁省"}
    ).content.decode()
    assert [row[0] for row in table_rows(html, "projects-table")] == [
        "12345热线平台运营及人员外包"
    ]


def test_the_filters_offer_only_what_the_user_sees(
    login: Callable[..., Client],
) -> None:
    finance = login("tj-czj", Role.FINANCE)
    html = finance.get("/dashboards/projects/").content.decode()
    region_select = html.split('name="region"')[1].split("</select>")[0]
    year_select = html.split('name="year"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)"', region_select) == ["", "天津市"]
    assert re.findall(r'<option value="(\d+)"', year_select) == ["2020"]


def test_the_region_filter_offers_the_regions_of_the_projects_shown(
    login: Callable[..., Client],
) -> None:
    """Issue 13 item 9: the regions came from unit organisations only (天津市, 江苏省)
    while the projects shown were also Panjin's (辽宁省) and Shanghai's (上海市), whose
    implementing organisations are departments."""
    admin = login("tj-czj", Role.ADMINISTRATOR)
    html = admin.get("/dashboards/projects/").content.decode()
    region_select = html.split('name="region"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)"', region_select) == [
        "",
        "上海市",
        "天津市",
        "辽宁省",
    ]


def test_a_units_indicators_over_the_years(login: Callable[..., Client]) -> None:
    centre = login("tj-8890", Role.UNIT)
    html = centre.get("/dashboards/units/tj-8890/").content.decode()
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    assert captions == [
        "接通率（%）",
        "受理量（万件）",
        "每万接听量人工成本（万元）",
        "月均人数（人）",
    ]
    staff = html.split("<figcaption>月均人数（人）</figcaption>")[1]
    assert table_rows(staff) == [
        ["2018", "621", "—"],
        ["2019", "777", "—"],
        ["2020", "909", "—"],
    ]
    accepted = html.split("<figcaption>受理量（万件）</figcaption>")[1]
    assert table_rows(accepted) == [
        ["2018", "—", "—"],
        ["2019", "751.92", "—"],
        ["2020", "1,036.39", "750"],
    ]


def test_the_dashboards_cost_per_10k_calls_is_the_reports(
    login: Callable[..., Client],
) -> None:
    """每万接听量人工成本 on both dashboards is the figure of the evaluation report's 表 3
    (``kernel.metrics.labour_cost_per_10k_calls`` through the operating data): 8.99 万元 for
    Tianjin 2020 (9098.24 万元 / 1012.36 万次)."""
    tianjin = Organisation.objects.get(code="tj-8890")
    report = cost_table(organisation=tianjin, year=2020)
    assert report is not None
    assert report.current.cost_per_10k_calls == Decimal("8.99")
    admin = login("tj-czj", Role.ADMINISTRATOR)
    html = admin.get("/dashboards/projects/", {"year": "2020"}).content.decode()
    (row,) = table_rows(html, "projects-table")
    assert row[3] == str(report.current.cost_per_10k_calls)
    centre = login("tj-8890", Role.UNIT)
    html = centre.get("/dashboards/units/tj-8890/").content.decode()
    cost = html.split("<figcaption>每万接听量人工成本（万元）</figcaption>")[1]
    assert ["2020", "8.99", "—"] in table_rows(cost)

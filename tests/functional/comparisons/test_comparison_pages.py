"""The comparison page and its xlsx export, through the client: the seeds' figures as
published, the standard line on the chart, ranks, sources, bad filters, scope."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from budgets.models import Organisation
from tests.integration.comparisons.conftest import LIAONING_2023, centre, upload
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db

URL = reverse("comparisons:index")
EXPORT = reverse("comparisons:export")


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.fixture
def admin() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("comparisons-admin"))
    return client


@pytest.fixture
def liaoning() -> None:
    for code, (name, city, rows) in LIAONING_2023.items():
        upload(centre(code, name, region="辽宁省", city=city), rows)
    Organisation.objects.create(
        code="ln-czt",
        name="辽宁省财政厅",
        kind=Organisation.Kind.FINANCE_BUREAU,
        region="辽宁省",
        city="",
    )


def _rows(html: str) -> list[str]:
    body = html.split('id="ranking"', 1)[1].split("</table>", 1)[0]
    return [row.split("</tr>")[0] for row in body.split("<tr data-organisation=")[1:]]


def test_tianjin_2020_answer_rate_with_the_standard_line(admin: Client) -> None:
    response = admin.get(URL, {"year": "2020", "kpi": "answer-rate"})
    assert response.status_code == 200
    html = response.content.decode()
    (row,) = _rows(html)
    assert '"tj-8890"' in row
    assert '<td class="num rank">1 / 1</td>' in row
    assert '<td class="num value">96.12%</td>' in row
    assert "1,012.36 万次 / 1,053.2 万次" in row
    assert '<span class="meets">达标</span>' in row
    assert '<span class="source published"' in row and ">公开报告数</span>" in row
    assert (
        "GB/T 33358-2016《政府热线服务规范》：连续 24 小时内呼叫接通率应大于等于 95%"
        in html
    )
    # the line at 95 on a 0–100 % axis: 190 + 370 × 95 / 100 = 541 (operations.charts)
    assert '<line x1="541" y1="0" x2="541"' in html and 'class="reference"' in html
    # the matrix: every KPI Tianjin has in 2020, with its rank
    matrix = html.split('id="matrix"', 1)[1].split("</table>", 1)[0]
    assert 'data-kpi="labour-cost-per-10k-calls"' in matrix
    assert '8.99 <span class="rank">#1</span>' in matrix
    assert '1.10% <span class="rank">#1</span>' in matrix
    assert 'data-kpi="completion-rate"' not in matrix


def test_15_second_rate_cites_the_standard_without_a_line(admin: Client) -> None:
    html = admin.get(URL, {"year": "2020", "kpi": "answer-15s-rate"}).content.decode()
    assert "GB/T 33358-2016《政府热线服务规范》要求电话受理在 15 秒之内接听" in html
    assert "您有权查看的中心在该年度都没有这项指标。" in html
    assert 'class="reference"' not in html


def test_ranks_sources_and_the_orange_bar_below_the_standard(
    admin: Client, liaoning: None
) -> None:
    html = admin.get(URL, {"year": "2023", "kpi": "answer-rate"}).content.decode()
    rows = _rows(html)
    assert [r.split('"')[1] for r in rows] == [
        "sy-12345",
        "pj-yshj",
        "as-12345",
        "dl-12345",
    ]
    assert [r.split('<td class="num rank">')[1].split("<")[0] for r in rows] == [
        "1 / 4",
        "1 / 4",
        "3 / 4",
        "4 / 4",
    ]
    assert '<span class="misses">未达标</span>' in rows[3]
    assert ">上传运行数据</span>" in rows[3]
    assert "重构" in rows[1]  # Panjin's counts are read back from its rates
    spread = html.split('id="spread"', 1)[1].split("</dl>", 1)[0]
    for label, value in [
        ("中心数", "4"),
        ("最低", "94.50%"),
        ("中位数", "97.01%"),
        ("最高", "98.01%"),
        ("极差", "3.51 个百分点"),
        ("未达标", "1"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in spread
    assert 'class="bar below"' in html  # Dalian's bar


def test_a_bad_year_or_indicator_is_refused_and_the_default_shown(
    admin: Client,
) -> None:
    response = admin.get(URL, {"year": "1999", "kpi": "answer-rate"}, follow=True)
    html = response.content.decode()
    assert "您有权查看的中心没有 1999 年的运行数据：已显示最近的年度。" in html
    assert '<option value="2023" selected>' in html
    response = admin.get(URL, {"year": "abc", "kpi": "calls-offered"})
    html = response.content.decode()
    assert "“calls-offered”不是可比较的指标：已显示接通率。" in html
    assert "<h2>接通率（2023）</h2>" in html


def test_scope_a_city_never_sees_another_and_the_province_sees_its_cities(
    liaoning: None,
) -> None:
    tianjin = log_in_as("tj-fin-cmp", "tj-czj", "finance")
    html = tianjin.get(URL, {"year": "2023"}).content.decode()
    assert "盘锦" not in html and "大连" not in html
    assert "<h2>接通率（2020）</h2>" in html
    assert tianjin.get(EXPORT, {"year": "2023"}).status_code == 200
    book = load_workbook(io.BytesIO(tianjin.get(EXPORT, {"year": "2023"}).content))
    names = {row[4] for row in book["指标比较"].iter_rows(min_row=3, values_only=True)}
    assert "盘锦市营商环境建设局" not in names
    assert "天津市便民专线服务中心" in names

    province = log_in_as("ln-fin-cmp", "ln-czt", "finance")
    html = province.get(URL).content.decode()
    assert [r.split('"')[1] for r in _rows(html)] == [
        "sy-12345",
        "pj-yshj",
        "as-12345",
        "dl-12345",
    ]
    assert "天津" not in html

    evaluator = log_in_as("ev-cmp", "tj-evaluator", "evaluator")
    html = evaluator.get(URL).content.decode()
    assert "您有权查看的中心尚无运行数据。" in html


def test_export_reads_back_cell_by_cell(admin: Client, liaoning: None) -> None:
    response = admin.get(EXPORT, {"year": "2023"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "2023.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    # numbers are numbers in the sheet (read back as floats)
    assert book.sheetnames == ["指标比较", "离散程度"]
    figures = book["指标比较"]
    assert (
        figures["A1"].value == "2023 年热线运行指标比较（由各中心计数按同一口径计算）"
    )
    rows = [
        r for r in figures.iter_rows(min_row=3, values_only=True) if r[0] == "接通率"
    ]
    assert [(r[2], r[3], r[4], r[7], r[12], r[13], r[14]) for r in rows] == [
        (1, 4, "沈阳市12345热线服务中心", 98.01, "≥95%", "达标", "上传运行数据"),
        (
            1,
            4,
            "盘锦市营商环境建设局",
            98.01,
            "≥95%",
            "达标",
            "公开报告数（计数由公开比率反推）",
        ),
        (3, 4, "鞍山市12345热线服务中心", 96.00, "≥95%", "达标", "上传运行数据"),
        (4, 4, "大连市12345热线服务中心", 94.50, "≥95%", "未达标", "上传运行数据"),
    ]
    assert (rows[1][8], rows[1][9], rows[1][10], rows[1][11]) == (
        294030,
        "次",
        300000,
        "次",
    )
    spread = {r[0]: r for r in book["离散程度"].iter_rows(min_row=3, values_only=True)}
    assert spread["接通率"][2:9] == (
        "越高越好",
        4,
        94.50,
        98.01,
        97.01,
        3.51,
        1,
    )
    assert spread["回访率"][10] == "盘锦市营商环境建设局"  # set aside, named
    assert spread["月均人员流失率"][2:5] == ("越低越好", 2, 2.00)


def test_the_page_reads_the_same_queries_for_one_centre_or_five(
    admin: Client,
) -> None:
    with CaptureQueriesContext(connection) as one:
        assert admin.get(URL, {"year": "2023"}).status_code == 200
    for code, (name, city, rows) in LIAONING_2023.items():
        upload(centre(code, name, region="辽宁省", city=city), rows)
    upload(
        centre("fs-12345", "抚顺市12345热线服务中心", region="辽宁省", city="抚顺市"),
        [("呼入量", "2023", 1000, "次"), ("接听量", "2023", 990, "次")],
    )
    with CaptureQueriesContext(connection) as five:
        html = admin.get(URL, {"year": "2023"}).content.decode()
    assert len(_rows(html)) == 5
    assert len(five) == len(one)

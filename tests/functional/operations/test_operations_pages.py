"""The operating-data pages: upload, preview with errors, confirm, files, monitoring, scoping."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from operations.models import Metric, OperatingDataUpload, OperatingValue
from tests.integration.operations.files import row, xlsx
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture
def clerk(client: Client) -> Client:
    return log_in_as(
        "天津填报员", "tj-8890", Role.UNIT, client=client, first_name="天津填报员"
    )


@pytest.fixture
def other() -> Client:
    return log_in_as(
        "盘锦填报员", "pj-yshj", Role.UNIT, client=Client(), first_name="盘锦填报员"
    )


@pytest.fixture
def finance() -> Client:
    return log_in_as(
        "天津财政", "tj-czj", Role.FINANCE, client=Client(), first_name="天津财政"
    )


def upload(client: Client, content: bytes, name: str = "2021年运行数据.xlsx") -> object:
    return client.post(
        reverse("operations:upload"), {"file": SimpleUploadedFile(name, content)}
    )


def test_a_clerk_uploads_previews_and_confirms(clerk: Client) -> None:
    response = upload(
        clerk, xlsx([row("呼入量", 2021, 1000), row("接听量", 2021, 950)])
    )
    pending = OperatingDataUpload.objects.get(original_name="2021年运行数据.xlsx")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == reverse(
        "operations:upload_detail", args=[pending.pk]
    )  # type: ignore[index]
    preview = clerk.get(response["Location"])  # type: ignore[index]
    html = preview.content.decode()
    assert "预览：尚未导入。" in html
    assert "确认导入" in html
    assert not OperatingValue.objects.filter(year=2021).exists()

    done = clerk.post(
        reverse("operations:upload_confirm", args=[pending.pk]), follow=True
    )
    assert "已导入：新增 2 项、更新 0 项、未变化 0 项。" in done.content.decode()
    assert sorted(
        OperatingValue.objects.filter(year=2021).values_list("value", flat=True)
    ) == [Decimal(950), Decimal(1000)]
    pending.refresh_from_db()
    assert (pending.status, pending.uploaded_by.username) == ("committed", "天津填报员")  # type: ignore[union-attr]


def test_errors_are_listed_with_row_column_and_message_and_nothing_is_kept(
    clerk: Client, media: Path
) -> None:
    response = upload(
        clerk, xlsx([row("呼入量", 2021, "1,000"), row("接听量", "2021-13", 950)])
    )
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "文件“2021年运行数据.xlsx”未导入，数据未作任何更改。" in html
    cells = re.findall(
        r'<td class="where">(.*?)</td>\s*<td class="where">(.*?)</td>\s*<td class="error">(.*?)</td>',
        html,
    )
    assert cells == [
        ("第 2 行", "D（数值）", "数值“1,000”含千位分隔符：请去掉逗号，填写“1000”"),
        ("第 3 行", "C（期间）", "期间“2021-13”的月份须在 1–12 之间：一年只有 12 个月"),
    ]
    assert not OperatingDataUpload.objects.filter(
        original_name="2021年运行数据.xlsx"
    ).exists()
    assert list(media.rglob("*.xlsx")) == []


def test_a_file_that_is_no_spreadsheet_is_refused_on_the_page(clerk: Client) -> None:
    html = upload(clerk, b"%PDF-1.7", "报告.pdf").content.decode()  # type: ignore[attr-defined]
    assert "只接受 .xlsx 或 .csv 文件（收到的是“报告.pdf”）" in html


def test_the_template_round_trips(clerk: Client) -> None:
    response = clerk.get(reverse("operations:template"), {"year": 2021}, follow=True)
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["运行数据", "指标目录", "填写说明"]
    sheet = workbook["运行数据"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("填报单位", "指标", "期间", "数值", "单位", "备注")
    entered = Metric.objects.filter(is_custom=False, formula="").count()
    assert len(rows) - 1 == entered
    assert rows[1] == ("天津市便民专线服务中心", "呼入量", "2021", None, "次", None)
    sheet["D2"] = 1000
    sheet["D3"] = 900
    filled = io.BytesIO()
    workbook.save(filled)
    assert upload(clerk, filled.getvalue(), "filled.xlsx").status_code == 302  # type: ignore[attr-defined]
    pending = OperatingDataUpload.objects.get(original_name="filled.xlsx")
    assert (pending.rows_created, pending.rows_blank) == (2, entered - 2)


def test_the_original_file_is_downloaded_as_uploaded(
    clerk: Client, finance: Client
) -> None:
    content = xlsx([row("呼入量", 2021, 1000)])
    upload(clerk, content)
    pending = OperatingDataUpload.objects.get(original_name="2021年运行数据.xlsx")
    for client in (clerk, finance):
        response = client.get(reverse("operations:upload_file", args=[pending.pk]))
        assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
        assert "2021%E5%B9%B4" in response["Content-Disposition"]


def test_other_organisations_see_nothing_and_other_roles_cannot_upload(
    clerk: Client, other: Client, finance: Client
) -> None:
    upload(clerk, xlsx([row("呼入量", 2021, 1000)]))
    pending = OperatingDataUpload.objects.get(original_name="2021年运行数据.xlsx")
    for url in (
        reverse("operations:upload_detail", args=[pending.pk]),
        reverse("operations:upload_file", args=[pending.pk]),
        reverse("operations:year", args=["tj-8890", 2020]),
        reverse("operations:workbook", args=["tj-8890", 2020]),
        reverse("operations:monitoring", args=["tianjin-2020"]),
    ):
        assert other.get(url).status_code == 404, url
    assert (
        other.post(reverse("operations:upload_confirm", args=[pending.pk])).status_code
        == 404
    )
    assert (
        finance.get(reverse("operations:upload_detail", args=[pending.pk])).status_code
        == 200
    )
    assert (
        finance.post(
            reverse("operations:upload_confirm", args=[pending.pk])
        ).status_code
        == 403
    )
    assert finance.get(reverse("operations:upload")).status_code == 403
    assert finance.post(reverse("operations:metrics"), {"name": "x"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert Client().get(reverse("operations:upload")).status_code == 302


def test_the_monitoring_page_shows_tianjin_answer_rate_against_its_target(
    finance: Client,
) -> None:
    old = finance.get(reverse("operations:monitoring", args=["tianjin-2020"]))
    assert (old.status_code, old["Location"]) == (
        301,
        "/targets/tianjin-2020/monitoring/",
    )
    html = finance.get(old["Location"]).content.decode()
    row_html = re.search(r'<tr id="monitor-\d+">\s*<td>接通率<.*?</tr>', html, re.S)
    assert row_html is not None
    # an inline <span> (the source, marked lang="zh-Hans") is no break in the text
    inline = re.sub(r"</?span[^>]*>", "", row_html.group(0))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline)).strip()
    uploaded = re.search(r"（(\d{4}-\d\d-\d\d \d\d:\d\d)，种子数据）", text)
    assert uploaded is not None
    assert text == (
        "接通率 指标库指标：接通率 大于 90% 96.12% 96.12% = 1012.36 万次 ÷ 1053.2 万次"
        "（运行数据上传“tianjin-8890-2018-2020.xlsx”（"
        + uploaded.group(1)
        + "，种子数据）） 达成 实际值 &gt; 90%"
    )
    assert "19 个三级指标" in html


def test_the_panjin_monitoring_page_shows_the_five_rates(other: Client) -> None:
    html = other.get("/targets/panjin-2023/monitoring/").content.decode()
    for figure in ("98.01%", "98.33%", "75.53%", "99.88%", "91.43%", "52 人"):
        assert figure in html
    assert html.count('<td class="result met">达成') == 6


def test_the_year_page_shows_figures_rates_and_the_cost_table(finance: Client) -> None:
    html = finance.get(
        reverse("operations:year", args=["tj-8890", 2020])
    ).content.decode()
    assert "1012.36 万次" in html
    assert "96.12%" in html
    assert "10.58" in html and "-15.03%" in html and "59.56%" in html
    assert "tianjin-8890-2018-2020.xlsx" in html


def test_a_clerk_adds_a_custom_metric_on_the_page(clerk: Client) -> None:
    response = clerk.post(
        reverse("operations:metrics"),
        {
            "name": "短信回复量",
            "kind": "count",
            "unit": "条",
            "aggregation": "sum",
            "description": "",
        },
        follow=True,
    )
    assert "已添加自定义指标“短信回复量”，可在模板中填报。" in response.content.decode()
    assert Metric.objects.get(name="短信回复量").organisation.code == "tj-8890"  # type: ignore[union-attr]

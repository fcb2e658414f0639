"""The records pages: import in the browser's code path, the reconciliation of a year (also
on the operating-data year page), the xlsx verification sheet, the column mapping, and who
may see and do what."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from records.models import ColumnMapping, RecordImport, RecordPartition
from tests.integration.records.conftest import report
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db

CALLS = (
    "话单编号,热线中心,到达时间,接听时间,结束时间\r\n"
    "1,tj-8890,2021-01-05 08:00:00,2021-01-05 08:00:09,2021-01-05 08:03:00\r\n"
    "2,tj-8890,2021-01-05 09:00:00,,2021-01-05 09:00:40\r\n"
    "3,tj-8890,2021-01-06 10:00:00,2021-01-06 10:00:20,2021-01-06 10:05:00\r\n"
)


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture
def clerk(client: Client) -> Client:
    return log_in_as("天津填报员", "tj-8890", Role.UNIT, client=client)


def _upload(client: Client, content: bytes, name: str = "话单.csv") -> object:
    return client.post(
        reverse("records:index"),
        {"kind": "calls", "year": "2021", "file": SimpleUploadedFile(name, content)},
    )


def test_clerk_imports_calls_and_sees_the_reconciliation(clerk: Client) -> None:
    from budgets.models import Organisation

    tianjin = Organisation.objects.get(code="tj-8890")
    report(tianjin, [("呼入量", "2021-01", 3, "次"), ("接听量", "2021-01", 3, "次")])
    response = _upload(clerk, CALLS.encode("gbk"))
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == reverse("records:year", args=["tj-8890", 2021])  # type: ignore[index]
    page = clerk.get(response["Location"]).content.decode()  # type: ignore[index]
    assert "已导入 3 条话单（1月）" in page
    assert 'data-metric="calls-offered" data-period="2021-01"' in page
    operations_page = clerk.get(reverse("operations:year", args=["tj-8890", 2021]))
    text = operations_page.content.decode()
    assert "与原始记录核验" in text
    # for the year (summed from January) and January: 呼入量 3 = 3 (一致); 接听量
    # reported 3, recomputed 2 (差异, −1); 接通率 100% against 66.67%
    assert text.count('class="verdict-cell ok"><span lang="zh">一致') == 2
    assert text.count('class="verdict-cell bad"><span lang="zh">差异') == 4
    sheet = clerk.get(reverse("records:workbook", args=["tj-8890", 2021]))
    rows = list(
        load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
    )
    assert rows[1][:3] == ("指标", "期间", "上报值")
    assert [(r[0], r[1], r[4], r[5], r[6], r[10]) for r in rows[2:8]] == [
        ("呼入量", "2021年", 3, 3, 0, "一致"),
        ("呼入量", "2021年1月", 3, 3, 0, "一致"),
        ("接听量", "2021年", 3, 2, -1, "差异"),
        ("接听量", "2021年1月", 3, 2, -1, "差异"),
        ("接通率", "2021年", 100, 66.67, -33.33, "差异"),
        ("接通率", "2021年1月", 100, 66.67, -33.33, "差异"),
    ]


def test_a_bad_file_is_named_and_nothing_changes(clerk: Client) -> None:
    response = _upload(
        clerk,
        (CALLS + "3,tj-8890,2021-01-07 10:00:00,,2021-01-07 10:01:00\r\n").encode(),
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    text = response.content.decode()  # type: ignore[attr-defined]
    assert "文件“话单.csv”未导入，数据未作任何更改。" in text
    assert "“话单编号”重复 1 次（同一编号只能出现一次）：“3”在第 4、5 行" in text
    assert RecordImport.objects.count() == 0
    assert RecordPartition.objects.count() == 0
    # the way back: the corrected file goes in
    assert _upload(clerk, CALLS.encode()).status_code == 302  # type: ignore[attr-defined]


def test_an_empty_file_is_refused_by_the_form(clerk: Client) -> None:
    response = _upload(clerk, b"")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "所提交的是空文件。" in response.content.decode()  # type: ignore[attr-defined]
    assert RecordImport.objects.count() == 0


def test_a_file_over_the_browser_limit_is_refused(
    clerk: Client, settings: object
) -> None:
    settings.RECORDS_LIMITS = {"max_bytes": 100}  # type: ignore[attr-defined]
    response = _upload(clerk, CALLS.encode())
    assert "超过网页上传的上限 100 字节" in response.content.decode()  # type: ignore[attr-defined]
    assert RecordImport.objects.count() == 0


def test_column_mapping_is_saved_for_the_centre(clerk: Client) -> None:
    response = clerk.post(
        reverse("records:mapping", args=["calls"]), {"call_id": "CallID", "centre": ""}
    )
    assert response.status_code == 302
    mapping = ColumnMapping.objects.get(organisation__code="tj-8890", kind="calls")
    assert mapping.columns == {"call_id": "CallID"}
    page = clerk.get(reverse("records:mapping", args=["calls"])).content.decode()
    assert 'value="CallID"' in page


def test_another_centre_sees_nothing_and_cannot_import_for_tianjin(
    clerk: Client,
) -> None:
    assert _upload(clerk, CALLS.encode()).status_code == 302  # type: ignore[attr-defined]
    other = log_in_as("盘锦填报员", "pj-yshj", Role.UNIT, client=Client())
    assert other.get(reverse("records:year", args=["tj-8890", 2021])).status_code == 404
    assert (
        other.get(reverse("records:workbook", args=["tj-8890", 2021])).status_code
        == 404
    )
    assert (
        "天津市便民专线服务中心"
        not in other.get(reverse("records:index")).content.decode()
    )
    # its own upload is checked against its own name: Tianjin's records are refused
    response = _upload(other, CALLS.encode())
    assert "“热线中心”不是本单位" in response.content.decode()  # type: ignore[attr-defined]
    assert RecordImport.objects.filter(organisation__code="pj-yshj").count() == 0


def test_finance_reads_but_cannot_import(clerk: Client) -> None:
    assert _upload(clerk, CALLS.encode()).status_code == 302  # type: ignore[attr-defined]
    finance = log_in_as("天津财政", "tj-czj", Role.FINANCE, client=Client())
    assert (
        finance.get(reverse("records:year", args=["tj-8890", 2021])).status_code == 200
    )
    assert _upload(finance, CALLS.encode()).status_code == 403  # type: ignore[attr-defined]
    assert finance.get(reverse("records:mapping", args=["calls"])).status_code == 403
    assert RecordImport.objects.count() == 1


def test_the_template_is_the_column_contract(clerk: Client) -> None:
    response = clerk.get(reverse("records:template", args=["calls"]))
    text = response.content.decode("utf-8-sig")
    header, example = text.splitlines()
    assert (
        header
        == "话单编号,热线中心,中继线路,到达时间,接听时间,结束时间,坐席工号,队列,放弃,转接"
    )
    assert example.startswith(
        "202003010001,天津市便民专线服务中心,中继01,2020-03-01 08:00:05,"
    )
    assert clerk.get(reverse("records:template", args=["faxes"])).status_code == 404

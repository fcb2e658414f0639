"""Hostile uploads through /operations/upload/ as the hotline centre's user (tj-centre):
each refused in Chinese within a second and well under 200 MB, nothing written."""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role
from budgets.models import Organisation
from operations.models import OperatingDataUpload, OperatingValue, OperatingValueChange
from tests.hostile_files import (
    CRASH_WORKBOOK,
    HEADER_ROW,
    raw_workbook,
    redos_csv,
    sheet_xml,
)

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture
def centre(client: Client) -> Client:
    user = User.objects.create_user("tj-centre")
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code="tj-8890"), role=Role.UNIT
    )
    client.force_login(user)
    # Load the page once, so that what is measured is the refusal, not the first
    # request's imports and template compilation.
    assert client.get(reverse("operations:upload")).status_code == 200
    return client


def stored(media: Path) -> tuple[int, int, int, list[Path]]:
    return (
        OperatingDataUpload.objects.count(),
        OperatingValue.objects.count(),
        OperatingValueChange.objects.count(),
        sorted(p for p in media.rglob("*") if p.is_file()),
    )


def measured(run: Callable[[], object]) -> tuple[object, float, int]:
    """(result, seconds, peak bytes traced)."""
    tracemalloc.start()
    began = time.perf_counter()
    try:
        result = run()
    finally:
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, seconds, peak


def post_file(client: Client, name: str, content: bytes) -> object:
    return client.post(
        reverse("operations:upload"), {"file": SimpleUploadedFile(name, content)}
    )


def test_the_crash_workbook_is_refused_in_chinese_and_the_server_lives(
    centre: Client, media: Path
) -> None:
    before = stored(media)
    response, seconds, peak = measured(
        lambda: post_file(centre, "运行数据.xlsx", CRASH_WORKBOOK)
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert (
        "工作表实际使用到第 1048576 行、第 F 列，超过上限（数据最多 20,000 行、20 列）"
        in response.content.decode()  # type: ignore[attr-defined]
    )
    assert seconds < 1.0
    assert peak < 200 * MB
    assert stored(media) == before


def test_the_redos_cell_is_refused_within_a_second(centre: Client, media: Path) -> None:
    before = stored(media)
    response, seconds, peak = measured(
        lambda: post_file(centre, "运行数据.csv", redos_csv(40_000))
    )
    problems = response.context["outcome"].problems  # type: ignore[attr-defined]
    assert [(p.row, p.column, p.message) for p in problems] == [
        (
            2,
            "D",
            "单元格 D2 有 40,004 个字符，超过每个单元格 32,767 个字符的上限："
            "请缩短内容后重新上传",
        )
    ]
    assert seconds < 1.0
    assert peak < 200 * MB
    assert stored(media) == before


class Endless(io.RawIOBase):
    """A request body that would be 1 GB if anyone read it; counts what is read."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = len(buffer)
        buffer[:size] = b"\0" * size
        self.read_bytes += size
        return size


@pytest.fixture
def endless() -> Iterator[Endless]:
    yield Endless()


@pytest.mark.parametrize(
    "path", ["/operations/upload/", "/targets/tianjin-2020/import/"]
)
def test_a_1_gb_upload_is_refused_before_its_body_is_read(
    centre: Client, media: Path, endless: Endless, path: str
) -> None:
    before = stored(media)
    response, seconds, peak = measured(
        lambda: centre.generic(
            "POST",
            path,
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(1024**3),
            **{"wsgi.input": endless},
        )
    )
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert (
        "上传的内容有 1 GB，超过每次上传 25 MB 的上限，服务器没有接收"
        in response.content.decode()  # type: ignore[attr-defined]
    )
    assert endless.read_bytes == 0
    assert seconds < 1.0
    assert peak < 200 * MB
    assert stored(media) == before


def test_a_body_of_unknown_length_is_refused_unread(
    centre: Client, media: Path, endless: Endless
) -> None:
    response = centre.generic(
        "POST",
        "/operations/upload/",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": endless},
    )
    assert response.status_code == 411
    assert "请求没有注明内容长度（Content-Length）" in response.content.decode()
    assert endless.read_bytes == 0


def test_an_error_value_in_a_figure_is_reported_not_skipped(
    centre: Client, media: Path
) -> None:
    rows = (
        "<row r='2'><c r='A2' t='inlineStr'><is><t>天津市便民专线服务中心</t></is></c>"
        "<c r='B2' t='inlineStr'><is><t>接听量</t></is></c>"
        "<c r='C2' t='inlineStr'><is><t>2021</t></is></c>"
        "<c r='D2' t='e'><v>#DIV/0!</v></c></row>"
    )
    before = stored(media)
    response = post_file(
        centre, "运行数据.xlsx", raw_workbook(sheet_xml(HEADER_ROW + rows))
    )
    html = response.content.decode()  # type: ignore[attr-defined]
    assert (
        "单元格 D2 是错误值“#DIV/0!”（公式出错的结果）：请填写实际的数值，或删除这一格"
        in html
    )
    assert stored(media) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "填报单位,指标,期间,数值\r\n".encode("utf-16"),
            "CSV 文件是 UTF-16 编码（Excel 的“Unicode 文本”）",
        ),
        (
            "填报单位,指标,期间,数值\r\n中心,接\0听量,2021,1\r\n".encode(),
            "单元格 B2 含控制字符 U+0000",
        ),
        (
            f'填报单位,指标,期间,数值,单位,备注\r\n中心,接听量,2021,1,次,"{"x" * 140_000}"\r\n'.encode(),
            "第 2 行的一个单元格 有 32,767+ 个字符，超过每个单元格 32,767 个字符的上限",
        ),
    ],
    ids=["utf-16", "nul", "long-field"],
)
def test_csv_refusals_say_what_is_wrong(
    centre: Client, media: Path, content: bytes, message: str
) -> None:
    before = stored(media)
    html = post_file(centre, "运行数据.csv", content).content.decode()  # type: ignore[attr-defined]
    assert message in html
    assert "看起来是 Excel 工作簿" not in html
    assert "引号不配对" not in html
    assert stored(media) == before

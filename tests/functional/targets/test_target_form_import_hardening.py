"""Hostile workbooks through /targets/<code>/import/: refused in Chinese by the kernel's
opener before openpyxl loads them, within a second and well under 200 MB, nothing changed."""

from __future__ import annotations

import io
import random
import time
import tracemalloc
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from accounts.models import Role
from tests.functional.targets.test_target_form_import_pages import (
    form_fields,
    history_counts,
    indicator_tree,
)
from tests.hostile_files import bomb_workbook, raw_workbook, sheet_xml, wide_workbook

pytestmark = pytest.mark.django_db

CODE = "tianjin-2020"
MB = 1024 * 1024


def wide_varied(rows: int = 3, columns: int = 100) -> bytes:
    """A sheet wider than a form, with varied numbers so it does not look like a bomb."""
    figures = random.Random(7)
    body = "".join(
        "<row>"
        + "".join(f"<c><v>{figures.random()}</v></c>" for _ in range(columns))
        + "</row>"
        for _ in range(rows)
    )
    return raw_workbook(sheet_xml(body), name="Sheet1")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            wide_workbook(100, 16_384),
            "工作簿解压后超过上限 20 MB（至少 23.4 MB），疑似压缩炸弹，已拒绝。",
        ),
        (
            wide_varied(),
            "工作表实际使用到第 1 行、第 AE 列，超过上限（数据最多 2,000 行、30 列）",
        ),
        (
            bomb_workbook(200),
            "工作簿解压后超过上限 20 MB（至少 200 MB），疑似压缩炸弹，已拒绝",
        ),
    ],
    ids=["100x16384", "wide", "zip-bomb"],
)
def test_a_hostile_workbook_is_refused_before_it_is_loaded(
    login: Callable[..., Client], content: bytes, message: str
) -> None:
    client = login("tj-8890", Role.UNIT, "tj-centre")
    assert client.get(f"/targets/{CODE}/").status_code == 200  # warm the page
    before = (form_fields(CODE), indicator_tree(CODE), history_counts(CODE))
    upload = io.BytesIO(content)
    upload.name = "form.xlsx"
    tracemalloc.start()
    began = time.perf_counter()
    response = client.post(f"/targets/{CODE}/import/", {"file": upload})
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and shown[0].startswith(message), shown
    assert seconds < 1.0
    assert peak < 200 * MB
    assert (form_fields(CODE), indicator_tree(CODE), history_counts(CODE)) == before


def test_a_file_over_2_mb_is_refused_by_its_size_before_it_is_read(
    login: Callable[..., Client],
) -> None:
    client = login("tj-8890", Role.UNIT, "tj-centre")
    upload = io.BytesIO(b"PK\x03\x04" + b"\0" * (3 * MB))
    upload.name = "form.xlsx"
    response = client.post(f"/targets/{CODE}/import/", {"file": upload})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "文件大小 3 MB 超过上限 2 MB。"
    ]

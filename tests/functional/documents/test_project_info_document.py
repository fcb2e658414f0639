"""Seed 000's 项目基本情况表 printed as a document of its own (issue 14 item 5): PDF and xlsx
through the documents kinds, its page scoped like the project."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_render
from tests.functional.documents.layout import Layout
from tests.functional.documents.readback import read_back, squash

pytestmark = pytest.mark.django_db


def _document(code: str, format: DocumentFormat) -> bytes:
    doctype = document_type(DocumentKind.PROJECT_INFO)
    assert doctype is not None
    return document_render(doctype, doctype.build(code), format)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_tianjin_project_information_sheet_prints_every_field_in_its_row() -> None:
    pdf = _document("tianjin-2020", DocumentFormat.PDF)
    back = read_back(pdf)
    assert back.row_with("项目名称", "天津市便民专线服务中心运行经费")
    assert back.row_with(
        "主管预算部门",
        "天津市人民政府政务服务(营商环境)办公室",
        "项目实施单位",
        "天津市便民专线服务中心",
    )
    assert back.row_with("项目负责人", "许春梅", "联系电话", "022-24538025")
    assert back.row_with("项目起止时间", "2020年1月-2020年12月")
    assert back.row_with("项目实施内容", "计划启动时间", "计划完成时间")
    assert back.row_with(
        "招聘新员工", "2020年初", "2020年底,根据实际情况,分阶段招录,补充队伍。"
    )
    assert back.row_with("租赁中继线路、专线链路", "2020年1月", "2020年12月")
    assert back.row_with(
        "对员工开展入职培训、在岗培训、专项培训", "2020年初", "每月进行培训"
    )
    text = squash(back.text)
    for label in ["项目立项情况", "项目立项依据", "项目申报可行性", "项目申报必要性"]:
        assert label in text
    assert (
        "为保障接通率,更及时地为企业群众服务" in text
    )  # 必要性, as the seed prints it
    # the fixtures' marker of an unreadable source says so in words
    assert "〔原文不清〕" not in text
    assert "（原文此处无法辨认）" in text
    layout = Layout(pdf)
    assert layout.title_lines() == ["项目基本情况表"]
    assert layout.outside_margins(16, 16) == []


def test_the_project_information_sheet_as_xlsx_holds_the_same_cells() -> None:
    sheet = load_workbook(
        BytesIO(_document("tianjin-2020", DocumentFormat.XLSX))
    ).active
    assert sheet is not None
    rows = [
        [c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)
    ]
    assert rows[0] == ["项目基本情况表"]
    assert ["项目负责人", "许春梅", "联系电话", "022-24538025"] in rows
    assert ["项目实施进度计划", "项目实施内容", "计划启动时间", "计划完成时间"] in rows
    assert [  # as the seed prints them, spaces included
        "招聘新员工",
        "2020 年初",
        "2020 年底,根据实际情况, 分阶段招录,补充队伍。",
    ] in rows


def test_the_page_is_for_those_who_see_the_project_and_linked_from_the_form(
    member: Callable[[str], Client],
) -> None:
    client = member("tj-8890")
    page = client.get(reverse("documents:page", args=["project_info", "tianjin-2020"]))
    assert page.status_code == 200
    assert "项目基本情况表" in page.content.decode()
    form_page = client.get(reverse("targets:detail", args=["tianjin-2020"]))
    assert (
        reverse("documents:page", args=["project_info", "tianjin-2020"])
        in form_page.content.decode()
    )
    other = client.get(reverse("documents:page", args=["project_info", "panjin-2023"]))
    assert other.status_code == 404

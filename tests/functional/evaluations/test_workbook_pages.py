"""The workbook pages: export for readers, import (preview, confirm) for scorers only."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.workbooks import workbook_export
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db

D = Decimal
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PANJIN_ROW = 22  # 产出 / 产出数量 / 话务接通率


@pytest.fixture
def pj_evaluator(client: Client) -> Client:
    return log_in_as(
        "pj-evaluator",
        "pj-yshj",
        Role.EVALUATOR,
        client=client,
        password="pw-for-tests-only",
    )


@pytest.fixture
def tj_evaluator(client: Client) -> Client:
    return log_in_as(
        "tj-evaluator",
        "tj-evaluator",
        Role.EVALUATOR,
        client=client,
        password="pw-for-tests-only",
    )


@pytest.fixture
def tj_finance(client: Client) -> Client:
    return log_in_as(
        "tj-finance",
        "tj-czj",
        Role.FINANCE,
        client=client,
        password="pw-for-tests-only",
    )


def _workbook(code: str, *edits: tuple[int, int, object]) -> SimpleUploadedFile:
    workbook = load_workbook(
        io.BytesIO(workbook_export(Evaluation.objects.get(code=code)))
    )
    sheet = workbook["评分表"]
    for row, column, value in edits:
        sheet.cell(row, column).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(f"{code}.xlsx", buffer.getvalue(), content_type=XLSX)


def _leaf() -> EvaluationIndicator:
    return EvaluationIndicator.objects.get(
        evaluation__code="panjin-2023", name="话务接通率"
    )


def _import_url(code: str = "panjin-2023") -> str:
    return reverse("evaluations:import_workbook", args=[code])


def test_the_evaluator_downloads_the_workbook(pj_evaluator: Client) -> None:
    response = pj_evaluator.get(
        reverse("evaluations:export_workbook", args=["panjin-2023"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''panjin-2023-%E8%AF%84%E4%BB%B7%E5%B7%A5%E4%BD%9C%E7%B0%BF.xlsx"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["评分表"][1]][:9] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "指标值",
        "实际完成值",
        "评分方法",
        "得分",
        "评分说明",
    ]


def test_the_scoring_page_links_export_and_import(pj_evaluator: Client) -> None:
    content = pj_evaluator.get(
        reverse("evaluations:detail", args=["panjin-2023"])
    ).content.decode()
    assert reverse("evaluations:export_workbook", args=["panjin-2023"]) in content
    assert _import_url() in content


def test_another_organisations_evaluator_gets_404(tj_evaluator: Client) -> None:
    export = reverse("evaluations:export_workbook", args=["panjin-2023"])
    assert tj_evaluator.get(export).status_code == 404
    assert tj_evaluator.get(_import_url()).status_code == 404
    response = tj_evaluator.post(
        _import_url(), {"workbook": _workbook("panjin-2023", (PANJIN_ROW, 8, 8))}
    )
    assert response.status_code == 404
    assert _leaf().final_score == D("10.00")


def test_a_reader_who_cannot_score_may_export_but_gets_403_on_import(
    tj_finance: Client,
) -> None:
    assert (
        tj_finance.get(
            reverse("evaluations:export_workbook", args=["tianjin-2020"])
        ).status_code
        == 200
    )
    assert tj_finance.get(_import_url("tianjin-2020")).status_code == 403
    response = tj_finance.post(
        _import_url("tianjin-2020"), {"workbook": _workbook("tianjin-2020")}
    )
    assert response.status_code == 403
    assert response.content.decode() == "您不能为该评价打分。"
    content = tj_finance.get(
        reverse("evaluations:detail", args=["tianjin-2020"])
    ).content.decode()
    assert _import_url("tianjin-2020") not in content


def test_upload_previews_then_confirm_imports(pj_evaluator: Client) -> None:
    upload = _workbook(
        "panjin-2023", (PANJIN_ROW, 8, 8), (PANJIN_ROW, 9, "高峰时段接通率偏低")
    )
    response = pj_evaluator.post(_import_url(), {"workbook": upload})
    assert response.status_code == 200
    report = response.context["report"]
    assert [(c.row, c.column, c.old, c.new) for c in report.changes] == [
        (22, "得分", "10.00", "8.00"),
        (22, "评分说明", _leaf().reason, "高峰时段接通率偏低"),
    ]
    assert (report.total_before, report.total_after) == (D("100.00"), D("98.00"))
    content = response.content.decode()
    assert "产出 / 产出数量 / 话务接通率" in content
    assert _leaf().final_score == D("10.00")  # a preview writes nothing

    response = pj_evaluator.post(
        _import_url(), {"payload": response.context["payload"]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:detail", args=["panjin-2023"])
    assert (_leaf().final_score, _leaf().reason) == (D("8.00"), "高峰时段接通率偏低")


def test_a_stale_or_forged_preview_is_not_imported(pj_evaluator: Client) -> None:
    upload = _workbook("panjin-2023", (PANJIN_ROW, 8, 9), (PANJIN_ROW, 9, "复核"))
    payload = pj_evaluator.post(_import_url(), {"workbook": upload}).context["payload"]
    leaf = _leaf()
    EvaluationIndicator.objects.filter(pk=leaf.pk).update(reason="在预览之后修改")
    response = pj_evaluator.post(_import_url(), {"payload": payload})
    assert response.status_code == 400
    assert response.context["report"].errors == [
        "预览之后评价的评分已被修改：请重新上传工作簿，确认新的预览后再导入。",
        "“话务接通率”：评分说明由“根据《关于2023年全省12345热线平台运行建设情况的通…”"
        "改为“在预览之后修改”。",
    ]
    response = pj_evaluator.post(_import_url(), {"payload": payload[:-2] + "xx"})
    assert response.status_code == 400
    assert response.context["errors"] == ["预览已过期或无效：请重新上传工作簿。"]
    assert _leaf().final_score == D("10.00")


def test_a_bad_workbook_shows_row_and_column_errors_and_changes_nothing(
    pj_evaluator: Client,
) -> None:
    upload = _workbook("panjin-2023", (PANJIN_ROW, 8, "十分"), (24, 8, 11))
    response = pj_evaluator.post(_import_url(), {"workbook": upload})
    assert response.status_code == 400
    assert response.context["report"].errors == [
        "第22行“得分”列：“十分”不是数字，请填写数字，如 8.5。",
        "第24行“得分”列：得分须在 0 至分值 10.00 之间。",
    ]
    assert response.context["payload"] == ""
    content = response.content.decode()
    assert "第22行“得分”列：“十分”不是数字，请填写数字，如 8.5。" in content
    assert 'name="payload"' not in content
    assert _leaf().final_score == D("10.00")


def test_a_file_that_is_not_a_workbook_gets_a_clear_message(
    pj_evaluator: Client,
) -> None:
    upload = SimpleUploadedFile("scores.xlsx", b"not a workbook", content_type=XLSX)
    response = pj_evaluator.post(_import_url(), {"workbook": upload})
    assert response.status_code == 400
    assert response.context["errors"] == [
        "这不是 Excel 工作簿（.xlsx）文件，无法读取：请上传从本系统导出的评价工作簿。"
    ]


def test_a_submitted_evaluation_refuses_import(pj_evaluator: Client) -> None:
    Evaluation.objects.filter(code="panjin-2023").update(
        status=Evaluation.Status.SUBMITTED
    )
    response = pj_evaluator.get(_import_url())
    assert response.status_code == 200
    assert "该评价已提交，不能再修改。" in response.content.decode()
    assert 'type="file"' not in response.content.decode()
    upload = _workbook("panjin-2023", (PANJIN_ROW, 8, 8), (PANJIN_ROW, 9, "复核"))
    response = pj_evaluator.post(_import_url(), {"workbook": upload})
    assert response.status_code == 409
    assert response.context["errors"] == ["该评价已提交，不能再修改。"]
    assert _leaf().final_score == D("10.00")

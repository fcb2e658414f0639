"""The evaluation workbook import: a 2 MB workbook previews and confirms (the preview is
kept on the server, the page posts back a short token), and hostile cells get Chinese
messages, not Python's."""

from __future__ import annotations

import io
import random
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Membership, Role
from budgets.models import Organisation
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.workbooks import workbook_export

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PANJIN_ROW = 22  # 产出 / 产出数量 / 话务接通率
URL = "/evaluations/panjin-2023/workbook/import/"


@pytest.fixture
def pj_evaluator(client: Client) -> Client:
    user = User.objects.create_user("pj-evaluator")
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code="pj-yshj"),
        role=Role.EVALUATOR,
    )
    client.force_login(user)
    return client


def _leaf() -> EvaluationIndicator:
    return EvaluationIndicator.objects.get(
        evaluation__code="panjin-2023", name="话务接通率"
    )


def _hanzi(count: int, seed: int) -> str:
    """Text that does not compress: random CJK ideographs."""
    chars = random.Random(seed)
    return "".join(chr(chars.randrange(0x4E00, 0x9FA5)) for _ in range(count))


def _workbook(score: object, reason: str, *, padding_cells: int = 0) -> bytes:
    workbook = load_workbook(
        io.BytesIO(workbook_export(Evaluation.objects.get(code="panjin-2023")))
    )
    sheet = workbook["评分表"]
    sheet.cell(PANJIN_ROW, 8).value = score
    sheet.cell(PANJIN_ROW, 9).value = reason
    if padding_cells:
        notes = workbook.create_sheet("附注")
        for row in range(1, padding_cells + 1):
            notes.cell(row, 1).value = _hanzi(30_000, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_2_mb_workbook_previews_and_confirms_with_a_short_token(
    pj_evaluator: Client,
) -> None:
    reason = _hanzi(30_000, 0)
    content = _workbook(8, reason, padding_cells=38)
    assert 2 * 1024 * 1024 <= len(content) < 3 * 1024 * 1024
    upload = SimpleUploadedFile("panjin-2023.xlsx", content, content_type=XLSX)
    preview = pj_evaluator.post(URL, {"workbook": upload})
    assert preview.status_code == 200
    token = preview.context["payload"]
    assert 0 < len(token) < 10_000  # the workbook (its cells) stays on the server
    confirmed = pj_evaluator.post(URL, {"payload": token})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("evaluations:detail", args=["panjin-2023"])
    assert (_leaf().final_score, _leaf().reason) == (Decimal("8.00"), reason)


def test_a_token_whose_workbook_is_gone_asks_for_the_upload_again(
    pj_evaluator: Client, settings: pytest.FixtureRequest, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    upload = SimpleUploadedFile("p.xlsx", _workbook(8, "复核"), content_type=XLSX)
    token = pj_evaluator.post(URL, {"workbook": upload}).context["payload"]
    settings.MEDIA_ROOT = tmp_path / "elsewhere"  # type: ignore[attr-defined,operator]
    response = pj_evaluator.post(URL, {"payload": token})
    assert response.status_code == 400
    assert response.context["errors"] == [
        "预览的工作簿已不在服务器上：请重新上传工作簿。"
    ]
    assert _leaf().final_score == Decimal("10.00")


def test_a_score_of_1e400_is_named_too_large(pj_evaluator: Client) -> None:
    upload = SimpleUploadedFile("p.xlsx", _workbook("1e400", "复核"), content_type=XLSX)
    response = pj_evaluator.post(URL, {"workbook": upload})
    assert response.status_code == 400
    errors = response.context["report"].errors
    assert any("“1e400”太大，不是分值或得分：请填写数字，如 8.5。" in e for e in errors)
    assert not any("InvalidOperation" in e for e in errors)
    assert _leaf().final_score == Decimal("10.00")

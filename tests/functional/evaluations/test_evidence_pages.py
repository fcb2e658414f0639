"""Evidence files: uploaded by the scorer, refused when wrong, served only in scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from evaluations.models import EvaluationIndicator, Evidence
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _leaf() -> EvaluationIndicator:
    return EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="坐席设置数量"
    )


def _url(leaf: EvaluationIndicator) -> str:
    return reverse("evaluations:evidence", args=["tianjin-2020", leaf.pk])


def test_the_evaluator_uploads_and_downloads_evidence(client: Client) -> None:
    evaluator = log_in_as("e", "tj-evaluator", Role.EVALUATOR, client=client)
    leaf = _leaf()
    upload = SimpleUploadedFile(
        "坐席清单.pdf", b"%PDF-1.4 seats", content_type="application/pdf"
    )
    response = evaluator.post(
        _url(leaf), {"file": upload, "description": "现场检查坐席清单"}
    )
    assert response.status_code == 302
    (evidence,) = Evidence.objects.filter(indicator=leaf)
    assert (evidence.description, evidence.uploaded_by.username) == (
        "现场检查坐席清单",
        "e",
    )
    download = evaluator.get(
        reverse(
            "evaluations:evidence_download", args=["tianjin-2020", leaf.pk, evidence.pk]
        )
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 seats"
    page = evaluator.get(reverse("evaluations:detail", args=["tianjin-2020"]))
    assert "佐证材料（1）" in page.content.decode()


def test_a_wrong_file_type_is_refused_with_a_message(client: Client) -> None:
    evaluator = log_in_as("e", "tj-evaluator", Role.EVALUATOR, client=client)
    upload = SimpleUploadedFile(
        "run.exe", b"MZ", content_type="application/octet-stream"
    )
    response = evaluator.post(_url(_leaf()), {"file": upload})
    assert response.status_code == 400
    assert "只接受以下文件类型" in response.content.decode()
    assert not Evidence.objects.exists()


def test_other_organisations_cannot_see_and_readers_cannot_upload(
    client: Client,
) -> None:
    leaf = _leaf()
    other = log_in_as("p", "pj-yshj", Role.EVALUATOR, client=client)
    assert other.get(_url(leaf)).status_code == 404
    client.logout()
    unit = log_in_as("u", "tj-8890", Role.UNIT, client=Client())
    assert unit.get(_url(leaf)).status_code == 200
    upload = SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")
    assert unit.post(_url(leaf), {"file": upload}).status_code == 403
    assert not Evidence.objects.exists()

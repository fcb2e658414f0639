"""Stored files on S3 (HOTLINE_PERF_STORAGE=s3, django-storages): against a local
S3-compatible server (moto's server mode), a centre uploads its operating data through the
page, a unit renders its target form (the embedded ImmediateBackend), an evaluator adds
evidence; each file is downloaded through its scoped view and is an object of the bucket,
and nothing is written to the local media folder."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from documents.models import RenderJob
from evaluations.models import EvaluationIndicator, Evidence
from hotline_perf.settings.storage import default_storage_from_environment
from operations.models import OperatingDataUpload
from tests.integration.operations.files import row, xlsx
from tests.personas import log_in_as
from tests.s3server import bucket_objects, s3_client, s3_environment, s3_server

pytestmark = pytest.mark.django_db
BUCKET = "hotline-files"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with s3_server() as url:
        s3_client(url).create_bucket(Bucket=BUCKET)
        yield url


@pytest.fixture(autouse=True)
def on_s3(settings: Any, endpoint: str, tmp_path: Path) -> Iterator[Path]:
    """The default storage is the bucket; MEDIA_ROOT an empty folder that must stay so."""
    client = s3_client(endpoint)
    for key in bucket_objects(endpoint, BUCKET):
        client.delete_object(Bucket=BUCKET, Key=key)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": default_storage_from_environment(s3_environment(endpoint, BUCKET)),
    }
    yield tmp_path / "media"
    assert not (tmp_path / "media").exists()


def body(response: Any) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_uploads_renders_and_evidence_live_in_the_bucket(endpoint: str) -> None:
    centre = log_in_as("天津填报员", "tj-8890", Role.UNIT)
    content = xlsx([row("呼入量", 2021, 1000), row("接听量", 2021, 950)])
    response = centre.post(
        reverse("operations:upload"),
        {"file": SimpleUploadedFile("2021年运行数据.xlsx", content)},
    )
    upload = OperatingDataUpload.objects.get(original_name="2021年运行数据.xlsx")
    assert response.status_code == 302
    confirmed = centre.post(
        reverse("operations:upload_confirm", args=[upload.pk]), follow=True
    )
    assert "已导入：新增 2 项、更新 0 项、未变化 0 项。" in confirmed.content.decode()
    original = body(centre.get(reverse("operations:upload_file", args=[upload.pk])))
    assert original == content

    centre.post(
        reverse("documents:render", args=["target_form", "tianjin-2020", "pdf"])
    )
    job = RenderJob.objects.get(object_code="tianjin-2020", format="pdf")
    assert job.status == RenderJob.Status.DONE
    pdf = body(centre.get(reverse("documents:download", args=[job.pk])))
    assert pdf.startswith(b"%PDF-") and len(pdf) == job.size

    evaluator = log_in_as("天津评价员", "tj-evaluator", Role.EVALUATOR)
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="坐席设置数量"
    )
    evidence_url = reverse("evaluations:evidence", args=["tianjin-2020", leaf.pk])
    for _ in range(2):  # the same name twice: two objects, neither overwritten
        evaluator.post(
            evidence_url,
            {
                "file": SimpleUploadedFile(
                    "坐席清单.pdf", b"%PDF-1.4 seats " + bytes([_])
                )
            },
        )
    first, second = Evidence.objects.filter(indicator=leaf).order_by("pk")
    evidence = [
        body(
            evaluator.get(
                reverse(
                    "evaluations:evidence_download",
                    args=["tianjin-2020", leaf.pk, item.pk],
                )
            )
        )
        for item in (first, second)
    ]
    assert evidence == [b"%PDF-1.4 seats \x00", b"%PDF-1.4 seats \x01"]

    assert bucket_objects(endpoint, BUCKET) == {
        f"operating_data/tj-8890/{sha256(content)}.xlsx": sha256(content),
        f"documents/target_form/tianjin-2020/{job.fingerprint}.pdf": sha256(pdf),
        first.file.name: sha256(evidence[0]),
        second.file.name: sha256(evidence[1]),
    }
    assert first.file.name != second.file.name
    assert upload.stored_name == f"operating_data/tj-8890/{sha256(content)}.xlsx"


def test_a_missing_object_answers_as_a_missing_file_did(endpoint: str) -> None:
    centre = log_in_as("天津填报员", "tj-8890", Role.UNIT)
    content = xlsx([row("呼入量", 2021, 1000)])
    centre.post(
        reverse("operations:upload"), {"file": SimpleUploadedFile("a.xlsx", content)}
    )
    upload = OperatingDataUpload.objects.get(original_name="a.xlsx")
    s3_client(endpoint).delete_object(Bucket=BUCKET, Key=upload.stored_name)
    response = centre.get(reverse("operations:upload_file", args=[upload.pk]))
    assert response.status_code == 404
    assert "存档文件缺失：请联系系统管理员从备份中恢复。" in response.content.decode()

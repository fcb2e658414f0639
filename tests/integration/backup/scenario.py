"""What an installation holds and what it serves, run by the round-trip tests inside
``manage.py shell`` against a dedicated database and storage (not pytest's: the backup
and restore commands are subprocesses that must see the data).

    populate()  evidence files (two of the same name) and two rendered documents
    damage()    scores and an evidence row changed
    state()     prints one JSON line: every evaluation as ``evaluate --json`` prints it,
                every stored file downloaded through its scoped view with its SHA-256,
                the SHA-256 the database recorded for each upload, the storage's names
"""

from __future__ import annotations

import hashlib
import io
import json

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.backup import storage_names
from documents.models import DocumentFormat, RenderJob
from documents.services import render_job_request
from evaluations.models import Evaluation, EvaluationIndicator, Evidence
from evaluations.services import evidence_add
from operations.models import OperatingDataUpload

ADMIN = "backup-admin"


def populate() -> None:
    admin = User.objects.create_superuser(ADMIN, email="", password=None)
    leaves = EvaluationIndicator.objects.filter(
        evaluation__code="tianjin-2020", level=3
    ).order_by("pk")[:2]
    for number, leaf in enumerate(leaves, start=1):
        evidence_add(
            indicator=leaf,
            file=ContentFile(
                f"%PDF-1.4 佐证材料 {number}\n".encode() * 50, "佐证材料.pdf"
            ),
            description=f"佐证 {number}",
            user=admin,
        )
    for format in (DocumentFormat.PDF, DocumentFormat.XLSX):
        job = render_job_request(
            kind="target_form", code="tianjin-2020", format=format, user=admin
        )
        assert job.status == RenderJob.Status.DONE, job.error


def damage() -> None:
    """Change what a restore must put back: every Tianjin score, an evidence row."""
    EvaluationIndicator.objects.filter(evaluation__code="tianjin-2020", level=3).update(
        final_score=0
    )
    Evidence.objects.order_by("pk")[0].delete()


def _download(client: Client, url: str) -> dict[str, object]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""  # type: ignore[attr-defined]
    return {"status": response.status_code, "sha256": hashlib.sha256(body).hexdigest()}


def state() -> None:
    client = Client()
    client.force_login(User.objects.get(username=ADMIN))
    evaluations = {}
    for code in Evaluation.objects.order_by("code").values_list("code", flat=True):
        out = io.StringIO()
        call_command("evaluate", code, json=True, stdout=out)
        evaluations[code] = json.loads(out.getvalue())
    downloads = {}
    recorded = {}
    for upload in OperatingDataUpload.objects.order_by("pk"):
        url = reverse("operations:upload_file", args=[upload.pk])
        downloads[url] = _download(client, url)
        recorded[url] = upload.sha256
    for evidence in Evidence.objects.select_related("indicator__evaluation"):
        indicator = evidence.indicator
        url = reverse(
            "evaluations:evidence_download",
            args=[indicator.evaluation.code, indicator.pk, evidence.pk],
        )
        downloads[url] = _download(client, url)
    for job in RenderJob.objects.filter(status=RenderJob.Status.DONE).order_by("pk"):
        url = reverse("documents:download", args=[job.pk])
        downloads[url] = _download(client, url)
    print(
        json.dumps(
            {
                "evaluations": evaluations,
                "downloads": downloads,
                "recorded": recorded,
                "storage": storage_names(default_storage),
            },
            ensure_ascii=False,
        )
    )

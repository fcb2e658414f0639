"""Evidence uploads are held to the kernel's one size rule, said in Chinese, nothing kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role
from budgets.models import Organisation
from evaluations.models import EvaluationIndicator, Evidence
from evaluations.views import evidence

pytestmark = pytest.mark.django_db


def test_an_evidence_file_over_the_cap_is_refused_with_its_size(
    client: Client, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 1024)
    user = User.objects.create_user("tj-evaluator")
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code="tj-evaluator"),
        role=Role.EVALUATOR,
    )
    client.force_login(user)
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="坐席设置数量"
    )
    upload = SimpleUploadedFile("清单.pdf", b"%PDF-1.4" + b"\0" * 2040)
    response = client.post(
        reverse("evaluations:evidence", args=["tianjin-2020", leaf.pk]),
        {"file": upload},
    )
    assert response.status_code == 400
    assert "文件大小 2 KB 超过上限 1 KB" in response.content.decode()
    assert not Evidence.objects.filter(indicator=leaf).exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []

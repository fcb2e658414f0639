"""Error answers in Chinese, in the site's layout: a row whose stored file is gone (a
database restored without its files) is a 404 that says what to do, not a 500 or a 403;
an unknown address, a refused action and a stale form (CSRF) each have their page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Role
from evaluations.models import EvaluationIndicator, Evidence
from operations.models import OperatingDataUpload
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db

MESSAGE = "存档文件缺失：请联系系统管理员从备份中恢复。"


def test_an_evidence_row_without_its_file_is_a_chinese_404(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    leaf = EvaluationIndicator.objects.filter(
        evaluation__code="tianjin-2020", children__isnull=True
    ).order_by("position")[0]
    evidence = Evidence.objects.create(
        indicator=leaf,
        description="佐证",
        file="evidence/gone.pdf",
        uploaded_by=User.objects.create_user("uploader"),
    )
    client = log_in_as("tj-ev", "tj-evaluator", Role.EVALUATOR)
    response = client.get(
        f"/evaluations/tianjin-2020/indicators/{leaf.pk}/evidence/{evidence.pk}/"
    )
    assert response.status_code == 404
    assert MESSAGE in response.content.decode()


def test_an_upload_without_its_original_is_a_chinese_404(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = OperatingDataUpload.objects.filter(organisation__code="tj-8890")[0]
    client = log_in_as("tj-c", "tj-8890", Role.UNIT)
    response = client.get(f"/operations/uploads/{upload.pk}/file/")
    assert response.status_code == 404
    assert MESSAGE in response.content.decode()


def test_an_unknown_address_is_a_chinese_404_in_the_sites_layout() -> None:
    client = log_in_as("tj-c", "tj-8890", Role.UNIT)
    response = client.get("/targets/no-such-form/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in html
    assert "该页面不存在，或属于您无权查看的单位。" in html
    assert 'class="site-header"' in html


def test_a_refused_action_is_a_chinese_403_in_the_sites_layout() -> None:
    client = log_in_as("tj-d", "tj-zwfw", Role.DEPARTMENT)
    response = client.post("/targets/tianjin-2020/submit/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>无权操作</h1>" in html and 'class="site-header"' in html


def test_a_stale_form_is_a_chinese_csrf_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "<h1>页面已过期</h1>" in response.content.decode()

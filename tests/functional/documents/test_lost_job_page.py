"""A job whose worker died three times says so in Chinese and offers 重新生成."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from documents.models import DocumentFormat, DocumentKind, RenderJob

pytestmark = pytest.mark.django_db

FETCH = {"headers": {"X-Requested-With": "fetch"}}


def _lost_job(code: str) -> RenderJob:
    return RenderJob.objects.create(
        kind=DocumentKind.TARGET_FORM,
        object_code=code,
        format=DocumentFormat.PDF,
        fingerprint="0" * 64,
        status=RenderJob.Status.FAILED,
        failure=RenderJob.Failure.WORKER_LOST,
        retries=3,
        error="WorkerLost: worker w stopped beating",
        finished_at=timezone.now(),
    )


def test_a_job_lost_three_times_says_so_and_renders_again_on_request(
    member: Callable[[str, str], Client],
) -> None:
    client = member("tj-8890", Role.UNIT)
    job = _lost_job("tianjin-2020")
    html = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert "生成进程意外中止，已重试 3 次，请重新生成。" in html
    again = reverse("documents:render", args=["target_form", "tianjin-2020", "pdf"])
    assert f'action="{again}"' in html
    assert "重新生成</button>" in html
    assert "data-poll" not in html  # finished: the page stops polling
    # The staff-only error detail is not shown to the unit.
    assert "WorkerLost" not in html

    fragment = client.post(again, **FETCH)  # type: ignore[arg-type]
    assert fragment.status_code == 200
    latest = RenderJob.objects.filter(object_code="tianjin-2020").latest("created_at")
    assert latest.pk != job.pk
    assert (latest.status, latest.progress) == (RenderJob.Status.DONE, 100)
    assert reverse("documents:download", args=[latest.pk]) in fragment.content.decode()
    job.refresh_from_db()
    assert job.status == RenderJob.Status.FAILED  # the lost job stays as it was


def test_a_failed_render_also_offers_to_render_again(
    member: Callable[[str, str], Client],
) -> None:
    client = member("tj-8890", Role.UNIT)
    job = _lost_job("tianjin-2020")
    RenderJob.objects.filter(pk=job.pk).update(failure=RenderJob.Failure.ERROR)
    html = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert "生成失败。" in html
    assert "生成进程意外中止" not in html
    assert "重新生成</button>" in html


def test_another_organisations_lost_job_is_a_404(
    member: Callable[[str, str], Client],
) -> None:
    client = member("sz-bmfw", Role.UNIT)
    job = _lost_job("tianjin-2020")
    assert client.get(reverse("documents:job", args=[job.pk])).status_code == 404

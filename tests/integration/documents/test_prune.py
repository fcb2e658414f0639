"""``manage.py prune``: old rendered files that are no longer current go (never a current
one, never one of a submitted or approved version), with expired sessions, finished task
results and dead workers' rows; ``--dry-run`` deletes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from documents.models import DocumentFormat, DocumentKind, RenderJob, WorkerHeartbeat
from documents.retention import FROZEN_SINCE, prune
from documents.services import render_job_request
from evaluations.models import Evaluation
from targets.models import TargetForm, TargetFormStatus, TargetIndicator

pytestmark = pytest.mark.django_db

AGE = timedelta(days=30)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def _render(code: str, format: DocumentFormat, finished_days_ago: int) -> RenderJob:
    job = render_job_request(kind=DocumentKind.TARGET_FORM, code=code, format=format)
    assert job.status == RenderJob.Status.DONE
    when = timezone.now() - timedelta(days=finished_days_ago)
    RenderJob.objects.filter(pk=job.pk).update(created_at=when, finished_at=when)
    job.refresh_from_db()
    return job


def _edit(code: str, value: str) -> None:
    """An edit of a printed value: the form's earlier files are no longer current."""
    indicator = TargetIndicator.objects.filter(form__code=code, level="level3").first()
    assert indicator is not None
    indicator.set_values(full_year=value)
    indicator.save()


def _task(status: str, finished: datetime | None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="documents.tasks.render_document",
        backend_name="default",
        run_after=timezone.now(),
        status=status,
        finished_at=finished,
    )


@pytest.fixture
def history() -> dict[str, Any]:
    """Files of every kind of age and standing, sessions, task rows and worker rows."""
    pdf, xlsx = DocumentFormat.PDF, DocumentFormat.XLSX
    now = timezone.now()
    jobs = {}
    # tianjin-2020: an old superseded PDF (goes) and its old but current successor (kept).
    jobs["tj_old"] = _render("tianjin-2020", xlsx, 45)
    _edit("tianjin-2020", "大于 96%")
    jobs["tj_current"] = _render("tianjin-2020", xlsx, 40)
    # shanghai-2019, submitted 50 days ago: its PDF rendered after that is what was sent
    # (kept although superseded); its workbook rendered before the submission goes.
    jobs["sh_before_submission"] = _render("shanghai-2019", xlsx, 60)
    jobs["sh_sent"] = _render("shanghai-2019", pdf, 45)
    _edit("shanghai-2019", "大于 97%")
    TargetForm.objects.filter(code="shanghai-2019").update(
        status=TargetFormStatus.SUBMITTED, submitted_at=now - timedelta(days=50)
    )
    # suzhou-2023: a superseded workbook of ten days ago is young (kept, not counted).
    jobs["sz_young"] = _render("suzhou-2023", xlsx, 10)
    _edit("suzhou-2023", "大于 98%")
    # A failed job of 40 days ago: its row goes.
    jobs["failed"] = RenderJob.objects.create(
        kind=DocumentKind.TARGET_FORM,
        object_code="tianjin-2020",
        format=pdf,
        fingerprint="f" * 64,
        status=RenderJob.Status.FAILED,
        failure=RenderJob.Failure.ERROR,
    )
    RenderJob.objects.filter(pk=jobs["failed"].pk).update(
        created_at=now - timedelta(days=40)
    )
    for days in (-1, 2, 40):  # expire in a day (live), expired 2 and 40 days ago
        store = SessionStore()
        store["x"] = days
        store.create()
        Session.objects.filter(session_key=store.session_key).update(
            expire_date=now - timedelta(days=days)
        )
    _task("SUCCESSFUL", now - timedelta(days=31))
    _task("FAILED", now - timedelta(days=90))
    _task("SUCCESSFUL", now - timedelta(days=29))
    _task("READY", None)
    for worker_id, days in (("dead", 31), ("alive", 0)):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname="h",
            pid=1,
            started_at=now - timedelta(days=days),
            beat_at=now - timedelta(days=days),
        )
    return jobs


def test_prune_removes_exactly_the_old_files_no_longer_needed(
    history: dict[str, Any],
) -> None:
    names = {key: job.file.name for key, job in history.items()}
    report = prune(older_than=AGE)
    assert report.files_removed == tuple(
        sorted([names["tj_old"], names["sh_before_submission"]])
    )
    assert report.files_kept_current == (names["tj_current"],)
    assert report.files_kept_frozen == (names["sh_sent"],)
    assert (
        report.jobs_removed,
        report.sessions_removed,
        report.task_results_removed,
        report.heartbeats_removed,
    ) == (3, 2, 2, 1)

    for key in ("tj_old", "sh_before_submission"):
        assert not default_storage.exists(names[key])
    for key in ("tj_current", "sh_sent", "sz_young"):
        assert default_storage.exists(names[key])
    assert set(RenderJob.objects.values_list("pk", flat=True)) == {
        history[key].pk for key in ("tj_current", "sh_sent", "sz_young")
    }
    assert Session.objects.count() == 1
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == [
        "READY",
        "SUCCESSFUL",
    ]
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [
        "alive"
    ]
    # The kept current file is still served at once, without rendering again.
    again = render_job_request(
        kind=DocumentKind.TARGET_FORM, code="tianjin-2020", format=DocumentFormat.XLSX
    )
    assert again.pk == history["tj_current"].pk


def test_a_dry_run_lists_the_same_and_deletes_nothing(history: dict[str, Any]) -> None:
    out = StringIO()
    call_command("prune", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"将删除文件 {history['tj_old'].file.name}" in text
    assert (
        "将删除：2 个生成文件（3 条生成记录）、2 个过期会话、2 条已完成任务记录、"
        "1 条任务进程心跳；保留 1 个当前文件、1 个已提交或已审核版本的文件（保留期 30 天）。"
    ) in text
    assert RenderJob.objects.count() == 6
    assert Session.objects.count() == 3
    assert DBTaskResult.objects.count() == 4
    assert WorkerHeartbeat.objects.count() == 2
    for job in history.values():
        if job.file:
            assert default_storage.exists(job.file.name)


def test_a_longer_age_keeps_more(history: dict[str, Any]) -> None:
    out = StringIO()
    call_command("prune", "--older-than-days", "50", stdout=out)
    assert "已删除：1 个生成文件（1 条生成记录）" in out.getvalue()
    assert not default_storage.exists(history["sh_before_submission"].file.name)
    assert default_storage.exists(history["tj_old"].file.name)


def test_a_file_shared_by_a_young_job_is_kept() -> None:
    old = _render("tianjin-2020", DocumentFormat.XLSX, 45)
    # The same data rendered again later (after the first row was marked stale) shares
    # the stored file; the old row is no longer current, the file is still in use.
    RenderJob.objects.filter(pk=old.pk).update(fingerprint="0" * 64)
    young = _render("tianjin-2020", DocumentFormat.XLSX, 1)
    assert young.file.name == old.file.name
    report = prune(older_than=AGE)
    assert report.files_removed == ()
    assert default_storage.exists(old.file.name)


def test_an_approved_target_form_and_a_submitted_evaluation_are_frozen() -> None:
    now = timezone.now()
    TargetForm.objects.filter(code="tianjin-2020").update(
        status=TargetFormStatus.APPROVED, submitted_at=now
    )
    TargetForm.objects.filter(code="suzhou-2023").update(
        status=TargetFormStatus.RETURNED, submitted_at=now
    )
    Evaluation.objects.filter(code="panjin-2023").update(
        status=Evaluation.Status.SUBMITTED, submitted_at=now
    )
    forms = FROZEN_SINCE[DocumentKind.TARGET_FORM]
    reports = FROZEN_SINCE[DocumentKind.EVALUATION_REPORT]
    assert forms(["tianjin-2020", "suzhou-2023", "shanghai-2019"]) == {
        "tianjin-2020": now
    }
    assert reports(["panjin-2023", "tianjin-2020"]) == {"panjin-2023": now}
    assert set(FROZEN_SINCE) == set(DocumentKind.values)


def test_an_age_under_a_day_is_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="保留天数至少为 1 天。"):
        call_command("prune", "--older-than-days", "0")

"""Render jobs: a stored file is reused until the data it shows changes; progress lives on
the job; the production database backend and its worker run the same task."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from budgets.models import DepartmentExpenditure, Project
from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind, RenderJob
from documents.rendering import document_fingerprint
from documents.services import render_job_request
from targets.models import TargetIndicator

pytestmark = pytest.mark.django_db

PDF = DocumentFormat.PDF


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def _request(code: str, format: DocumentFormat = PDF) -> RenderJob:
    return render_job_request(kind=DocumentKind.TARGET_FORM, code=code, format=format)


def _fingerprint(code: str, format: DocumentFormat = PDF) -> str:
    doctype = document_type(DocumentKind.TARGET_FORM)
    assert doctype is not None
    return document_fingerprint(doctype.build(code), format)


def test_a_finished_job_records_its_file_and_progress(media_root: Path) -> None:
    job = _request("tianjin-2020")
    assert (job.status, job.progress, job.error) == (RenderJob.Status.DONE, 100, "")
    assert job.file.name == f"documents/target_form/tianjin-2020/{job.fingerprint}.pdf"
    stored = media_root / job.file.name
    assert stored.read_bytes().startswith(b"%PDF-")
    assert job.size == stored.stat().st_size
    assert job.task_id != ""
    assert job.started_at is not None and job.finished_at is not None
    assert job.created_at <= job.started_at <= job.finished_at


def test_the_same_data_reuses_the_stored_file() -> None:
    first = _request("suzhou-2023")
    again = _request("suzhou-2023")
    assert again.pk == first.pk
    assert RenderJob.objects.count() == 1


def test_editing_an_indicator_value_renders_a_new_file() -> None:
    first = _request("tianjin-2020")
    indicator = TargetIndicator.objects.get(form__code="tianjin-2020", name="接通率")
    indicator.set_values(full_year="大于 95%")
    indicator.save()

    second = _request("tianjin-2020")
    assert second.pk != first.pk
    assert second.fingerprint != first.fingerprint
    assert second.file.name != first.file.name
    assert default_storage.exists(first.file.name)  # the earlier file is kept as it was
    assert RenderJob.objects.filter(status=RenderJob.Status.DONE).count() == 2


@pytest.mark.parametrize("format", [DocumentFormat.PDF, DocumentFormat.XLSX])
def test_editing_an_amount_changes_the_fingerprint(format: DocumentFormat) -> None:
    before = _fingerprint("suzhou-2023", format)
    DepartmentExpenditure.objects.filter(name="党团活动费").update(
        full_year_budget=Decimal("3.30")
    )
    assert _fingerprint("suzhou-2023", format) != before


def test_edits_elsewhere_leave_the_fingerprint_alone() -> None:
    before = _fingerprint("tianjin-2020")
    Project.objects.filter(code="shanghai-2019").update(name="另一个项目")
    TargetIndicator.objects.filter(form__code="suzhou-2023", name="预算执行率").update(
        value_text="=99%"
    )
    assert _fingerprint("tianjin-2020") == before


def test_the_pdf_and_the_workbook_are_separate_files() -> None:
    pdf, xlsx = (
        _request("shanghai-2019"),
        _request("shanghai-2019", DocumentFormat.XLSX),
    )
    assert pdf.fingerprint != xlsx.fingerprint
    assert xlsx.file.name.endswith(".xlsx")
    assert default_storage.open(xlsx.file.name).read(2) == b"PK"


def test_a_failed_render_is_recorded_on_the_job(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("no fonts")

    # WeasyPrint itself falls over: every PDF path (a target form lays its pages out
    # itself, documents.target_forms) goes through documents.pdf's HTML
    monkeypatch.setattr("documents.pdf.HTML", broken)
    job = _request("tianjin-2020")
    assert job.status == RenderJob.Status.FAILED
    assert job.error == "RuntimeError: no fonts"
    assert not job.file
    # A failed job is never served: the next request renders again.
    monkeypatch.undo()
    assert _request("tianjin-2020").status == RenderJob.Status.DONE


def test_with_the_database_backend_a_worker_runs_the_queued_job(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    job = _request("suzhou-2023")
    assert (job.status, job.progress) == (RenderJob.Status.QUEUED, 0)
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    # While it waits, asking again returns the same job rather than queueing another.
    assert _request("suzhou-2023").pk == job.pk

    # The worker re-checks its database connection between tasks; inside the test's
    # transaction that would close the connection, so it is left alone here.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        lambda: None,
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "5")
    job.refresh_from_db()
    assert (job.status, job.progress) == (RenderJob.Status.DONE, 100)
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    assert default_storage.exists(job.file.name)


def test_a_job_lost_by_its_worker_is_not_waited_for_forever(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = _request("tianjin-2020")
    RenderJob.objects.filter(pk=job.pk).update(created_at="2020-01-01T00:00:00Z")
    assert _request("tianjin-2020").pk != job.pk

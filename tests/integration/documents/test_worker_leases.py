"""Leases: a render job whose worker stopped beating is queued again a bounded number of
times, then failed; its stuck task row is failed with it; heartbeats keep a live job alive.

The worker's death is simulated here by the rows it leaves (a task claimed, a job running,
beats that stopped); ``test_worker_processes.py`` kills real worker processes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from documents.leases import (
    WORKER_LOST,
    render_jobs_recover,
    worker_beat,
    worker_settings,
)
from documents.models import DocumentFormat, DocumentKind, RenderJob, WorkerHeartbeat
from documents.selectors import worker_status
from documents.services import render_job_request
from documents.worker import ResilientWorker

pytestmark = pytest.mark.django_db

LEASE = timedelta(seconds=120)


@pytest.fixture(autouse=True)
def queued_in_database(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DOCUMENTS_WORKERS = {
        "heartbeat_seconds": 10,
        "lease_seconds": LEASE.total_seconds(),
        "recovery_seconds": 30,
        "max_retries": 3,
    }


def _queue(code: str = "tianjin-2020") -> RenderJob:
    return render_job_request(
        kind=DocumentKind.TARGET_FORM, code=code, format=DocumentFormat.PDF
    )


def _claimed_then_died(job: RenderJob, worker: str, *, beat: datetime) -> None:
    """What a worker leaves when it is killed mid-render: its task RUNNING, the job
    running at 30 %, the last beat at ``beat``."""
    job.refresh_from_db()
    DBTaskResult.objects.filter(id=job.task_id).update(
        status="RUNNING", started_at=beat, worker_ids=[worker]
    )
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderJob.Status.RUNNING,
        progress=30,
        started_at=beat,
        heartbeat_at=beat,
        worker_id=worker,
    )


def test_a_job_whose_lease_expired_is_queued_again_then_failed_after_three_retries() -> (
    None
):
    job = _queue()
    now = timezone.now()
    task_ids = [job.task_id]
    for attempt in range(1, 4):
        _claimed_then_died(
            job, f"worker-{attempt}", beat=now - LEASE - timedelta(seconds=1)
        )
        recovery = render_jobs_recover(now=now)
        assert (recovery.requeued, recovery.failed, recovery.tasks_failed) == (
            (str(job.pk),),
            (),
            1,
        )
        job.refresh_from_db()
        assert (job.status, job.progress, job.retries, job.worker_id) == (
            RenderJob.Status.QUEUED,
            0,
            attempt,
            "",
        )
        assert job.heartbeat_at is None and job.started_at is None
        # The stuck task row is failed, and a new one waits for a worker.
        lost = DBTaskResult.objects.get(id=task_ids[-1])
        assert (lost.status, lost.exception_class_path) == ("FAILED", WORKER_LOST)
        assert f"worker worker-{attempt} stopped beating" in lost.traceback
        assert job.task_id not in task_ids
        assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
        task_ids.append(job.task_id)

    _claimed_then_died(job, "worker-4", beat=now - LEASE - timedelta(seconds=1))
    recovery = render_jobs_recover(now=now)
    assert (recovery.requeued, recovery.failed, recovery.tasks_failed) == (
        (),
        (str(job.pk),),
        1,
    )
    job.refresh_from_db()
    assert (job.status, job.failure, job.retries, job.task_id) == (
        RenderJob.Status.FAILED,
        RenderJob.Failure.WORKER_LOST,
        3,
        task_ids[-1],
    )
    assert job.finished_at == now
    assert job.error.startswith("WorkerLost: worker worker-4 stopped beating")
    # Four attempts, four task rows, every one failed: nothing left RUNNING or READY.
    assert (
        sorted(
            DBTaskResult.objects.filter(id__in=task_ids).values_list(
                "status", flat=True
            )
        )
        == ["FAILED"] * 4
    )
    assert DBTaskResult.objects.exclude(status="FAILED").count() == 0
    # A failed job is done with: the next pass leaves it alone.
    assert render_jobs_recover(now=now + LEASE * 10) == type(recovery)()


def test_a_job_beating_within_its_lease_is_left_alone() -> None:
    job = _queue()
    now = timezone.now()
    _claimed_then_died(job, "worker-1", beat=now - LEASE + timedelta(seconds=1))
    assert render_jobs_recover(now=now).requeued == ()
    job.refresh_from_db()
    assert (job.status, job.retries) == (RenderJob.Status.RUNNING, 0)
    assert DBTaskResult.objects.get(id=job.task_id).status == "RUNNING"


def test_a_worker_killed_after_claiming_before_starting_the_job_loses_nothing() -> None:
    job = _queue()
    now = timezone.now()
    DBTaskResult.objects.filter(id=job.task_id).update(
        status="RUNNING", started_at=now - LEASE * 2, worker_ids=["worker-1"]
    )
    assert render_jobs_recover(now=now).requeued == (str(job.pk),)
    job.refresh_from_db()
    assert (job.status, job.retries) == (RenderJob.Status.QUEUED, 1)
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"


def test_the_heartbeat_renews_the_lease_of_the_workers_own_running_job() -> None:
    mine, theirs = _queue("tianjin-2020"), _queue("suzhou-2023")
    long_ago = timezone.now() - timedelta(hours=1)
    _claimed_then_died(mine, "worker-1", beat=long_ago)
    _claimed_then_died(theirs, "worker-2", beat=long_ago)
    now = timezone.now()
    worker_beat(
        worker_id="worker-1",
        hostname="render-1",
        pid=4321,
        started_at=long_ago,
        tasks_run=7,
        now=now,
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.heartbeat_at, theirs.heartbeat_at) == (now, long_ago)
    row = WorkerHeartbeat.objects.get()
    assert (row.worker_id, row.hostname, row.pid, row.tasks_run, row.beat_at) == (
        "worker-1",
        "render-1",
        4321,
        7,
        now,
    )
    assert render_jobs_recover(now=now).requeued == (str(theirs.pk),)
    status = worker_status(now=now)
    assert (status.alive, status.last_beat_at) == (1, now)
    assert worker_status(now=now + LEASE + timedelta(seconds=1)).alive == 0


def test_a_task_of_any_kind_left_running_by_a_dead_worker_is_failed() -> None:
    now = timezone.now()
    orphan = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="documents.tasks.render_document",
        backend_name="default",
        run_after=now,
        status="RUNNING",
        started_at=now - timedelta(hours=1),
        worker_ids=["dead-worker"],
    )
    alive = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="documents.tasks.render_document",
        backend_name="default",
        run_after=now,
        status="RUNNING",
        started_at=now - timedelta(hours=1),
        worker_ids=["live-worker"],
    )
    for worker_id, beat in (("dead-worker", now - LEASE * 2), ("live-worker", now)):
        worker_beat(
            worker_id=worker_id,
            hostname="h",
            pid=1,
            started_at=beat,
            tasks_run=0,
            now=beat,
        )
    assert render_jobs_recover(now=now).tasks_failed == 1
    orphan.refresh_from_db()
    alive.refresh_from_db()
    assert (orphan.status, orphan.exception_class_path) == ("FAILED", WORKER_LOST)
    assert alive.status == "RUNNING"


def test_run_worker_runs_the_queued_job_and_leases_it_to_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job = _queue("suzhou-2023")
    # As for db_worker in test_render_jobs.py: the test's transaction keeps its connection.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        lambda: None,
    )
    call_command(
        "run_worker",
        "--batch",
        "--no-startup-delay",
        "--worker-id",
        "batch-worker",
        verbosity=0,
    )
    job.refresh_from_db()
    assert (job.status, job.progress, job.worker_id) == (
        RenderJob.Status.DONE,
        100,
        "batch-worker",
    )
    assert default_storage.exists(job.file.name)
    task = DBTaskResult.objects.get(id=job.task_id)
    assert (task.status, task.worker_ids) == ("SUCCESSFUL", ["batch-worker"])
    # A worker that exits cleanly takes its heartbeat row with it.
    assert WorkerHeartbeat.objects.count() == 0


def test_the_worker_outlives_a_database_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """db_worker's loop raises on a lost database; the resilient worker starts it again
    after a back-off instead of exiting."""
    calls: list[str] = []
    sleeps: list[float] = []

    def loop(self: ResilientWorker) -> None:
        calls.append("run")
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.Worker.run", loop
    )
    monkeypatch.setattr("documents.worker.time.sleep", sleeps.append)
    monkeypatch.setattr("documents.worker._close_connections", lambda: None)
    worker = ResilientWorker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w",
        excluded_queue_names=[],
    )
    worker.run()
    assert calls == ["run", "run", "run"]
    assert sleeps == [1.0, 2.0]


def test_the_lease_settings_have_their_documented_defaults(settings: Any) -> None:
    del settings.DOCUMENTS_WORKERS
    config = worker_settings()
    assert (
        config.heartbeat,
        config.lease,
        config.recovery,
        config.max_retries,
        config.retention,
    ) == (
        timedelta(seconds=10),
        timedelta(seconds=120),
        timedelta(seconds=30),
        3,
        timedelta(days=30),
    )

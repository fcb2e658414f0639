"""Leases: background work whose worker died is found, queued again a few times, then failed.

A worker (``manage.py run_worker``, ``documents.worker``) beats from a thread of its own
every ``heartbeat_seconds``: its ``WorkerHeartbeat`` row and the ``heartbeat_at`` of the
render job it is running (the job also beats at every progress step). A job still
"running" whose last beat is older than ``lease_seconds`` has lost its worker (killed, out
of memory, its machine gone): ``render_jobs_recover`` — run by every worker on start and
every ``recovery_seconds`` — marks the job's stuck task row failed, and queues the job
again, at most ``max_retries`` times; after that the job is failed with a message that
says so, and the page offers to render it again. Task rows of other kinds that a dead
worker left running are marked failed too, so no row stays "RUNNING" for ever.

Several workers may recover at the same time: the lost jobs are locked with
``SKIP LOCKED`` and every change is conditional on the state it was read in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from documents.models import RenderJob, WorkerHeartbeat
from documents.tasks import render_document


class WorkerLost(Exception):
    """The worker running a task stopped without finishing it (recorded on the task row)."""


WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


@dataclass(frozen=True)
class WorkerSettings:
    heartbeat: timedelta
    lease: timedelta
    recovery: timedelta
    max_retries: int
    retention: timedelta


def worker_settings() -> WorkerSettings:
    """``settings.DOCUMENTS_WORKERS``, each value with its default."""
    configured = getattr(settings, "DOCUMENTS_WORKERS", {})
    return WorkerSettings(
        heartbeat=timedelta(seconds=float(configured.get("heartbeat_seconds", 10))),
        lease=timedelta(seconds=float(configured.get("lease_seconds", 120))),
        recovery=timedelta(seconds=float(configured.get("recovery_seconds", 30))),
        max_retries=int(configured.get("max_retries", 3)),
        retention=timedelta(days=int(configured.get("retention_days", 30))),
    )


@dataclass(frozen=True)
class Recovery:
    """What one recovery pass did: jobs queued again, jobs failed, task rows failed."""

    requeued: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    tasks_failed: int = 0


def worker_beat(
    *,
    worker_id: str,
    hostname: str,
    pid: int,
    started_at: datetime,
    tasks_run: int,
    now: datetime | None = None,
) -> None:
    """Record that worker ``worker_id`` is alive, and extend the lease of its running job."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": hostname[:255],
            "pid": pid,
            "started_at": started_at,
            "beat_at": now,
            "tasks_run": tasks_run,
        },
    )
    RenderJob.objects.filter(
        status=RenderJob.Status.RUNNING, worker_id=worker_id
    ).update(heartbeat_at=now)


def worker_gone(*, worker_id: str) -> None:
    """A worker that exits cleanly takes its heartbeat row with it."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _fail_task_rows(ids: Iterable[str], *, reason: str, now: datetime) -> int:
    """Mark the given task rows failed, those still RUNNING only."""
    return DBTaskResult.objects.filter(
        id__in=list(ids), status=TaskResultStatus.RUNNING
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=WORKER_LOST,
        traceback=f"{WORKER_LOST}: {reason}",
        return_value=None,
    )


def _lost_jobs(cutoff: datetime) -> list[RenderJob]:
    """Running jobs whose lease expired, and queued jobs whose task a worker claimed and
    then stopped beating for (it died between claiming the task and starting the job)."""
    claimed = [
        str(pk)
        for pk in DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).values_list("id", flat=True)
    ]
    lost = Q(status=RenderJob.Status.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    if claimed:
        lost |= Q(status=RenderJob.Status.QUEUED, task_id__in=claimed)
    return list(
        RenderJob.objects.select_for_update(skip_locked=True)
        .filter(lost)
        .order_by("created_at")
    )


def render_jobs_recover(*, now: datetime | None = None) -> Recovery:
    """Find the work whose worker died and queue it again, or fail it after ``max_retries``.

    A lost job's task row is marked failed (``WorkerLost``) and, while the job has been
    queued again fewer than ``max_retries`` times, a new ``render_document`` task is queued
    for it (the job keeps its id, so the page polling it sees it start again). Otherwise
    the job is failed with ``failure = WORKER_LOST`` and the page says why.
    """
    config = worker_settings()
    now = now or timezone.now()
    cutoff = now - config.lease
    requeued: list[str] = []
    failed: list[str] = []
    tasks_failed = 0
    with transaction.atomic():
        for job in _lost_jobs(cutoff):
            reason = (
                f"worker {job.worker_id or '?'} stopped beating "
                f"(last beat {job.heartbeat_at or job.started_at})"
            )
            if job.task_id:
                tasks_failed += _fail_task_rows([job.task_id], reason=reason, now=now)
            still = RenderJob.objects.filter(pk=job.pk, status=job.status)
            if job.retries < config.max_retries:
                if still.update(
                    status=RenderJob.Status.QUEUED,
                    progress=0,
                    worker_id="",
                    heartbeat_at=None,
                    started_at=None,
                    retries=job.retries + 1,
                ):
                    result = render_document.enqueue(str(job.pk))
                    RenderJob.objects.filter(pk=job.pk).update(task_id=result.id)
                    requeued.append(str(job.pk))
            elif still.update(
                status=RenderJob.Status.FAILED,
                failure=RenderJob.Failure.WORKER_LOST,
                error=f"WorkerLost: {reason}; queued again {job.retries} times",
                finished_at=now,
            ):
                failed.append(str(job.pk))
        # Task rows of any kind left RUNNING by a worker known to be dead.
        dead = set(
            WorkerHeartbeat.objects.filter(beat_at__lt=cutoff).values_list(
                "worker_id", flat=True
            )
        )
        if dead:
            orphans = [
                str(pk)
                for pk, worker_ids in DBTaskResult.objects.filter(
                    status=TaskResultStatus.RUNNING
                ).values_list("id", "worker_ids")
                if worker_ids and worker_ids[-1] in dead
            ]
            tasks_failed += _fail_task_rows(
                orphans, reason="its worker stopped beating", now=now
            )
    return Recovery(
        requeued=tuple(requeued), failed=tuple(failed), tasks_failed=tasks_failed
    )

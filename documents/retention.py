"""Retention: what ``manage.py prune`` deletes, and what it never deletes.

Deleted, when older than the retention age (``DOCUMENTS_WORKERS["retention_days"]``):

- rendered files no longer current: a finished render job's file whose fingerprint is not
  the object's current one — the data or the layout changed since — with the job's row;
  failed jobs' rows;
- expired sessions (what ``clearsessions`` does);
- finished task results (the django-tasks-db rows of tasks that succeeded or failed);
- the heartbeat rows of workers that stopped beating that long ago.

Never deleted: a file whose fingerprint is the object's current one (the next request
serves it), and a file rendered after its object was submitted or approved (a submitted
evaluation's report, a submitted or approved target form: what was sent is kept). A file
that several jobs share (same fingerprint, same stored name) goes only when every job that
refers to it may go. Files are reached through ``default_storage`` only, so the same code
prunes a local folder or S3-compatible storage.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind, RenderJob, WorkerHeartbeat
from documents.rendering import document_fingerprint
from evaluations.models import Evaluation
from targets.models import (
    MonitoringReport,
    MonitoringStatus,
    TargetForm,
    TargetFormStatus,
)

_DB_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


def _target_forms_frozen_since(codes: Collection[str]) -> dict[str, datetime]:
    frozen = TargetForm.objects.filter(
        code__in=codes,
        status__in=[TargetFormStatus.SUBMITTED, TargetFormStatus.APPROVED],
        submitted_at__isnull=False,
    )
    return {code: at for code, at in frozen.values_list("code", "submitted_at") if at}


def _evaluations_frozen_since(codes: Collection[str]) -> dict[str, datetime]:
    frozen = Evaluation.objects.filter(
        code__in=codes,
        status=Evaluation.Status.SUBMITTED,
        submitted_at__isnull=False,
    )
    return {code: at for code, at in frozen.values_list("code", "submitted_at") if at}


def _monitoring_reports_frozen_since(codes: Collection[str]) -> dict[str, datetime]:
    frozen = MonitoringReport.objects.filter(
        code__in=codes,
        status__in=[MonitoringStatus.SUBMITTED, MonitoringStatus.ACCEPTED],
        submitted_at__isnull=False,
    )
    return {code: at for code, at in frozen.values_list("code", "submitted_at") if at}


# For each kind: since when each object is frozen (submitted or approved). Every kind must
# have an entry: a kind without one would have its submitted files pruned.
def _never_frozen(codes: Collection[str]) -> dict[str, datetime]:
    """A kind nobody submits (the 项目基本情况表 prints the project as it stands): only its
    current file is kept."""
    return {}


FROZEN_SINCE: dict[str, Callable[[Collection[str]], dict[str, datetime]]] = {
    DocumentKind.TARGET_FORM: _target_forms_frozen_since,
    DocumentKind.EVALUATION_REPORT: _evaluations_frozen_since,
    DocumentKind.PROJECT_INFO: _never_frozen,
    DocumentKind.SELF_EVALUATION_TABLE: _evaluations_frozen_since,
    # a rectification report follows its items, which change until the last 销号
    DocumentKind.RECTIFICATION_REPORT: _never_frozen,
    DocumentKind.MONITORING_TABLE: _monitoring_reports_frozen_since,
}


@dataclass(frozen=True)
class PruneReport:
    """What a prune removed (or, dry, would remove) and which old files it kept."""

    files_removed: tuple[str, ...]
    jobs_removed: int
    files_kept_current: tuple[str, ...]
    files_kept_frozen: tuple[str, ...]
    sessions_removed: int
    task_results_removed: int
    heartbeats_removed: int


def _current_fingerprint(kind: str, code: str, format: str) -> str | None:
    doctype = document_type(kind)
    if doctype is None:
        return None
    try:
        document = doctype.build(code)
    except ObjectDoesNotExist:
        return None
    return document_fingerprint(document, DocumentFormat(format))


def _old_files(cutoff: datetime) -> tuple[set[str], set[str], set[str], set[str]]:
    """Names of files that may go, and of old files kept as current or frozen, and of
    every file a young job refers to."""
    done = RenderJob.objects.filter(status=RenderJob.Status.DONE).exclude(file="")
    old = list(done.filter(finished_at__lt=cutoff))
    young = set(done.filter(finished_at__gte=cutoff).values_list("file", flat=True))
    current: dict[tuple[str, str, str], str | None] = {}
    frozen: dict[str, dict[str, datetime]] = {}
    for kind in {job.kind for job in old}:
        frozen[kind] = FROZEN_SINCE[kind](
            {j.object_code for j in old if j.kind == kind}
        )
    kept_current: set[str] = set()
    kept_frozen: set[str] = set()
    candidates: set[str] = set()
    for job in old:
        name = job.file.name or ""
        key = (job.kind, job.object_code, job.format)
        if key not in current:
            current[key] = _current_fingerprint(*key)
        since = frozen[job.kind].get(job.object_code)
        if job.fingerprint == current[key]:
            kept_current.add(name)
        elif since is not None and job.finished_at and job.finished_at >= since:
            kept_frozen.add(name)
        else:
            candidates.add(name)
    return candidates, kept_current, kept_frozen, young


def prune(
    *, older_than: timedelta, dry_run: bool = False, now: datetime | None = None
) -> PruneReport:
    """Delete what is older than ``older_than`` and no longer needed (module docstring)."""
    now = now or timezone.now()
    cutoff = now - older_than
    candidates, kept_current, kept_frozen, young = _old_files(cutoff)
    removable = candidates - kept_current - kept_frozen - young
    jobs = RenderJob.objects.filter(
        status=RenderJob.Status.DONE, file__in=removable
    ) | RenderJob.objects.filter(status=RenderJob.Status.FAILED, created_at__lt=cutoff)
    tasks = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
    heartbeats = WorkerHeartbeat.objects.filter(beat_at__lt=cutoff)
    engine = settings.SESSION_ENGINE
    sessions = (
        Session.objects.filter(expire_date__lt=now)
        if engine in _DB_SESSION_ENGINES
        else Session.objects.none()
    )
    report = PruneReport(
        files_removed=tuple(sorted(removable)),
        jobs_removed=jobs.count(),
        files_kept_current=tuple(sorted(kept_current - young)),
        files_kept_frozen=tuple(sorted(kept_frozen - kept_current - young)),
        sessions_removed=sessions.count(),
        task_results_removed=tasks.count(),
        heartbeats_removed=heartbeats.count(),
    )
    if dry_run:
        return report
    # Files first: should the rows then fail to go, a job whose file is missing is never
    # served (the next request renders again) and the next prune deletes its row.
    for name in removable:
        if default_storage.exists(name):
            default_storage.delete(name)
    with transaction.atomic():
        jobs.delete()
        tasks.delete()
        heartbeats.delete()
    import_module(engine).SessionStore.clear_expired()
    return report

"""Asking for a document's file: the job lifecycle's request side.

``render_job_request`` is what a page calls: it reuses a stored file whose fingerprint matches
the current data, or a job already under way for that data, or creates a job and queues the
``render_document`` task (documents/tasks.py), which runs it through
``documents.rendering.render_job_run``.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.files.storage import default_storage
from django.utils import timezone

from documents.models import DocumentFormat, RenderJob
from documents.rendering import document_fingerprint, required_type
from documents.tasks import render_document

# A job queued longer ago than this without finishing is presumed lost (its worker died):
# a new request renders again instead of waiting for it.
STALE_AFTER = timedelta(minutes=15)


def render_job_request(
    *,
    kind: str,
    code: str,
    format: DocumentFormat,
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> RenderJob:
    """A job for the file of object ``code`` as it is now: reused, under way, or new.

    The caller has checked that the user may see the object. A new job is queued as a
    ``render_document`` task; on the embedded default backend it has already run when this
    returns.
    """
    doctype = required_type(kind)
    if format not in doctype.formats:
        raise ValueError(f"{kind} documents have no {format} format.")
    document = doctype.build(code)
    fingerprint = document_fingerprint(document, format)
    same = RenderJob.objects.filter(
        kind=kind, object_code=code, format=format, fingerprint=fingerprint
    )
    for done in same.filter(status=RenderJob.Status.DONE).order_by("-finished_at"):
        if done.file.name and default_storage.exists(done.file.name):
            return done
    under_way = (
        same.filter(
            status__in=[RenderJob.Status.QUEUED, RenderJob.Status.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )
    if under_way is not None:
        return under_way
    requester = user if isinstance(user, User) else None
    job = RenderJob.objects.create(
        kind=kind,
        object_code=code,
        format=format,
        fingerprint=fingerprint,
        requested_by=requester,
    )
    # The job row is written before the task is queued: with the database backend both
    # commit together, and the immediate backend runs the task right here.
    result = render_document.enqueue(str(job.pk))
    RenderJob.objects.filter(pk=job.pk).update(task_id=result.id)
    job.refresh_from_db()
    return job

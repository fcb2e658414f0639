"""Rendering a document now, in this process: its fingerprint, its HTML, its file, and the
run of a queued job.

A page asks for a file through ``documents.services.render_job_request``, which queues the
``render_document`` task (documents/tasks.py); the task calls ``render_job_run`` here, which
renders, stores the file and records progress on the job as it goes, so the page can show it
whichever backend runs the task (at once on the embedded default, in a ``db_worker`` process
in production). This module imports neither the services nor the task: services → tasks →
rendering, one way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

from documents.kinds import Document, DocumentType, document_type
from documents.models import DocumentFormat, RenderJob
from documents.pdf import render_pdf
from documents.typesetting import typeset

# The files whose content shapes every rendered file: a change to any of them is a new layout
# and so a new fingerprint, even when the data is unchanged.
_LAYOUT_SOURCES = (
    "templates/reports",
    "documents/static/reports",
    "kernel/grids.py",
    "documents/target_forms.py",
    "documents/project_info.py",
    "documents/rectification_reports.py",
    "documents/evaluation_reports",
    "documents/charts.py",
    "documents/typesetting.py",
    "documents/templatetags/reports.py",
    "targets/workbooks.py",
)

Progress = Callable[[int], None]


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if is_dataclass(o) and not isinstance(o, type):
            return asdict(o)
        return super().default(o)


@cache
def layout_version() -> str:
    """Hash of the templates, styles and layout code, and of the WeasyPrint version."""
    digest = hashlib.sha256(weasyprint.__version__.encode())
    base = Path(settings.BASE_DIR)
    for source in _LAYOUT_SOURCES:
        path = base / source
        if not path.exists():
            continue
        files = (
            sorted(p for p in path.rglob("*") if p.is_file())
            if path.is_dir()
            else [path]
        )
        for file in files:
            digest.update(str(file.relative_to(base)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def document_fingerprint(document: Document, format: DocumentFormat) -> str:
    """SHA-256 of everything the file shows (the document's context) and of its layout.

    An edit of any value the document prints (an 指标值, an amount, a name) changes the
    context and so the fingerprint; an edit elsewhere in the database does not.
    """
    payload = json.dumps(
        {
            "kind": document.kind,
            "code": document.code,
            "format": format,
            "template": document.template_name,
            "layout": layout_version(),
            "context": document.context,
        },
        cls=_Encoder,
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def document_html(document: Document) -> str:
    """The HTML of ``document``: the PDF's source and, as it is, its HTML twin."""
    with translation.override(settings.LANGUAGE_CODE):
        return typeset(render_to_string(document.template_name, dict(document.context)))


def document_render(
    doctype: DocumentType,
    document: Document,
    format: DocumentFormat,
    *,
    progress: Progress | None = None,
) -> bytes:
    """The file of ``document`` in ``format``, rendered now, in this process."""
    if format == DocumentFormat.PDF:
        # a kind that lays its pages out itself (target forms repeat merged labels on
        # the pages a merged cell runs onto) renders its own PDF from its HTML
        own_pdf = getattr(doctype, "pdf", None)
        if own_pdf is not None:
            pdf: bytes = own_pdf(document, document_html, progress=progress)
            return pdf
        html = document_html(document)
        if progress is not None:
            progress(30)
        return render_pdf(html, progress=progress)
    if format not in doctype.formats:
        raise ValueError(f"{document.kind} documents have no {format} format.")
    return doctype.export(document, format)


def _stored_name(document: Document, format: DocumentFormat, fingerprint: str) -> str:
    return f"documents/{document.kind}/{document.code}/{fingerprint}.{format}"


def required_type(kind: str) -> DocumentType:
    doctype = document_type(kind)
    if doctype is None:
        raise ValueError(f"Unknown document kind {kind!r}.")
    return doctype


def render_job_run(*, job_id: str, worker_id: str = "") -> RenderJob:
    """Render the file of job ``job_id``, store it and mark the job done (or failed).

    ``worker_id`` is the worker running it: the job is leased to it (``documents.leases``)
    and each progress step renews the lease, as the worker's heartbeat thread does.
    """
    job = RenderJob.objects.get(pk=job_id)
    if job.status == RenderJob.Status.DONE:
        return job

    def progress(percent: int) -> None:
        RenderJob.objects.filter(pk=job.pk).update(
            progress=percent, heartbeat_at=timezone.now()
        )

    now = timezone.now()
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderJob.Status.RUNNING,
        progress=5,
        started_at=now,
        heartbeat_at=now,
        worker_id=worker_id[:64],
    )
    try:
        doctype = required_type(job.kind)
        format = DocumentFormat(job.format)
        document = doctype.build(job.object_code)
        progress(15)
        # The data may have changed since the request: the job records what it rendered.
        fingerprint = document_fingerprint(document, format)
        content = document_render(doctype, document, format, progress=progress)
        progress(95)
        name = _stored_name(document, format, fingerprint)
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
    except Exception as error:
        RenderJob.objects.filter(pk=job.pk).update(
            status=RenderJob.Status.FAILED,
            failure=RenderJob.Failure.ERROR,
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        raise
    job.refresh_from_db()
    job.fingerprint = fingerprint
    job.file.name = name
    job.size = len(content)
    job.status = RenderJob.Status.DONE
    job.progress = 100
    job.error = ""
    job.failure = RenderJob.Failure.NONE
    job.finished_at = timezone.now()
    job.full_clean()
    job.save()
    return job

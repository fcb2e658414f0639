"""Document pages: preview (HTML twin), start a render, poll its progress, download.

Every view reaches its object through the two helpers at the top, which ask the document
kind whether the user may see the object (``accounts.scoping``); anything else is a 404, the
same answer as for an object that does not exist.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from documents.kinds import Document, DocumentType, document_type
from documents.models import CONTENT_TYPES, DocumentFormat, DocumentKind, RenderJob
from documents.rendering import document_html
from documents.services import render_job_request


def _document_for_user(
    request: HttpRequest, kind: str, code: str
) -> tuple[DocumentType, Document]:
    doctype = document_type(kind)
    if doctype is None or not doctype.visible(request.user, code):
        raise Http404
    try:
        return doctype, doctype.build(code)
    except ObjectDoesNotExist:
        raise Http404 from None


def _job_for_user(request: HttpRequest, job_id: UUID) -> RenderJob:
    job = RenderJob.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404
    doctype = document_type(job.kind)
    if doctype is None or not doctype.visible(request.user, job.object_code):
        raise Http404
    return job


def _is_fragment_request(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@login_required
@require_GET
def document_page(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    doctype, document = _document_for_user(request, kind, code)
    job = None
    if job_id := request.GET.get("job"):
        try:
            job = _job_for_user(request, UUID(job_id))
        except (Http404, ValueError):
            job = None
    return render(
        request,
        "documents/document.html",
        {
            "document": document,
            "notes": doctype.notes(code),
            "formats": doctype.formats,
            "job": job,
            "preview_url": reverse("documents:preview", args=[kind, code]),
            "back": (reverse(BACK_TO[kind][0], args=[code]), BACK_TO[kind][1])
            if kind in BACK_TO
            else None,
            "has_workbook": DocumentFormat.XLSX in doctype.formats,
        },
    )


BACK_TO: dict[str, tuple[str, Promise]] = {
    DocumentKind.TARGET_FORM: (
        "targets:detail",
        gettext_lazy("Back to the target form"),
    ),
    DocumentKind.EVALUATION_REPORT: (
        "evaluations:detail",
        gettext_lazy("Back to the evaluation"),
    ),
    DocumentKind.SELF_EVALUATION_TABLE: (
        "evaluations:detail",
        gettext_lazy("Back to the evaluation"),
    ),
    DocumentKind.RECTIFICATION_REPORT: (
        "rectifications:evaluation",
        gettext_lazy("Back to the rectification items"),
    ),
}
"""The page each kind of document is printed from: the way back from its print page."""


@login_required
@require_GET
def document_preview(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """The HTML twin: the very HTML the PDF is rendered from."""
    _doctype, document = _document_for_user(request, kind, code)
    return HttpResponse(document_html(document))


@login_required
@require_POST
def render_start(
    request: HttpRequest, kind: str, code: str, format: str
) -> HttpResponse:
    doctype, _document = _document_for_user(request, kind, code)
    if format not in doctype.formats:
        raise Http404
    job = render_job_request(
        kind=kind, code=code, format=DocumentFormat(format), user=request.user
    )
    if _is_fragment_request(request):
        return render(request, "documents/_job.html", {"job": job})
    return redirect(f"{reverse('documents:page', args=[kind, code])}?job={job.pk}")


@login_required
@require_GET
def job_progress(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """The job's status as an HTML fragment; the page polls it until the job is finished."""
    job = _job_for_user(request, job_id)
    return render(request, "documents/_job.html", {"job": job})


@login_required
@require_GET
def job_download(request: HttpRequest, job_id: UUID) -> FileResponse:
    job = _job_for_user(request, job_id)
    name = job.file.name
    if (
        job.status != RenderJob.Status.DONE
        or not name
        or not default_storage.exists(name)
    ):
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=CONTENT_TYPES[DocumentFormat(job.format)],
    )

"""Documents: each kind's current PDF and xlsx (``documents.kinds``), for whoever may see
the object (the kind asks its app's scoping; anything else is a 404, as on the document
page). A file is current when it was rendered from the data as it is now (the render
fingerprint); asking for one that is not renders it — at once on the embedded task
backend, else queued, answered 202 until it is ready."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseBase
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers import DocumentSerializer, ErrorSerializer
from api.views.base import ApiView
from documents.kinds import Document, DocumentType, document_type
from documents.models import CONTENT_TYPES, DocumentFormat, RenderJob
from documents.rendering import document_fingerprint
from documents.services import render_job_request


def _document(request: Request, kind: str, code: str) -> tuple[DocumentType, Document]:
    doctype = document_type(kind)
    if doctype is None or not doctype.visible(request.user, code):
        raise Http404
    try:
        return doctype, doctype.build(code)
    except ObjectDoesNotExist:
        raise Http404 from None


def _current(document: Document, format: DocumentFormat) -> RenderJob | None:
    """The finished file rendered from the data as it is now, if there is one."""
    fingerprint = document_fingerprint(document, format)
    for job in RenderJob.objects.filter(
        kind=document.kind,
        object_code=document.code,
        format=format,
        fingerprint=fingerprint,
        status=RenderJob.Status.DONE,
    ).order_by("-finished_at"):
        if job.file.name and default_storage.exists(job.file.name):
            return job
    return None


class DocumentDetail(ApiView):
    serializer_class = DocumentSerializer

    @extend_schema(summary="一份文档：各格式（PDF、xlsx）的当前文件与下载地址")
    def get(self, request: Request, kind: str, code: str) -> Response:
        doctype, document = _document(request, kind, code)
        data = {
            "kind": kind,
            "code": code,
            "title": document.title,
            "page_url": reverse("documents:page", args=[kind, code]),
            "files": [
                {
                    "format": str(format),
                    "current": _current(document, format) is not None,
                    "url": reverse(
                        "api:document_file",
                        kwargs={"kind": kind, "code": code, "format": str(format)},
                    ),
                    "render_url": reverse(
                        "documents:render", args=[kind, code, format]
                    ),
                }
                for format in doctype.formats
            ],
        }
        return Response(DocumentSerializer(data).data)


class AnyContent(BaseContentNegotiation):
    """A file is answered whatever the client accepts; an error as JSON."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0]

    def select_renderer(
        self, request: Any, renderers: Any, format_suffix: Any = None
    ) -> Any:
        return (renderers[0], renderers[0].media_type)


class DocumentFile(ApiView):
    content_negotiation_class = AnyContent
    renderer_classes = [JSONRenderer]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY,
            202: OpenApiResponse(ErrorSerializer, description="正在生成，稍后再取"),
            404: OpenApiResponse(ErrorSerializer, description="不存在或不可见"),
        },
        summary="下载文档的当前文件（尚未生成则生成）",
        operation_id="documents_file",
    )
    def get(
        self, request: Request, kind: str, code: str, format: str
    ) -> HttpResponseBase:
        doctype, document = _document(request, kind, code)
        if format not in doctype.formats:
            raise Http404
        wanted = DocumentFormat(format)
        job = _current(document, wanted) or render_job_request(
            kind=kind, code=code, format=wanted, user=request.user
        )
        if job.status != RenderJob.Status.DONE or not job.file.name:
            return Response(
                {
                    "detail": str(job.get_status_display()),
                    "code": job.status,
                    "errors": [],
                },
                status=202,
                headers={"Retry-After": "5"},
            )
        return FileResponse(
            default_storage.open(job.file.name, "rb"),
            as_attachment=True,
            filename=job.filename,
            content_type=CONTENT_TYPES[wanted],
        )

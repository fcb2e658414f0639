"""信息公开 pages: the reviewer's redaction list and publication (login), the publication
records (login), and the public index with its files and listings (no login).

The reviewer's views reach the document through ``_review_for_user``, which asks the
document's kind whether the user may see it (404 otherwise, as for a document that does
not exist) and then whether they may publish (403). The public views read only
``disclosure.selectors.current_publications``: published 公开版 files, never a document
or a render job.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from budgets.models import Organisation
from core.people import person_name
from disclosure.forms import IndexFilterForm, RedactionForm
from disclosure.models import CATEGORY_LABELS, Publication
from disclosure.patterns import Category
from disclosure.redaction import PLACEHOLDER
from disclosure.scoping import can_publish, publications_for
from disclosure.selectors import ListedDocument, current_publications, kind_name
from disclosure.services import (
    Review,
    public_document,
    publication_publish,
    redaction_review,
    removals_for,
    review_item,
)
from documents.kinds import document_type
from documents.rendering import document_html

DRAFT_KEY = "disclosure-draft:{kind}:{code}"


def _review_for_user(request: HttpRequest, kind: str, code: str) -> Review:
    doctype = document_type(kind)
    if doctype is None or not doctype.visible(request.user, code):
        raise Http404
    if not can_publish(request.user):
        raise PermissionDenied
    try:
        return redaction_review(kind=kind, code=code)
    except ObjectDoesNotExist:
        raise Http404 from None


def _draft(request: HttpRequest, review: Review) -> tuple[list[str], list[str]]:
    """The reviewer's last decisions on this document (kept keys, additions), when made
    on its current version; none otherwise."""
    draft = request.session.get(DRAFT_KEY.format(kind=review.kind, code=review.code))
    if not isinstance(draft, dict) or draft.get("fingerprint") != review.fingerprint:
        return [], []
    keys = {item.key for item in review.items}
    keep = [key for key in draft.get("keep", []) if key in keys]
    return keep, [str(text) for text in draft.get("additions", [])]


def _category(category: str | None) -> str:
    return str(CATEGORY_LABELS[Category(category)]) if category else ""


def _review_page(
    request: HttpRequest,
    review: Review,
    form: RedactionForm,
    *,
    keep: list[str],
    additions: list[str],
    status: int = 200,
) -> HttpResponse:
    removals = removals_for(review, keep=keep, additions=additions)
    rows = [
        {
            "item": item,
            "category": _category(item.category),
            "kept": item.key in keep,
        }
        for item in review.items
    ]
    listed = {item.text for item in review.items}
    added = [review_item(review, text) for text in additions if text not in listed]
    back = reverse("documents:page", args=[review.kind, review.code])
    return render(
        request,
        "disclosure/review.html",
        {
            "review": review,
            "form": form,
            "rows": rows,
            "added": added,
            "removals": removals,
            "placeholder": PLACEHOLDER,
            "back": back,
            "kind_name": kind_name(review.kind),
            "publications": [
                (publication, person_name(publication.published_by))
                for publication in Publication.objects.filter(
                    kind=review.kind, object_code=review.code
                ).select_related("published_by")[:5]
            ],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """The redaction list of a document: preview it, keep or add items, publish."""
    current = _review_for_user(request, kind, code)
    if request.method == "GET":
        keep, additions = _draft(request, current)
        form = RedactionForm(
            initial={
                "fingerprint": current.fingerprint,
                "keep": keep,
                "additions": "\n".join(additions),
            },
            review=current,
        )
        return _review_page(request, current, form, keep=keep, additions=additions)
    form = RedactionForm(request.POST, review=current)
    if not form.is_valid():
        keep = [k for k in request.POST.getlist("keep") if current.item(k)]
        if "fingerprint" in form.errors:
            # a stale tab: the list is made again from the document as it is now, with
            # the reviewer's choices carried over where they still apply
            form = RedactionForm(
                initial={
                    "fingerprint": current.fingerprint,
                    "keep": keep,
                    "additions": request.POST.get("additions", ""),
                },
                review=current,
            )
            messages.error(
                request,
                _(
                    "The document has changed since this list was made: nothing was "
                    "published. Check the list again below, then publish."
                ),
            )
        return _review_page(request, current, form, keep=keep, additions=[], status=400)
    keep = list(form.cleaned_data["keep"])
    additions = list(form.cleaned_data["additions"])
    key = DRAFT_KEY.format(kind=kind, code=code)
    if not form.publishing:
        request.session[key] = {
            "fingerprint": current.fingerprint,
            "keep": keep,
            "additions": additions,
        }
        return redirect("disclosure:review", kind=kind, code=code)
    assert isinstance(request.user, User)
    try:
        publication = publication_publish(
            kind=kind,
            code=code,
            user=request.user,
            fingerprint=form.cleaned_data["fingerprint"],
            keep=keep,
            additions=additions,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _review_page(
            request, current, form, keep=keep, additions=additions, status=400
        )
    request.session.pop(key, None)
    messages.success(
        request,
        _("The public version is published (publication %(number)s).")
        % {"number": publication.number},
    )
    return redirect("disclosure:publication", publication_id=publication.pk)


@login_required
@require_GET
def preview(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """The 公开版 as it would be published with the reviewer's current list: the very
    HTML its PDF is rendered from."""
    current = _review_for_user(request, kind, code)
    keep, additions = _draft(request, current)
    return HttpResponse(
        document_html(public_document(current, keep=keep, additions=additions))
    )


@login_required
@require_GET
def publication_list(request: HttpRequest) -> HttpResponse:
    """Every publication of the organisations the user sees: the recorded acts."""
    publications = publications_for(request.user).select_related(
        "organisation", "published_by"
    )
    return render(
        request,
        "disclosure/list.html",
        {
            "publications": [
                (p, kind_name(p.kind), person_name(p.published_by))
                for p in publications[:500]
            ]
        },
    )


@login_required
@require_GET
def publication_detail(request: HttpRequest, publication_id: UUID) -> HttpResponse:
    """A publication as recorded: who, when, which version, the redaction list."""
    publication = (
        publications_for(request.user)
        .select_related("organisation", "published_by")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        raise Http404
    items = [
        (item, _category(item.category))
        for item in publication.items.order_by("position")
    ]
    current = current_publications().filter(pk=publication.pk).exists()
    return render(
        request,
        "disclosure/publication.html",
        {
            "publication": publication,
            "published_by": person_name(publication.published_by),
            "items": items,
            "kind_name": kind_name(publication.kind),
            "current": current,
            "reviewable": can_publish(request.user),
        },
    )


# ---- public: no login


def _filtered(request: HttpRequest) -> tuple[IndexFilterForm, QuerySet[Publication]]:
    form = IndexFilterForm(request.GET)
    publications = current_publications()
    if form.is_valid():
        if year := form.cleaned_data.get("year"):
            publications = publications.filter(year=year)
        if organisation := form.cleaned_data.get("organisation"):
            publications = publications.filter(organisation__code=organisation)
    return form, publications


def _file_url(request: HttpRequest, publication: Publication, format: str) -> str:
    return request.build_absolute_uri(
        reverse(
            "disclosure:public_file",
            kwargs={"publication_id": publication.pk, "format": format},
        )
    )


def _listed(request: HttpRequest, publication: Any) -> ListedDocument:
    return ListedDocument(
        year=publication.year,
        organisation=publication.organisation.name,
        organisation_code=publication.organisation.code,
        kind=publication.kind,
        kind_name=kind_name(publication.kind),
        title=publication.title,
        code=publication.object_code,
        number=publication.number,
        published_at=publication.published_at,
        pdf_url=_file_url(request, publication, "pdf"),
        pdf_sha256=publication.pdf_sha256,
        xlsx_url=_file_url(request, publication, "xlsx") if publication.xlsx else "",
        removed_items=publication.removed,
    )


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    """Published 公开版 documents by year and organisation, for anyone."""
    form, publications = _filtered(request)
    rows = [(p, kind_name(p.kind)) for p in publications]
    published = Publication.objects.order_by()
    return render(
        request,
        "disclosure/public_index.html",
        {
            "form": form,
            "rows": rows,
            "years": published.exclude(year=None)
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year"),
            "organisations": Organisation.objects.filter(
                pk__in=published.values("organisation")
            )
            .order_by("name")
            .values_list("code", "name"),
        },
    )


@require_GET
def public_file(
    request: HttpRequest, publication_id: UUID, format: str
) -> FileResponse:
    """A published 公开版 file (the latest publication of its document only)."""
    publication = current_publications().filter(pk=publication_id).first()
    if publication is None:
        raise Http404
    file = publication.pdf if format == "pdf" else publication.xlsx
    if not file.name or not default_storage.exists(file.name):
        raise Http404
    content_type = (
        "application/pdf"
        if format == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return FileResponse(
        default_storage.open(file.name, "rb"),
        as_attachment=format != "pdf",
        filename=f"{publication.object_code}-公开版.{format}",
        content_type=content_type,
    )


@require_GET
def public_json(request: HttpRequest) -> HttpResponse:
    """The public listing as JSON: one object per published document."""
    _form, publications = _filtered(request)
    documents = [asdict(_listed(request, p)) for p in publications]
    body = json.dumps(
        {"count": len(documents), "documents": documents},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=1,
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


CSV_COLUMNS = (
    ("year", "年度"),
    ("organisation", "单位"),
    ("organisation_code", "单位代码"),
    ("kind_name", "文件类型"),
    ("title", "标题"),
    ("code", "文件代码"),
    ("number", "发布次序"),
    ("published_at", "发布时间"),
    ("pdf_url", "PDF"),
    ("pdf_sha256", "PDF SHA-256"),
    ("xlsx_url", "Excel"),
    ("removed_items", "隐去项数"),
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # a cell starting like a formula is text, not a formula, in a spreadsheet
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@require_GET
def public_csv(request: HttpRequest) -> HttpResponse:
    """The public listing as CSV (UTF-8 with a byte-order mark, so Excel reads it)."""
    _form, publications = _filtered(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([heading for _key, heading in CSV_COLUMNS])
    for publication in publications:
        row = asdict(_listed(request, publication))
        row["published_at"] = publication.published_at.isoformat()
        writer.writerow([_cell(row[key]) for key, _heading in CSV_COLUMNS])
    response = HttpResponse(
        "\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="disclosure.csv"'
    return response

"""The evaluation workbook in the browser: export, and import with a preview.

Import is two steps. Uploading runs the whole import as a dry run (rolled back) and shows
the changes (old → new), the totals they give, and every error by row and column. The
uploaded file is kept on the server (``evaluations.workbooks.previews``) and the preview
carries back only a signed token (its SHA-256 and a digest of the evaluation's scores),
so a workbook of any accepted size confirms; confirming reads the kept file again and
imports it, all rows or none, unless the scores changed since the preview. Only a user who can score the evaluation may import, and
only while it is not submitted.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.forms import Form
from evaluations.models import Evaluation
from evaluations.scoping import can_score, evaluations_for
from evaluations.workbooks import (
    MAX_WORKBOOK_BYTES,
    ParsedWorkbook,
    WorkbookRefused,
    evaluation_fingerprint,
    evaluation_scores_seen,
    read_workbook,
    scores_import,
    workbook_export,
)
from evaluations.workbooks.previews import preview_content, preview_keep
from evaluations.workbooks.reading import too_large

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_MAX_AGE = 60 * 60  # seconds a preview can be confirmed
TEMPLATE = "evaluations/workbook_import.html"


class WorkbookUploadForm(Form):
    workbook = forms.FileField(label=gettext_lazy("Evaluation workbook (.xlsx)"))

    filename = ""
    content = b""

    def clean_workbook(self) -> ParsedWorkbook:
        upload = self.cleaned_data["workbook"]
        self.filename = upload.name or ""
        message = too_large(upload.size)
        if message is not None:
            raise ValidationError(message)
        self.content = upload.read()
        try:
            return read_workbook(self.content)
        except WorkbookRefused as exc:
            raise ValidationError(exc.messages) from None


class PreviewConfirmForm(Form):
    """The confirmation of a preview: the signed token the preview page carried, checked
    for the user and evaluation it was made for and for its age."""

    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, salt: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.salt = salt

    def clean_payload(self) -> dict[str, Any]:
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=self.salt, max_age=PREVIEW_MAX_AGE
            )
        except signing.BadSignature:
            raise ValidationError(
                _("The preview has expired or is not valid: upload the workbook again.")
            ) from None
        if not isinstance(data, dict):
            raise ValidationError(
                _("The preview has expired or is not valid: upload the workbook again.")
            )
        return data


def _get_evaluation_for_user(request: HttpRequest, code: str) -> Evaluation:
    """The evaluation ``code`` if the user may read it; 404 otherwise (no existence leak)."""
    return get_object_or_404(
        evaluations_for(request.user).select_related("project", "evaluator"), code=code
    )


def _salt(request: HttpRequest, evaluation: Evaluation) -> str:
    # A preview can be confirmed only by the user who saw it, for the same evaluation.
    return f"evaluations.workbook:{evaluation.pk}:{request.user.pk}"


@login_required
@require_GET
def workbook_export_view(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _get_evaluation_for_user(request, code)
    response = HttpResponse(workbook_export(evaluation), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{evaluation.code}-评价工作簿.xlsx"
    )
    return response


@login_required
def workbook_import_view(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _get_evaluation_for_user(request, code)
    if not can_score(request.user, evaluation):
        return HttpResponseForbidden(_("You cannot score this evaluation."))
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "form": WorkbookUploadForm(),
        "report": None,
        "payload": "",
        "errors": [],
        "max_megabytes": MAX_WORKBOOK_BYTES // 1024 // 1024,
    }
    if evaluation.is_locked:
        context["errors"] = [
            _("This evaluation has been submitted and can no longer change.")
        ]
        context["locked"] = True
        status = 409 if request.method == "POST" else 200
        return render(request, TEMPLATE, context, status=status)
    if request.method != "POST":
        return render(request, TEMPLATE, context)

    if "payload" in request.POST:
        return _confirm(request, evaluation, context)
    form = WorkbookUploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        context["errors"] = [m for ms in form.errors.values() for m in ms]
        return render(request, TEMPLATE, context, status=400)
    parsed: ParsedWorkbook = form.cleaned_data["workbook"]
    context["filename"] = form.filename
    fingerprint = evaluation_fingerprint(evaluation)
    seen = evaluation_scores_seen(evaluation)
    report = scores_import(evaluation=evaluation, parsed=parsed, dry_run=True)
    context["report"] = report
    if report.ok and report.changes:
        # The workbook stays on the server: the page carries back only this token.
        digest = preview_keep(evaluation=evaluation, content=form.content)
        context["payload"] = signing.dumps(
            {"fingerprint": fingerprint, "seen": seen, "sha256": digest},
            salt=_salt(request, evaluation),
            compress=True,
        )
    return render(request, TEMPLATE, context, status=200 if report.ok else 400)


def _confirm(
    request: HttpRequest, evaluation: Evaluation, context: dict[str, Any]
) -> HttpResponse:
    confirmation = PreviewConfirmForm(request.POST, salt=_salt(request, evaluation))
    if not confirmation.is_valid():
        context["errors"] = [str(e) for e in confirmation.errors["payload"]]
        return render(request, TEMPLATE, context, status=400)
    data = confirmation.cleaned_data["payload"]
    content = preview_content(evaluation=evaluation, digest=str(data.get("sha256", "")))
    if content is None:
        context["errors"] = [
            _(
                "The previewed workbook is no longer on the server: upload the "
                "workbook again."
            )
        ]
        return render(request, TEMPLATE, context, status=400)
    try:
        parsed = read_workbook(content)
    except WorkbookRefused as exc:
        context["errors"] = exc.messages
        return render(request, TEMPLATE, context, status=400)
    report = scores_import(
        evaluation=evaluation,
        parsed=parsed,
        dry_run=False,
        fingerprint=data["fingerprint"],
        seen=data.get("seen"),
    )
    if not report.applied:
        context["report"] = report
        return render(request, TEMPLATE, context, status=400)
    messages.success(
        request,
        _("Imported %(count)s changes from the workbook; total %(before)s → %(after)s.")
        % {
            "count": len(report.changes),
            "before": report.total_before,
            "after": report.total_after,
        },
    )
    return redirect("evaluations:detail", code=evaluation.code)

"""Evidence files (佐证材料) of an indicator: listed to every reader of the evaluation,
uploaded by those who score it, and served only through this scoped view (the files live
outside the web root)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.errors import missing_file
from core.forms import Form
from evaluations.models import EvaluationIndicator, Evidence
from evaluations.scoping import can_score
from evaluations.services import evidence_add
from evaluations.views.scoring import _get_evaluation_for_user
from kernel.spreadsheets import FileRefused, check_size

EVIDENCE_EXTENSIONS = (
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".xlsx",
    ".xls",
    ".docx",
    ".doc",
    ".csv",
)

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


class EvidenceForm(Form):
    file = forms.FileField(label=gettext_lazy("file"))
    description = forms.CharField(
        label=gettext_lazy("description"), max_length=200, required=False
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EVIDENCE_EXTENSIONS:
            raise ValidationError(
                _("Only these file types are accepted: %(types)s.")
                % {"types": "、".join(EVIDENCE_EXTENSIONS)}
            )
        try:  # the one size rule of every upload (kernel.spreadsheets)
            check_size(upload.size or 0, MAX_EVIDENCE_BYTES)
        except FileRefused as refused:
            raise ValidationError(str(refused)) from None
        return upload


def _leaf(request: HttpRequest, code: str, pk: int) -> EvaluationIndicator:
    evaluation = _get_evaluation_for_user(request, code)
    return get_object_or_404(
        EvaluationIndicator.objects.select_related("evaluation"),
        evaluation=evaluation,
        pk=pk,
    )


@login_required
def indicator_evidence(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    indicator = _leaf(request, code, pk)
    evaluation = indicator.evaluation
    allowed = can_score(request.user, evaluation) and not evaluation.is_locked
    form = EvidenceForm()
    if request.method == "POST":
        if not allowed:
            return HttpResponseForbidden(
                _("You cannot add evidence to this evaluation.")
            )
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            evidence_add(
                indicator=indicator,
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                user=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("The evidence has been added."))
            return redirect("evaluations:evidence", code=code, pk=pk)
    return render(
        request,
        "evaluations/evidence.html",
        {
            "evaluation": evaluation,
            "indicator": indicator,
            "files": indicator.evidence.select_related("uploaded_by").order_by(
                "-uploaded_at"
            ),
            "form": form if allowed else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def evidence_download(
    request: HttpRequest, code: str, pk: int, evidence_pk: int
) -> HttpResponseBase:
    indicator = _leaf(request, code, pk)
    evidence = get_object_or_404(Evidence, indicator=indicator, pk=evidence_pk)
    try:
        stream = evidence.file.open("rb")
    except FileNotFoundError:  # the row outlived its file (a restore without the files)
        return missing_file(request)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=Path(evidence.file.name or "evidence").name,
    )

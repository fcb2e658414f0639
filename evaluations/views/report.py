"""The report pages: the evaluator's sections in order with what each will print, a
section's heading and text edited with the suggestions that fit it, and starting the report
from the framework's outline. The printed report is ``documents``' (its preview and PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.concurrency import EditConflict
from evaluations.models import Evaluation, ReportSection
from evaluations.reports.context import ReportContext, report_context
from evaluations.reports.figures import filled
from evaluations.reports.forms import AcceptForm, SectionForm, StartForm
from evaluations.reports.suggestions import suggestions_for
from evaluations.reports.template import report_sections, report_template
from evaluations.reports.text import Paragraph, TextError, lines_of
from evaluations.scoping import can_score, evaluations_for
from evaluations.services import (
    SectionData,
    report_section_append,
    report_section_save,
    report_sections_replace,
)


def _get_evaluation_for_user(request: HttpRequest, code: str) -> Evaluation:
    """The evaluation ``code`` if the user may read it; 404 otherwise (no existence leak)."""
    return get_object_or_404(
        evaluations_for(request.user).select_related("project", "evaluator"), code=code
    )


def _editable(request: HttpRequest, evaluation: Evaluation) -> bool:
    return not evaluation.is_locked and can_score(request.user, evaluation)


def _check_editable(request: HttpRequest, evaluation: Evaluation) -> None:
    if not _editable(request, evaluation):
        raise PermissionDenied(
            _(
                "Only the evaluator may edit the report of an evaluation not yet submitted."
            )
        )


def _preview(context: ReportContext, section: ReportSection) -> list[dict[str, str]]:
    """What a section prints, line by line: a paragraph with its figures, or the block
    a [[…]] line places."""
    try:
        lines = lines_of(section.body)
    except TextError as error:
        return [{"kind": "error", "text": str(error)}]
    shown = []
    for line in lines:
        if isinstance(line, Paragraph):
            text, missing = filled(line.text, context.values)
            shown.append({"kind": "text", "text": text, "missing": "、".join(missing)})
        else:
            shown.append({"kind": "block", "text": line.source})
    return shown


@login_required
@require_GET
def report_sections_view(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _get_evaluation_for_user(request, code)
    context = report_context(code)
    sections = report_sections(context)
    stored = bool(sections) and sections[0].pk is not None
    return render(
        request,
        "evaluations/report_sections.html",
        {
            "evaluation": evaluation,
            "sections": [(s, _preview(context, s)) for s in sections],
            "stored": stored,
            "editable": _editable(request, evaluation),
            "start_form": StartForm(),
        },
    )


@login_required
@require_POST
def report_start_view(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _get_evaluation_for_user(request, code)
    _check_editable(request, evaluation)
    form = StartForm(request.POST)
    if form.is_valid():
        if evaluation.report_sections.exists():
            messages.error(
                request,
                _("The report already has its sections: edit them one by one."),
            )
        else:
            context = report_context(code)
            report_sections_replace(
                evaluation=evaluation,
                sections=[
                    SectionData(d.level, d.heading, d.body, d.kind, d.topic)
                    for d in report_template(context)
                ],
            )
            messages.success(
                request,
                _("The report starts from the framework's outline: edit each section."),
            )
    return redirect("evaluations:report", code=code)


def _section_page(
    request: HttpRequest,
    evaluation: Evaluation,
    section: ReportSection,
    form: SectionForm,
    *,
    accept_error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = report_context(evaluation.code)
    return render(
        request,
        "evaluations/report_section.html",
        {
            "evaluation": evaluation,
            "section": section,
            "form": form,
            "preview": _preview(context, section),
            "suggestions": suggestions_for(context, section)
            if _editable(request, evaluation)
            else [],
            "editable": _editable(request, evaluation),
            "accept_error": accept_error,
        },
        status=status,
    )


def _section(evaluation: Evaluation, pk: int) -> ReportSection:
    return get_object_or_404(ReportSection, evaluation=evaluation, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_section_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation = _get_evaluation_for_user(request, code)
    section = _section(evaluation, pk)
    if request.method != "POST":
        form = SectionForm(
            initial={
                "heading": section.heading,
                "body": section.body,
                "version": section.version,
            }
        )
        return _section_page(request, evaluation, section, form)
    _check_editable(request, evaluation)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            report_section_save(
                section=section,
                heading=form.cleaned_data["heading"],
                body=form.cleaned_data["body"],
                version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = SectionForm(data)
            form.is_valid()
            form.add_error(None, conflict)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Section saved."))
            return redirect("evaluations:report_section", code=code, pk=section.pk)
    section.refresh_from_db()
    return _section_page(request, evaluation, section, form, status=400)


@login_required
@require_POST
def report_accept_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation = _get_evaluation_for_user(request, code)
    section = _section(evaluation, pk)
    _check_editable(request, evaluation)
    context = report_context(code)
    form = AcceptForm(request.POST, suggestions=suggestions_for(context, section))
    error = ""
    if form.is_valid():
        try:
            report_section_append(
                section=section,
                text=form.suggestion.text,
                version=form.cleaned_data["version"],
            )
        except (EditConflict, ValidationError) as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Suggestion added to the section's text."))
            return redirect("evaluations:report_section", code=code, pk=section.pk)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    section.refresh_from_db()
    edit = SectionForm(
        initial={
            "heading": section.heading,
            "body": section.body,
            "version": section.version,
        }
    )
    return _section_page(
        request, evaluation, section, edit, accept_error=error, status=400
    )

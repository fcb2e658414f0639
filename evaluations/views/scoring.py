"""The evaluator's scoring page: the tree with weights, targets, actuals, the rule's score and
the evaluator's score, all rows in one form saved at once (only the rows that changed are
written; all of them or none); the server re-scores and returns the table fragment. How
another part adds a field to a row: /work/team/notes/scoring-page.md."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import experts_for
from core.concurrency import EditConflict
from core.lists import list_page, name_contains
from evaluations.forms import ScoreRowForm, SubmitForm, row_prefix, typed_actual
from evaluations.models import Evaluation, EvaluationIndicator, EvaluationKind
from evaluations.reviews.selectors import (
    evaluation_expert_assignments,
    experts_to_assign,
)
from evaluations.scoping import can_assign_experts, can_score, evaluations_for
from evaluations.selectors import (
    Row,
    ScoredEvaluation,
    evaluation_rows,
    evaluation_score,
    evaluation_snapshot_notes,
)
from evaluations.services import RowsRefused, evaluation_rows_save, evaluation_submit
from evaluations.views.data import data_panel

PAGE_SIZE = 25


def _get_evaluation_for_user(request: HttpRequest, code: str) -> Evaluation:
    """The evaluation ``code`` if the user may read it; 404 otherwise (no existence leak)."""
    return get_object_or_404(
        evaluations_for(request.user).select_related(
            "project", "framework", "evaluator"
        ),
        code=code,
    )


@dataclass
class RowFields:
    """A leaf's inputs on the scoring page: the values shown (what was typed, after a
    refused save; else what is stored), what is stored (the script compares the two to
    know the unsaved rows), and the messages next to each field (``""``: the row's)."""

    prefix: str
    shown: dict[str, object]
    stored: dict[str, object]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def row_errors(self) -> list[str]:
        return self.errors.get("", [])


def _stored(indicator: EvaluationIndicator) -> dict[str, object]:
    score = indicator.final_score
    return {
        "final_score": "" if score is None else str(score),
        "reason": indicator.reason,
        "applicable": indicator.applicable,
        "actual_text": typed_actual(indicator).text,
        "actual_source": typed_actual(indicator).source,
        "satisfied_points": sorted(int(i) for i in indicator.satisfied_points or ()),
    }


def _points(values: list[str]) -> list[int]:
    """The 清单 points a refused row had ticked, to tick them again."""
    return sorted({int(v) for v in values if v.isdigit()})


def _row_fields(indicator: EvaluationIndicator, form: ScoreRowForm | None) -> RowFields:
    stored = _stored(indicator)
    if form is None:
        return RowFields(row_prefix(indicator), dict(stored), stored)
    typed = {
        "final_score": form.data.get(form.add_prefix("final_score"), ""),
        "reason": form.data.get(form.add_prefix("reason"), ""),
        "applicable": form.add_prefix("applicable") in form.data,
        "actual_text": form.data.get(
            form.add_prefix("actual_text"), stored["actual_text"]
        ),
        "actual_source": form.data.get(
            form.add_prefix("actual_source"), stored["actual_source"]
        ),
        "satisfied_points": _points(
            form.data.getlist(form.add_prefix("satisfied_points"))
            if isinstance(form.data, QueryDict)
            else []
        ),
    }
    errors = {
        ("" if name == "__all__" else name): [str(m) for m in messages_]
        for name, messages_ in form.errors.items()
    }
    return RowFields(form.prefix or "", typed, stored, errors)


def _context(
    request: HttpRequest,
    scored: ScoredEvaluation,
    typed: dict[int, ScoreRowForm] | None = None,
    submit_form: SubmitForm | None = None,
) -> dict[str, object]:
    """The page's context; ``typed``: the row forms of a refused save, drawn again with
    what was typed and their messages."""
    evaluation = scored.evaluation
    typed = typed or {}
    editable = can_score(request.user, evaluation) and not evaluation.is_locked
    rows: list[tuple[Row, RowFields | None]] = [
        (
            row,
            _row_fields(row.indicator, typed.get(row.indicator.pk))
            if editable and row.is_leaf
            else None,
        )
        for row in evaluation_rows(scored)
    ]
    total = scored.result.total
    source = evaluation.source_total
    return {
        "evaluation": evaluation,
        "scored": scored,
        "rows": rows,
        "unsaved_rows": len(typed),
        "flags": [(scored.indicator_name(f), f) for f in scored.result.flags],
        "blocking_kinds": {f.kind for f in scored.blocking_flags},
        "editable": editable,
        "submit_form": submit_form or SubmitForm(initial={"total": total}),
        "source_differs": source is not None and source != total,
        "reconstructed": any(i.weight_reconstructed for i in scored.indicators),
        **_experts_context(request, evaluation),
    }


def _experts_context(request: HttpRequest, evaluation: Evaluation) -> dict[str, object]:
    """The panel of expert reviewers: everyone who reads the evaluation sees who reviews
    it (their comments are signed on the review page anyway); those who may assign get
    the forms. Querysets, so a fragment that does not show the panel queries nothing."""
    may_assign = can_assign_experts(request.user, evaluation)
    return {
        "expert_assignments": evaluation_expert_assignments(evaluation),
        "may_assign_experts": may_assign,
        "experts_to_assign": (
            experts_to_assign(experts_for(request.user), evaluation)
            if may_assign
            else []
        ),
    }


SORTS = {  # the first is the default
    "-year": ("-year", "code"),
    "year": ("year", "code"),
    "title": ("title", "-year"),
    "status": ("status", "-year"),
}


@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    """The evaluations the user may read, filtered by year, kind, status and title,
    sorted, one page at a time."""
    evaluations = evaluations_for(request.user).select_related("project", "evaluator")
    context = list_page(
        request,
        evaluations,
        sorts=SORTS,
        per_page=PAGE_SIZE,
        search=lambda query: name_contains("title", query),
        choices={"kind": EvaluationKind.values, "status": Evaluation.Status.values},
    )
    context.update(kinds=EvaluationKind.choices, statuses=Evaluation.Status.choices)
    return render(request, "evaluations/evaluation_list.html", context)


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _get_evaluation_for_user(request, code)
    scored = evaluation_score(evaluation)
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            **_context(request, scored),
            "notes": evaluation_snapshot_notes(evaluation),
            "data": data_panel(evaluation, scored.indicators),
        },
    )


FRAGMENT_HEADER = "X-Scoring-Fragment"


def _fetched(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _row_forms(scored: ScoredEvaluation, data: QueryDict) -> dict[int, ScoreRowForm]:
    """The posted rows' forms, by indicator pk (a leaf whose version was not posted is
    not part of the save)."""
    forms = {}
    for indicator in scored.indicators:
        prefix = row_prefix(indicator)
        if f"{prefix}-version" in data and not scored.children.get(indicator.pk):
            forms[indicator.pk] = ScoreRowForm(data, prefix=prefix)
    return forms


def _add_error(form: SubmitForm | ScoreRowForm, error: ValidationError) -> None:
    """A service's refusal on the form: next to the field it names, else the form's."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _refused(
    request: HttpRequest, evaluation: Evaluation, message: str, status: int
) -> HttpResponse:
    """A save refused as a whole (locked, no right): the script keeps what was typed on
    the page and shows ``message``; without the script, the message on the page."""
    if _fetched(request):
        return JsonResponse({"error": message}, status=status)
    if status == 403:
        raise PermissionDenied(message)
    messages.error(request, message)
    return redirect("evaluations:detail", code=evaluation.code)


@login_required
@require_POST
def evaluation_scores_view(request: HttpRequest, code: str) -> HttpResponse:
    """Save the scoring page: the rows that differ from what is stored, all or none.
    Refused rows are drawn again with what was typed and a message next to the field
    (400; 409 when someone saved a row since the page was drawn)."""
    evaluation = _get_evaluation_for_user(request, code)
    if not can_score(request.user, evaluation):
        return _refused(
            request, evaluation, _("You cannot score this evaluation."), 403
        )
    scored = evaluation_score(evaluation)
    by_pk = {i.pk: i for i in scored.indicators}
    forms = _row_forms(scored, request.POST)
    edits = []
    for pk, form in forms.items():
        if form.is_valid() and (edit := form.edit(by_pk[pk])) is not None:
            edits.append(edit)
    status = 400 if any(form.errors for form in forms.values()) else 200
    if status == 200:
        try:
            evaluation_rows_save(evaluation=evaluation, edits=edits)
        except RowsRefused as refused:
            status = 400
            for pk, error in refused.by_row.items():
                status = 409 if isinstance(error, EditConflict) else status
                _add_error(forms[pk], error)
        except ValidationError as error:  # locked since the page was drawn
            return _refused(request, evaluation, " ".join(error.messages), 409)
    if status == 200:
        forms = {}
        if not _fetched(request):
            messages.success(request, _("Scores saved."))
            return redirect("evaluations:detail", code=evaluation.code)
    else:  # nothing was written: only the rows with a change are drawn as typed
        forms = {
            pk: form
            for pk, form in forms.items()
            if form.errors or any(e.indicator.pk == pk for e in edits)
        }
    scored = evaluation_score(evaluation)
    context = _context(request, scored, typed=forms)
    context["saved"] = status == 200
    template = "evaluations/_scoring_table.html"
    if not _fetched(request):
        template = "evaluations/evaluation_detail.html"
        context["data"] = data_panel(evaluation, scored.indicators)
    response = render(request, template, context, status=status)
    response[FRAGMENT_HEADER] = "1"
    return response


@login_required
@require_POST
def evaluation_submit_view(request: HttpRequest, code: str) -> HttpResponse:
    """Publish the engine's total and lock the evaluation (``evaluation_submit``); a
    refusal draws the page again with the reason typed and the message beside it."""
    evaluation = _get_evaluation_for_user(request, code)
    if not can_score(request.user, evaluation):
        raise PermissionDenied(_("You cannot score this evaluation."))
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            evaluation_submit(
                evaluation=evaluation,
                user=request.user,  # type: ignore[arg-type]
                total_seen=form.cleaned_data["total"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _add_error(form, exc)
        else:
            messages.success(
                request, _("The evaluation has been submitted and is now locked.")
            )
            return redirect("evaluations:detail", code=evaluation.code)
    evaluation.refresh_from_db()
    if (
        evaluation.is_locked
    ):  # submitted from elsewhere: the page has no form to show it
        for message in form.non_field_errors():
            messages.error(request, str(message))
        return redirect("evaluations:detail", code=evaluation.code)
    scored = evaluation_score(evaluation)
    context = _context(request, scored, submit_form=form)
    context["notes"] = evaluation_snapshot_notes(evaluation)
    context["data"] = data_panel(evaluation, scored.indicators)
    return render(request, "evaluations/evaluation_detail.html", context, status=400)

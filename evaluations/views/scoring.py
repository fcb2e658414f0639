"""The evaluator's scoring page: the tree with weights, targets, actuals, the rule's score and
the evaluator's score; every change re-scores on the server and returns the table fragment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import experts_for
from core.concurrency import EditConflict
from core.lists import list_page, name_contains
from evaluations.forms import ScoreForm
from evaluations.models import Evaluation, EvaluationIndicator, EvaluationKind
from evaluations.reviews.selectors import (
    evaluation_expert_assignments,
    experts_to_assign,
)
from evaluations.scoping import can_assign_experts, can_score, evaluations_for
from evaluations.selectors import (
    ScoredEvaluation,
    evaluation_rows,
    evaluation_score,
    evaluation_snapshot_notes,
)
from evaluations.services import evaluation_indicator_score, evaluation_submit
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


def _context(
    request: HttpRequest,
    scored: ScoredEvaluation,
    error_pk: int | None = None,
    error_messages: list[str] | None = None,
) -> dict[str, object]:
    evaluation = scored.evaluation
    return {
        "evaluation": evaluation,
        "scored": scored,
        "rows": list(evaluation_rows(scored)),
        "flags": [(scored.indicator_name(f), f) for f in scored.result.flags],
        "editable": can_score(request.user, evaluation) and not evaluation.is_locked,
        "error_pk": error_pk,
        "error_messages": error_messages or [],
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


@login_required
@require_POST
def indicator_score_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation = _get_evaluation_for_user(request, code)
    if not can_score(request.user, evaluation):
        return HttpResponseForbidden(_("You cannot score this evaluation."))
    indicator = get_object_or_404(EvaluationIndicator, evaluation=evaluation, pk=pk)
    if indicator.children.exists():
        raise Http404
    form = ScoreForm(request.POST)
    errors: list[str] = []
    status = 400
    if not form.is_valid():
        errors = [str(m) for ms in form.errors.values() for m in ms]
    else:
        try:
            evaluation_indicator_score(
                indicator=indicator,
                final_score=form.cleaned_data["final_score"],
                reason=form.cleaned_data["reason"],
                applicable=form.cleaned_data["applicable"],
                version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            errors, status = conflict.messages, 409
        except ValidationError as exc:
            errors = exc.messages
    scored = evaluation_score(evaluation)
    context = _context(request, scored, indicator.pk if errors else None, errors)
    # the row is drawn again with what was typed (and the row's current version)
    context["typed"] = form.typed() if errors else None
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "evaluations/_scoring_table.html", context, status=200)
    if errors:
        return render(
            request, "evaluations/evaluation_detail.html", context, status=status
        )
    return redirect("evaluations:detail", code=evaluation.code)


@login_required
@require_POST
def evaluation_submit_view(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _get_evaluation_for_user(request, code)
    if not can_score(request.user, evaluation):
        return HttpResponseForbidden(_("You cannot score this evaluation."))
    try:
        evaluation_submit(evaluation=evaluation, user=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The evaluation has been submitted and is now locked.")
        )
    return redirect("evaluations:detail", code=evaluation.code)

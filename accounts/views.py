"""The review page of an evaluation: expert reviewers read it and comment; everyone who may
read the evaluation sees the comments and the history of every score (who, when, before,
after — django-simple-history)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.scoping import can_comment_evaluation, evaluations_for
from accounts.services import expert_comment_add
from evaluations.models import Evaluation, EvaluationIndicator

HISTORY_ROWS = 50


def _get_evaluation_for_user(request: HttpRequest, code: str) -> Evaluation:
    """The evaluation ``code`` if the user may read it; 404 otherwise."""
    return get_object_or_404(
        evaluations_for(request.user).select_related("project", "evaluator"),
        code=code,
    )


@login_required
def evaluation_review(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _get_evaluation_for_user(request, code)
    may_comment = can_comment_evaluation(request.user, evaluation)
    if request.method == "POST":
        if not may_comment:
            raise PermissionDenied
        indicator = None
        if pk := request.POST.get("indicator", ""):
            indicator = get_object_or_404(
                EvaluationIndicator, evaluation=evaluation, pk=pk if pk.isdigit() else 0
            )
        try:
            expert_comment_add(
                evaluation=evaluation,
                author=request.user,  # type: ignore[arg-type]
                text=request.POST.get("text", ""),
                indicator=indicator,
            )
        except ValidationError:
            messages.error(request, _("Write a comment first."))
        else:
            messages.success(request, _("Your comment has been saved."))
        return redirect("reviews:evaluation", code=evaluation.code)
    comments = evaluation.expert_comments.select_related("author", "indicator")
    history = (
        EvaluationIndicator.history.filter(evaluation_id=evaluation.pk)
        .exclude(history_type="+")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:HISTORY_ROWS]
    )
    leaves = (
        evaluation.indicators.filter(children__isnull=True)
        .order_by("position")
        .only("pk", "name")
    )
    return render(
        request,
        "accounts/evaluation_review.html",
        {
            "evaluation": evaluation,
            "comments": comments,
            "history": history,
            "leaves": leaves,
            "may_comment": may_comment,
        },
    )

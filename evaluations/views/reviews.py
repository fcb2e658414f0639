"""The review page of an evaluation: expert reviewers read it and comment; everyone who may
read the evaluation sees the comments and the history of every score (who, when, before,
after — django-simple-history). Assigning and unassigning the experts (from the panel on the
evaluation's page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import ExpertAssignment
from accounts.scoping import experts_for
from core.people import person_name
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.reviews.forms import ExpertAssignForm, ExpertCommentForm
from evaluations.reviews.services import (
    expert_assignment_create,
    expert_assignment_delete,
    expert_comment_add,
)
from evaluations.scoping import (
    can_assign_experts,
    can_comment_evaluation,
    evaluations_for,
)

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
        form = ExpertCommentForm(request.POST, evaluation=evaluation)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, str(message))
            return redirect("reviews:evaluation", code=evaluation.code)
        try:
            expert_comment_add(
                evaluation=evaluation,
                author=request.user,  # type: ignore[arg-type]
                text=form.cleaned_data["text"],
                indicator=form.cleaned_data["indicator"],
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


def _get_evaluation_to_assign(request: HttpRequest, code: str) -> Evaluation:
    """The evaluation ``code`` if the user may assign its experts: 404 when they cannot
    read it, 403 when they read it but may not assign."""
    evaluation = _get_evaluation_for_user(request, code)
    if not can_assign_experts(request.user, evaluation):
        raise PermissionDenied
    return evaluation


@login_required
@require_POST
def expert_assign(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = _get_evaluation_to_assign(request, code)
    form = ExpertAssignForm(request.POST, experts=experts_for(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("evaluations:detail", code=evaluation.code)
    expert = form.cleaned_data["expert"]
    try:
        _assignment, created = expert_assignment_create(
            evaluation=evaluation, expert=expert
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        name = {"name": person_name(expert)}
        if created:
            messages.success(
                request, _("%(name)s can now review this evaluation.") % name
            )
        else:
            messages.info(
                request, _("%(name)s is already assigned to this evaluation.") % name
            )
    return redirect("evaluations:detail", code=evaluation.code)


@login_required
@require_POST
def expert_unassign(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation = _get_evaluation_to_assign(request, code)
    assignment = get_object_or_404(
        ExpertAssignment.objects.select_related("user"), evaluation=evaluation, pk=pk
    )
    expert_assignment_delete(assignment=assignment)
    messages.success(
        request,
        _("%(name)s no longer reviews this evaluation.")
        % {"name": person_name(assignment.user)},
    )
    return redirect("evaluations:detail", code=evaluation.code)

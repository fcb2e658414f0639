"""The evaluations' part of 待办 (``core.inbox``), registered by ``EvaluationsConfig.ready``:

- evaluator: the evaluations assigned to its organisation that are not yet submitted;
- implementing unit: its own projects' self-evaluations not yet submitted;
- expert reviewer: the evaluations assigned to them that they have not yet commented on.

Each through ``evaluations_for`` (``evaluations.scoping``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import own_organisation_id, role_of
from core.access import Role
from core.inbox import Task, TaskSource, register
from evaluations.models import Evaluation, EvaluationKind, ReviewStage
from evaluations.scoping import evaluations_for


def _to_score(user: Any) -> QuerySet[Evaluation]:
    # the role first: another role's scoping is not even built (a department's reads
    # its organisation tree)
    if role_of(user) == Role.EVALUATOR:
        return evaluations_for(user).filter(status=Evaluation.Status.DRAFT)
    unit = own_organisation_id(user, Role.UNIT)
    if unit is not None:
        return evaluations_for(user).filter(
            status=Evaluation.Status.DRAFT,
            kind=EvaluationKind.SELF,
            project__unit_id=unit,
        )
    return Evaluation.objects.none()


def _score_tasks(user: Any, limit: int) -> Sequence[Task]:
    return [
        Task(
            title=evaluation.title,
            url=reverse(
                "evaluations:self_table"
                if evaluation.kind == EvaluationKind.SELF
                else "evaluations:detail",
                args=[evaluation.code],
            ),
            detail=(
                _("returned for changes: change and submit again")
                if evaluation.review_stage == ReviewStage.RETURNED
                else _("not yet submitted: score and submit")
            ),
        )
        for evaluation in _to_score(user).order_by("year", "code")[:limit]
    ]


def _to_review(user: Any) -> QuerySet[Evaluation]:
    if role_of(user) != Role.EXPERT:
        return Evaluation.objects.none()
    return evaluations_for(user).exclude(expert_comments__author=user)


def _review_tasks(user: Any, limit: int) -> Sequence[Task]:
    return [
        Task(
            title=evaluation.title,
            url=reverse("reviews:evaluation", args=[evaluation.code]),
            detail=_("assigned to you, no comment from you yet"),
        )
        for evaluation in _to_review(user).order_by("year", "code")[:limit]
    ]


def _to_decide(user: Any) -> QuerySet[Evaluation]:
    """Self-evaluations awaiting the user's decision: the 主管部门's, then finance's."""
    role = role_of(user)
    stage: dict[str | None, str] = {
        Role.DEPARTMENT: ReviewStage.DEPARTMENT,
        Role.FINANCE: ReviewStage.FINANCE,
    }
    if role not in stage:
        return Evaluation.objects.none()
    return evaluations_for(user).filter(
        kind=EvaluationKind.SELF, review_stage=stage[role]
    )


def _decide_tasks(user: Any, limit: int) -> Sequence[Task]:
    return [
        Task(
            title=evaluation.title,
            url=reverse("evaluations:self_table", args=[evaluation.code]),
            since=evaluation.submitted_at,
            detail=_("self-evaluation submitted: forward, accept or return"),
        )
        for evaluation in _to_decide(user).order_by("submitted_at", "code")[:limit]
    ]


def register_sources() -> None:
    register(
        TaskSource(
            key="self-evaluations-to-decide",
            title=gettext_lazy("Self-evaluations to review"),
            count=lambda user: _to_decide(user).count(),
            items=_decide_tasks,
            list_url=lambda user: reverse("evaluations:list"),
            order=55,
        )
    )
    register(
        TaskSource(
            key="evaluations-to-score",
            title=gettext_lazy("Evaluations to score"),
            count=lambda user: _to_score(user).count(),
            items=_score_tasks,
            list_url=lambda user: reverse("evaluations:list"),
            order=50,
        )
    )
    register(
        TaskSource(
            key="evaluations-to-review",
            title=gettext_lazy("Evaluations to review as an expert"),
            count=lambda user: _to_review(user).count(),
            items=_review_tasks,
            list_url=lambda user: reverse("evaluations:list"),
            order=60,
        )
    )

"""A self-evaluation's review, as a target form's: the unit submits it to its 主管部门
(locked from then on), the department forwards it to the finance bureau, which accepts
it (locked for good); either returns it with comments (the unit changes it and submits
again). Every step is a ``ReviewStep`` (who, when, which submission, what comment); every
change of a value is in the indicators' and the evaluation's history."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import (
    Evaluation,
    EvaluationKind,
    ReviewAction,
    ReviewStage,
    ReviewStep,
)
from evaluations.selectors import evaluation_score
from evaluations.self_evaluations import deviation_missing
from evaluations.services.submission import evaluation_submit


def _self_evaluation(evaluation: Evaluation) -> Evaluation:
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.kind != EvaluationKind.SELF:
        raise ValidationError(_("Only a self-evaluation is reviewed this way."))
    return locked


def _check_stage(evaluation: Evaluation, stages: Sequence[str]) -> None:
    if evaluation.review_stage not in stages:
        raise ValidationError(
            _("This is not possible while the self-evaluation is “%(stage)s”.")
            % {"stage": _stage_label(evaluation)}
        )


def _stage_label(evaluation: Evaluation) -> str:
    if not evaluation.review_stage:
        return str(_("Draft"))
    return str(evaluation.get_review_stage_display())


def _step(
    evaluation: Evaluation,
    *,
    user: AbstractBaseUser,
    action: str,
    comment: str = "",
    total: Decimal | None = None,
) -> ReviewStep:
    step = ReviewStep(
        evaluation=evaluation,
        round=evaluation.submissions,
        action=action,
        comment=comment.strip(),
        total=total,
        by=user,  # type: ignore[misc]
    )
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def self_evaluation_submit(
    *, evaluation: Evaluation, user: AbstractBaseUser, total_seen: Decimal | None = None
) -> Evaluation:
    """The unit submits its self-evaluation to the 主管部门: refused while a row that
    misses or over-achieves its target has no 偏差原因分析及改进措施, while the 年度总体目标's
    实际完成情况 is empty, or while the scores have a blocking flag (``evaluation_submit``,
    which also publishes the total and keeps the snapshot). Nothing is written on error."""
    evaluation = _self_evaluation(evaluation)
    _check_stage(evaluation, (ReviewStage.NONE, ReviewStage.RETURNED))
    errors = []
    if not evaluation.goal_achieved.strip():
        errors.append(_("Write the actual completion of the annual overall goal."))
    for name in deviation_missing(evaluation_score(evaluation)):
        errors.append(
            _(
                "“%(name)s” misses or over-achieves its target: write the causes of "
                "the deviation and the improvements."
            )
            % {"name": name}
        )
    if errors:
        raise ValidationError(errors)
    evaluation.submissions += 1
    evaluation.review_stage = ReviewStage.DEPARTMENT
    evaluation.save(update_fields=["submissions", "review_stage"])
    scored = evaluation_submit(evaluation=evaluation, user=user, total_seen=total_seen)
    evaluation.refresh_from_db()
    _step(
        evaluation, user=user, action=ReviewAction.SUBMITTED, total=scored.result.total
    )
    return evaluation


@transaction.atomic
def self_evaluation_forward(
    *, evaluation: Evaluation, user: AbstractBaseUser, comment: str = ""
) -> Evaluation:
    """The 主管部门 forwards a submitted self-evaluation to the finance bureau."""
    evaluation = _self_evaluation(evaluation)
    _check_stage(evaluation, (ReviewStage.DEPARTMENT,))
    evaluation.review_stage = ReviewStage.FINANCE
    evaluation.full_clean()
    evaluation.save(update_fields=["review_stage"])
    _step(evaluation, user=user, action=ReviewAction.FORWARDED, comment=comment)
    return evaluation


@transaction.atomic
def self_evaluation_return(
    *, evaluation: Evaluation, user: AbstractBaseUser, comment: str
) -> Evaluation:
    """The 主管部门 or the finance bureau returns the self-evaluation with a comment
    saying what to change: it is a draft again for the unit (its published total
    withdrawn; the next submission publishes and snapshots it again)."""
    evaluation = _self_evaluation(evaluation)
    _check_stage(evaluation, (ReviewStage.DEPARTMENT, ReviewStage.FINANCE))
    if not comment.strip():
        raise ValidationError(
            {"comment": _("Say what to change when returning the self-evaluation.")}
        )
    evaluation.review_stage = ReviewStage.RETURNED
    evaluation.status = Evaluation.Status.DRAFT
    evaluation.published_total = None
    evaluation.published_grade = ""
    evaluation.full_clean()
    evaluation.save(
        update_fields=["review_stage", "status", "published_total", "published_grade"]
    )
    _step(evaluation, user=user, action=ReviewAction.RETURNED, comment=comment)
    return evaluation


@transaction.atomic
def self_evaluation_accept(
    *, evaluation: Evaluation, user: AbstractBaseUser, comment: str = ""
) -> Evaluation:
    """The finance bureau accepts the self-evaluation: it stays locked for good."""
    evaluation = _self_evaluation(evaluation)
    _check_stage(evaluation, (ReviewStage.FINANCE,))
    evaluation.review_stage = ReviewStage.ACCEPTED
    evaluation.full_clean()
    evaluation.save(update_fields=["review_stage"])
    _step(
        evaluation,
        user=user,
        action=ReviewAction.ACCEPTED,
        comment=comment,
        total=evaluation.published_total,
    )
    return evaluation

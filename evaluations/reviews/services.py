"""Writes of expert reviews: expert assignments and experts' comments (validated
before they are saved)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import ExpertAssignment, ExpertComment, Membership
from core.access import Role
from evaluations.models import Evaluation, EvaluationIndicator


def expert_comment_add(
    *,
    evaluation: Evaluation,
    author: User,
    text: str,
    indicator: EvaluationIndicator | None = None,
) -> ExpertComment:
    """Record an expert's comment (validated before it is saved)."""
    comment = ExpertComment(
        evaluation=evaluation, indicator=indicator, author=author, text=text.strip()
    )
    comment.full_clean()
    comment.save()
    return comment


def expert_assignment_create(
    *, evaluation: Evaluation, expert: User
) -> tuple[ExpertAssignment, bool]:
    """Invite ``expert`` to review ``evaluation``: they see it from now on.

    Returns the assignment and whether it is new; assigning an expert twice changes
    nothing. Raises ``ValidationError`` when ``expert`` is not an expert reviewer.
    (Whether the assigning user may choose this expert is ``accounts.scoping``'s
    ``experts_for``; the caller checks it.)"""
    is_expert = Membership.objects.filter(user=expert, role=Role.EXPERT).exists()
    if not (expert.is_active and is_expert):
        raise ValidationError(_("Only expert reviewers can be assigned."))
    existing = ExpertAssignment.objects.filter(
        user=expert, evaluation=evaluation
    ).first()
    if existing is not None:
        return existing, False
    assignment = ExpertAssignment(user=expert, evaluation=evaluation)
    assignment.full_clean()
    try:
        # A savepoint: when a concurrent request assigned the same expert first, the
        # unique constraint refuses this row and the surrounding transaction goes on.
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        return ExpertAssignment.objects.get(user=expert, evaluation=evaluation), False
    return assignment, True


def expert_assignment_delete(*, assignment: ExpertAssignment) -> None:
    """End an expert's review of an evaluation: they no longer see it. Their comments stay
    on the evaluation."""
    assignment.delete()

"""Writes of the accounts app: experts' comments (validated before they are saved)."""

from __future__ import annotations

from django.contrib.auth.models import User

from accounts.models import ExpertComment
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

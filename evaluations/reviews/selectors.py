"""Reads of expert reviews: the expert reviewers of an evaluation."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from accounts.models import ExpertAssignment
from evaluations.models import Evaluation


def evaluation_expert_assignments(
    evaluation: Evaluation,
) -> QuerySet[ExpertAssignment]:
    """The experts assigned to ``evaluation`` with their organisations, first assigned
    first."""
    return (
        ExpertAssignment.objects.filter(evaluation=evaluation)
        .select_related("user__membership__organisation")
        .order_by("assigned_at", "pk")
    )


def experts_to_assign(
    experts: QuerySet[User], evaluation: Evaluation
) -> QuerySet[User]:
    """Of ``experts`` (already scoped to the assigning user), those not yet assigned to
    ``evaluation``, with their organisations, by organisation and name."""
    return (
        experts.exclude(expert_assignments__evaluation=evaluation)
        .select_related("membership__organisation")
        .order_by("membership__organisation__name", "username")
    )

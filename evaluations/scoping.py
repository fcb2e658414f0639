"""What a user may see and do with evaluations: accounts' answer (``accounts.scoping``:
who the user is, which organisations they see, which evaluations they were assigned to
review) applied to evaluations. The whole role × action table is ``docs/rights.md``."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from accounts.scoping import (
    assigned_evaluation_ids,
    is_administrator,
    is_assigned_expert,
    membership_of,
    organisations_for,
    role_of,
)
from budgets.scoping import projects_for
from core.access import Role
from evaluations.models import Evaluation, EvaluationKind


def evaluations_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Evaluation]:
    """The evaluations ``user`` may read.

    Evaluators see the evaluations assigned to their organisation, experts those assigned to
    them personally (``accounts.models.ExpertAssignment``); finance, departments and units
    those of the projects and organisations they see, and those their organisation
    commissioned.
    """
    if is_administrator(user):
        return Evaluation.objects.all()
    membership = membership_of(user)
    if membership is None:
        return Evaluation.objects.none()
    org = membership.organisation
    if membership.role == Role.EXPERT:
        return Evaluation.objects.filter(pk__in=assigned_evaluation_ids(user))
    if membership.role == Role.EVALUATOR:
        return Evaluation.objects.filter(evaluator=org)
    return Evaluation.objects.filter(
        Q(project__in=projects_for(user))
        | Q(organisation__in=organisations_for(user))
        | Q(commissioned_by=org)
    ).distinct()


def can_score(user: AbstractBaseUser | AnonymousUser, evaluation: Evaluation) -> bool:
    """Who enters scores: the assigned evaluator's staff, the unit itself for a
    self-evaluation of its own project, or an administrator."""
    if is_administrator(user):
        return True
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role == Role.EVALUATOR:
        return evaluation.evaluator_id == membership.organisation_id
    if membership.role == Role.UNIT and evaluation.kind == EvaluationKind.SELF:
        return (
            evaluation.project is not None
            and evaluation.project.unit_id == membership.organisation_id
        )
    return False


def can_comment_evaluation(
    user: AbstractBaseUser | AnonymousUser, evaluation: Evaluation
) -> bool:
    """Experts comment on the evaluations assigned to them; administrators may too."""
    return is_administrator(user) or is_assigned_expert(user, evaluation.pk)


def can_assign_experts(
    user: AbstractBaseUser | AnonymousUser, evaluation: Evaluation
) -> bool:
    """Who invites expert reviewers to an evaluation and removes them: the finance bureau
    that sees the evaluation, or an administrator. (Call on an evaluation reached through
    ``evaluations_for``.)"""
    return is_administrator(user) or role_of(user) == Role.FINANCE


def can_edit_self_evaluation(
    user: AbstractBaseUser | AnonymousUser, evaluation: Evaluation
) -> bool:
    """The unit fills in and submits its own project's self-evaluation (administrators
    too) while it is a draft or returned."""
    return (
        evaluation.kind == EvaluationKind.SELF
        and not evaluation.is_locked
        and can_score(user, evaluation)
        and role_of(user) in (Role.UNIT, Role.ADMINISTRATOR)
    )


def can_review_self_evaluation(
    user: AbstractBaseUser | AnonymousUser, evaluation: Evaluation
) -> bool:
    """Who decides a submitted self-evaluation at its stage: the supervising department
    (主管部门) of the project while it awaits the department, the finance bureau while it
    awaits finance; administrators at either. (Call on an evaluation reached through
    ``evaluations_for``.)"""
    if evaluation.kind != EvaluationKind.SELF:
        return False
    stage = evaluation.review_stage
    if is_administrator(user):
        return stage in ("department", "finance")
    membership = membership_of(user)
    if membership is None:
        return False
    if stage == "department" and membership.role == Role.DEPARTMENT:
        project = evaluation.project
        return project is not None and project.department_id in set(
            organisations_for(user).values_list("pk", flat=True)
        )
    return stage == "finance" and membership.role == Role.FINANCE

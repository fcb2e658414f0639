"""What a user may see: the one place that turns a user into querysets.

Views call these helpers instead of ``Model.objects.all()`` so that no page can forget to scope
its data. Rules (issue: roles and access):

- administrator (or a superuser): everything;
- finance bureau staff: the projects and organisations of the bureau's city (or region, when
  the bureau has no city);
- supervising department: its own organisation and every organisation below it;
- implementing unit / hotline centre: its own organisation only;
- evaluator and expert: nothing through organisations; they reach the evaluations assigned to
  their organisation (``evaluations_for``).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import Membership, Role
from budgets.models import Organisation, Project
from evaluations.models import Evaluation, EvaluationKind


def membership_of(user: AbstractBaseUser | AnonymousUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        membership: Membership = user.membership  # type: ignore[attr-defined]
    except Membership.DoesNotExist:
        return None
    return membership


def is_administrator(user: AbstractBaseUser | AnonymousUser) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    membership = membership_of(user)
    return membership is not None and membership.role == Role.ADMINISTRATOR


def _descendant_ids(root: Organisation) -> set[int]:
    """The organisation and everything below it (one query per level; trees are shallow)."""
    found, frontier = {root.pk}, {root.pk}
    while frontier:
        frontier = set(
            Organisation.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found |= frontier
    return found


def organisations_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations whose data ``user`` may see."""
    if is_administrator(user):
        return Organisation.objects.all()
    membership = membership_of(user)
    if membership is None:
        return Organisation.objects.none()
    org = membership.organisation
    match membership.role:
        case Role.FINANCE:
            if org.city:
                return Organisation.objects.filter(city=org.city)
            return Organisation.objects.filter(region=org.region)
        case Role.DEPARTMENT:
            return Organisation.objects.filter(pk__in=_descendant_ids(org))
        case Role.UNIT:
            return Organisation.objects.filter(pk=org.pk)
        case _:
            return Organisation.objects.none()


def projects_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """The projects ``user`` may see: those whose department or unit is visible to them."""
    if is_administrator(user):
        return Project.objects.all()
    visible = organisations_for(user)
    return Project.objects.filter(
        Q(department__in=visible) | Q(unit__in=visible)
    ).distinct()


def evaluations_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Evaluation]:
    """The evaluations ``user`` may read.

    Evaluators and experts see the evaluations assigned to their organisation; finance,
    departments and units those of the projects and organisations they see, and those their
    organisation commissioned.
    """
    if is_administrator(user):
        return Evaluation.objects.all()
    membership = membership_of(user)
    if membership is None:
        return Evaluation.objects.none()
    org = membership.organisation
    if membership.role in (Role.EVALUATOR, Role.EXPERT):
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

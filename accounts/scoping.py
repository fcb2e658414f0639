"""Who the user is and what they may see: the answer every app's scoping starts from.

accounts imports no other app: it answers with the user's membership and role, the
organisations whose data they may see (the model its ``Membership.organisation`` points to,
``budgets.Organisation``) and the evaluations an expert was personally assigned (ids). Each
app turns that answer into its own querysets and its own rights in its own ``scoping.py``
(``budgets.scoping.projects_for``, ``targets.scoping.target_forms_for``,
``evaluations.scoping.evaluations_for``, ``operations.scoping.operating_data_unit`` …), so
that no page can forget to scope its data. Rules (issue: roles and access):

- administrator (or a superuser): everything;
- finance bureau staff: the organisations of the bureau's city (or region, when the bureau
  has no city);
- supervising department: its own organisation and every organisation below it;
- implementing unit / hotline centre: its own organisation only;
- evaluator: nothing through organisations; it reaches the evaluations assigned to its
  organisation (``evaluations.scoping.evaluations_for``);
- expert reviewer: nothing through organisations; the evaluations they were personally
  assigned (``ExpertAssignment``, ``assigned_evaluation_ids``), to read and comment on. The
  finance bureau that sees the evaluation, or an administrator, assigns them, choosing among
  the experts of the organisations it sees (``experts_for``).

What a user may *do* is decided by the ``can_*`` helpers of the app that owns the object,
always on an object already reached through one of the querysets, so a view checks
visibility (404) before permission (403). The whole role × action table is
``docs/rights.md``; views never test a role themselves.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import QuerySet

from accounts.models import ExpertAssignment, Membership
from core.access import Access, Role


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


def role_of(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The user's role; administrators (superusers included) are ``Role.ADMINISTRATOR``."""
    if is_administrator(user):
        return Role.ADMINISTRATOR
    membership = membership_of(user)
    return None if membership is None else membership.role


def own_organisation_id(
    user: AbstractBaseUser | AnonymousUser, role: str
) -> int | None:
    """The user's organisation when they act in ``role`` (administrators included only
    when ``role`` is theirs), else ``None``."""
    membership = membership_of(user)
    if membership is None or membership.role != role:
        return None
    return membership.organisation_id


def _organisations() -> QuerySet[Any]:
    """Every organisation: the model ``Membership.organisation`` points to (by its string
    reference), so that accounts names no other app's model."""
    model = Membership._meta.get_field("organisation").related_model
    assert not isinstance(model, str)
    return model._default_manager.all()


def _descendant_ids(root_pk: int) -> set[int]:
    """The organisation and everything below it (one query per level; trees are shallow)."""
    found, frontier = {root_pk}, {root_pk}
    while frontier:
        frontier = set(
            _organisations()
            .filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found |= frontier
    return found


def organisations_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Any]:
    """The organisations (``budgets.Organisation``) whose data ``user`` may see."""
    if is_administrator(user):
        return _organisations()
    membership = membership_of(user)
    if membership is None:
        return _organisations().none()
    org = membership.organisation
    match membership.role:
        case Role.FINANCE:
            if org.city:
                return _organisations().filter(city=org.city)
            return _organisations().filter(region=org.region)
        case Role.DEPARTMENT:
            return _organisations().filter(pk__in=_descendant_ids(org.pk))
        case Role.UNIT:
            return _organisations().filter(pk=org.pk)
        case _:
            return _organisations().none()


def visible_organisation_ids(
    user: AbstractBaseUser | AnonymousUser,
) -> QuerySet[Any, int]:
    """The visible organisations' ids as a subquery (``id IN (SELECT …)``), without the
    model's ordering: the database hashes it once per query. (A list of a city's hundred
    ids, bound as parameters three times per query, cost more to build and to send.)"""
    return organisations_for(user).order_by().values_list("pk", flat=True)


def assigned_evaluation_ids(
    user: AbstractBaseUser | AnonymousUser,
) -> QuerySet[ExpertAssignment, Any]:
    """The ids of the evaluations ``user`` was personally assigned to review, as a
    subquery (``ExpertAssignment``)."""
    return ExpertAssignment.objects.filter(user=user).values(  # type: ignore[misc]
        "evaluation_id"
    )


def is_assigned_expert(
    user: AbstractBaseUser | AnonymousUser, evaluation_id: int
) -> bool:
    """Whether ``user`` is an expert reviewer assigned to the evaluation ``evaluation_id``."""
    if role_of(user) != Role.EXPERT:
        return False
    return ExpertAssignment.objects.filter(  # type: ignore[misc]
        user=user, evaluation_id=evaluation_id
    ).exists()


def experts_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[User]:
    """The expert reviewers ``user`` may invite: the active users with an expert
    membership in an organisation ``user`` sees (every expert, for an administrator)."""
    experts = User.objects.filter(membership__role=Role.EXPERT, is_active=True)
    if is_administrator(user):
        return experts
    return experts.filter(membership__organisation__in=visible_organisation_ids(user))


def access_for(user: AbstractBaseUser | AnonymousUser) -> Access:
    """The answer as a plain value (core/access.py), for the apps that may not import
    accounts."""
    membership = membership_of(user)
    return Access(
        administrator=is_administrator(user),
        membership_role=None if membership is None else membership.role,
        organisation_id=None if membership is None else membership.organisation_id,
        visible=lambda: organisations_for(user),
    )

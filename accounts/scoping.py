"""What a user may see: the one place that turns a user into querysets.

Views call these helpers instead of ``Model.objects.all()`` so that no page can forget to scope
its data. Rules (issue: roles and access):

- administrator (or a superuser): everything;
- finance bureau staff: the projects and organisations of the bureau's city (or region, when
  the bureau has no city);
- supervising department: its own organisation and every organisation below it;
- implementing unit / hotline centre: its own organisation only;
- evaluator: nothing through organisations; it reaches the evaluations assigned to its
  organisation (``evaluations_for``);
- expert reviewer: nothing through organisations; the evaluations they were personally
  assigned (``accounts.models.ExpertAssignment``), to read and comment on. The finance
  bureau that sees the evaluation, or an administrator, assigns them
  (``can_assign_experts``), choosing among the experts of the organisations it sees
  (``experts_for``).

What a user may *do* is decided here too (``can_*``, ``budget_figures_editable``,
``operating_data_unit``), always on an object already reached through one of the querysets,
so a view checks visibility (404) before permission (403). The whole role × action table is
``docs/rights.md``; views never test a role themselves.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Q, QuerySet

from accounts.models import ExpertAssignment, Membership, Role
from budgets.models import BudgetYear, Organisation, Project
from evaluations.models import Evaluation, EvaluationKind
from targets.models import TargetForm


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
    visible = _visible_ids(user)
    # Both conditions are on the project's own columns (no join), so no row repeats and
    # no DISTINCT is needed.
    return Project.objects.filter(Q(department__in=visible) | Q(unit__in=visible))


def _visible_ids(
    user: AbstractBaseUser | AnonymousUser,
) -> QuerySet[Organisation, int]:
    """The visible organisations' ids as a subquery (``id IN (SELECT …)``), without the
    model's ordering: the database hashes it once per query. (A list of a city's hundred
    ids, bound as parameters three times per query, cost more to build and to send.)"""
    return organisations_for(user).order_by().values_list("pk", flat=True)


def evaluations_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Evaluation]:
    """The evaluations ``user`` may read.

    Evaluators see the evaluations assigned to their organisation, experts those assigned to
    them personally (``ExpertAssignment``); finance, departments and units those of the
    projects and organisations they see, and those their organisation commissioned.
    """
    if is_administrator(user):
        return Evaluation.objects.all()
    membership = membership_of(user)
    if membership is None:
        return Evaluation.objects.none()
    org = membership.organisation
    if membership.role == Role.EXPERT:
        return Evaluation.objects.filter(
            pk__in=ExpertAssignment.objects.filter(user=user).values(  # type: ignore[misc]
                "evaluation_id"
            )
        )
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


def role_of(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The user's role; administrators (superusers included) are ``Role.ADMINISTRATOR``."""
    if is_administrator(user):
        return Role.ADMINISTRATOR
    membership = membership_of(user)
    return None if membership is None else membership.role


def target_forms_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[TargetForm]:
    """The target forms ``user`` may read: those of visible projects, and the department
    forms of visible organisations."""
    if is_administrator(user):
        return TargetForm.objects.all()
    if role_of(user) not in (Role.FINANCE, Role.DEPARTMENT, Role.UNIT):
        return TargetForm.objects.none()
    visible = _visible_ids(user)
    return TargetForm.objects.filter(
        Q(project__department__in=visible)
        | Q(project__unit__in=visible)
        | Q(organisation__in=visible)
    )


def budget_years_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[BudgetYear]:
    """The project budget years ``user`` may read."""
    if is_administrator(user):
        return BudgetYear.objects.all()
    visible = _visible_ids(user)
    return BudgetYear.objects.filter(
        Q(project__department__in=visible) | Q(project__unit__in=visible)
    )


def _own_org_id(user: AbstractBaseUser | AnonymousUser, role: str) -> int | None:
    membership = membership_of(user)
    if membership is None or membership.role != role:
        return None
    return membership.organisation_id


def operating_data_unit(user: AbstractBaseUser | AnonymousUser) -> Organisation | None:
    """The hotline centre whose operating data ``user`` uploads, confirms and discards
    and whose custom metrics they add: their own unit. ``None`` for every other role,
    administrators included (a centre's operating figures are its own to report)."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.UNIT:
        return None
    return membership.organisation


def can_upload_operating_data(
    user: AbstractBaseUser | AnonymousUser, organisation: Organisation
) -> bool:
    """Whether ``user`` reports ``organisation``'s operating data (``operating_data_unit``)."""
    return _own_org_id(user, Role.UNIT) == organisation.pk


def can_prepare_target_form(
    user: AbstractBaseUser | AnonymousUser, form: TargetForm
) -> bool:
    """Who drafts and submits a form: the implementing unit of the project (or the
    organisation of a department form), a supervising department for its own department
    form, or an administrator."""
    if is_administrator(user):
        return True
    unit = _own_org_id(user, Role.UNIT)
    if unit is not None:
        return (form.project is not None and form.project.unit_id == unit) or (
            form.organisation_id == unit
        )
    department = _own_org_id(user, Role.DEPARTMENT)
    return department is not None and form.organisation_id == department


def projects_to_prepare(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """The projects ``user`` may start a target form for: their own unit's."""
    if is_administrator(user):
        return Project.objects.all()
    unit = _own_org_id(user, Role.UNIT)
    if unit is None:
        return Project.objects.none()
    return Project.objects.filter(unit_id=unit)


def can_review_target_form(
    user: AbstractBaseUser | AnonymousUser, form: TargetForm
) -> bool:
    """Who returns, approves and decides adjustments: the finance bureau that sees the
    form, or an administrator. (Call on a form reached through ``target_forms_for``.)"""
    return is_administrator(user) or role_of(user) == Role.FINANCE


# The figures of a budget year and of its lines, by who sets them (docs/rights.md):
# the budget (年初预算, 追加, 调减 and each line's 预算) is the finance bureau's to set,
# and a unit that needs more asks through 预算调整 (``can_request_budget_adjustment``);
# execution (到位, 支出) is reported by the project's unit and by the finance bureau.
BUDGET_FIGURES = frozenset({"initial", "addition", "reduction", "budget"})
EXECUTION_FIGURES = frozenset({"received", "expenditure"})


def budget_figures_editable(
    user: AbstractBaseUser | AnonymousUser, budget_year: BudgetYear
) -> frozenset[str]:
    """The figures of ``budget_year`` (and of its lines) that ``user`` may change, by
    field name: ``BUDGET_FIGURES`` and ``EXECUTION_FIGURES`` for the finance bureau that
    sees the year and for an administrator, ``EXECUTION_FIGURES`` for the project's own
    unit, nothing for anyone else. (Call on a visible budget year.)"""
    if is_administrator(user) or role_of(user) == Role.FINANCE:
        return BUDGET_FIGURES | EXECUTION_FIGURES
    if _own_org_id(user, Role.UNIT) == budget_year.project.unit_id:
        return EXECUTION_FIGURES
    return frozenset()


def can_edit_budget_year(
    user: AbstractBaseUser | AnonymousUser, budget_year: BudgetYear
) -> bool:
    """Whether ``user`` may change any figure of the year (``budget_figures_editable``)."""
    return bool(budget_figures_editable(user, budget_year))


def can_request_budget_adjustment(
    user: AbstractBaseUser | AnonymousUser, budget_year: BudgetYear
) -> bool:
    if is_administrator(user):
        return True
    return _own_org_id(user, Role.UNIT) == budget_year.project.unit_id


def can_decide_budget_adjustment(
    user: AbstractBaseUser | AnonymousUser, budget_year: BudgetYear
) -> bool:
    return is_administrator(user) or role_of(user) == Role.FINANCE


def can_comment_evaluation(
    user: AbstractBaseUser | AnonymousUser, evaluation: Evaluation
) -> bool:
    """Experts comment on the evaluations assigned to them; administrators may too."""
    if is_administrator(user):
        return True
    if role_of(user) != Role.EXPERT:
        return False
    return ExpertAssignment.objects.filter(user=user, evaluation=evaluation).exists()  # type: ignore[misc]


def experts_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[User]:
    """The expert reviewers ``user`` may invite: the active users with an expert
    membership in an organisation ``user`` sees (every expert, for an administrator)."""
    experts = User.objects.filter(membership__role=Role.EXPERT, is_active=True)
    if is_administrator(user):
        return experts
    return experts.filter(membership__organisation__in=_visible_ids(user))


def can_assign_experts(
    user: AbstractBaseUser | AnonymousUser, evaluation: Evaluation
) -> bool:
    """Who invites expert reviewers to an evaluation and removes them: the finance bureau
    that sees the evaluation, or an administrator. (Call on an evaluation reached through
    ``evaluations_for``.)"""
    return is_administrator(user) or role_of(user) == Role.FINANCE

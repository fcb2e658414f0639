"""What a user may see and change of budgets: accounts' answer (who the user is, which
organisations they see), as ``core.access.access_of`` gives it, applied to projects and
budget years. (budgets and accounts are independent siblings: neither imports the other.)

The whole role × action table is ``docs/rights.md``."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from budgets.models import BudgetYear, DepartmentBudget, Project
from core.access import Role, access_of


def projects_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """The projects ``user`` may see: those whose department or unit is visible to them."""
    access = access_of(user)
    if access.administrator:
        return Project.objects.all()
    visible = access.organisation_ids()
    # Both conditions are on the project's own columns (no join), so no row repeats and
    # no DISTINCT is needed.
    return Project.objects.filter(Q(department__in=visible) | Q(unit__in=visible))


def budget_years_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[BudgetYear]:
    """The project budget years ``user`` may read."""
    access = access_of(user)
    if access.administrator:
        return BudgetYear.objects.all()
    visible = access.organisation_ids()
    return BudgetYear.objects.filter(
        Q(project__department__in=visible) | Q(project__unit__in=visible)
    )


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
    access = access_of(user)
    if access.role in (Role.ADMINISTRATOR, Role.FINANCE):
        return BUDGET_FIGURES | EXECUTION_FIGURES
    if access.own_organisation_id(Role.UNIT) == budget_year.project.unit_id:
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
    access = access_of(user)
    if access.administrator:
        return True
    return access.own_organisation_id(Role.UNIT) == budget_year.project.unit_id


def can_decide_budget_adjustment(
    user: AbstractBaseUser | AnonymousUser, budget_year: BudgetYear
) -> bool:
    return access_of(user).role in (Role.ADMINISTRATOR, Role.FINANCE)


def department_budgets_for(
    user: AbstractBaseUser | AnonymousUser,
) -> QuerySet[DepartmentBudget]:
    """The department budgets ``user`` may read: those of visible organisations."""
    access = access_of(user)
    if access.administrator:
        return DepartmentBudget.objects.all()
    return DepartmentBudget.objects.filter(organisation__in=access.organisation_ids())


def can_report_department_spending(
    user: AbstractBaseUser | AnonymousUser, budget: DepartmentBudget
) -> bool:
    """Who enters a department budget's spending to date (执行数, like a project's
    到位 and 支出): the organisation itself (as its unit or its department), the finance
    bureau that sees it, an administrator. (Call on a visible budget.)"""
    access = access_of(user)
    if access.role in (Role.ADMINISTRATOR, Role.FINANCE):
        return True
    return budget.organisation_id in (
        access.own_organisation_id(Role.UNIT),
        access.own_organisation_id(Role.DEPARTMENT),
    )

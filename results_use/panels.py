"""The panel results_use hands the budget year page (``budgets.results``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from accounts.scoping import is_administrator, role_of
from budgets.models import BudgetYear
from core.access import Role
from results_use.forms import DecisionForm
from results_use.models import BudgetDecision
from results_use.selectors import (
    Recommendation,
    budget_recommendation,
    decision_of,
)


def can_decide(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The finance bureau records the decision (on a budget year it already sees)."""
    return is_administrator(user) or role_of(user) == Role.FINANCE


@dataclass(frozen=True)
class BudgetPanel:
    budget_year: BudgetYear
    recommendation: Recommendation
    decision: BudgetDecision | None
    form: DecisionForm | None
    template_name: str = "results_use/_budget_panel.html"


def budget_panel(
    budget_year: BudgetYear, user: AbstractBaseUser | AnonymousUser
) -> BudgetPanel | None:
    recommendation = budget_recommendation(budget_year)
    if recommendation is None:
        return None
    decision = decision_of(budget_year)
    form = None
    if can_decide(user):
        form = DecisionForm(
            initial={
                "version": decision.version if decision else None,
                "decision": decision.decision if decision else None,
                "note": decision.note if decision else "",
            }
        )
    return BudgetPanel(budget_year, recommendation, decision, form)

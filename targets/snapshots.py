"""What an approved target form keeps of the budget figures it was approved with.

A target form prints, besides its own fields and indicators (locked once approved, changed
only by an approved target adjustment), figures read from the budget: the application
layout (财政支出项目绩效目标申报表) its project's budget year (上年预算额, 上年预算执行数, the
子项目 composition), the department layout (部门整体预算绩效目标表) the 部门整体资金. On
approval ``target_form_approve`` (and each approved target adjustment) keeps them as plain
values (``budgets.snapshots``); from then on the PDF, the workbook and the pages read the
snapshot, and ``target_form_snapshot_notes`` says what in the live budget has moved since.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from budgets.models import BudgetYear, DepartmentBudget
from budgets.selectors import (
    BudgetYearFigures,
    DepartmentBudgetFigures,
    budget_year_figures,
    department_budget_figures,
)
from budgets.snapshots import (
    budget_year_changes,
    budget_year_figures_from_plain,
    budget_year_plain,
    department_budget_changes,
    department_budget_figures_from_plain,
    department_budget_plain,
)
from targets.models import FormLayout, TargetForm, TargetFormSnapshot, TargetFormStatus

Plain = dict[str, Any]


@dataclass(frozen=True)
class TargetFormFigures:
    """The budget figures a form's layout prints (``None`` where it prints none)."""

    budget: BudgetYearFigures | None
    department: DepartmentBudgetFigures | None


def live_figures(form: TargetForm) -> TargetFormFigures:
    budget = department = None
    if form.layout == FormLayout.APPLICATION and form.project is not None:
        try:
            budget = budget_year_figures(project_code=form.project.code, year=form.year)
        except BudgetYear.DoesNotExist:
            budget = None
    if form.layout == FormLayout.DEPARTMENT and form.organisation is not None:
        try:
            department = department_budget_figures(
                organisation_code=form.organisation.code, year=form.year
            )
        except DepartmentBudget.DoesNotExist:
            department = None
    return TargetFormFigures(budget=budget, department=department)


def snapshot_data(figures: TargetFormFigures) -> Plain:
    return {
        "budget": None if figures.budget is None else budget_year_plain(figures.budget),
        "department": None
        if figures.department is None
        else department_budget_plain(figures.department),
    }


def frozen_figures(data: Mapping[str, Any]) -> TargetFormFigures:
    budget, department = data.get("budget"), data.get("department")
    return TargetFormFigures(
        budget=None if budget is None else budget_year_figures_from_plain(budget),
        department=None
        if department is None
        else department_budget_figures_from_plain(department),
    )


def _snapshot(form: TargetForm) -> TargetFormSnapshot | None:
    if form.status != TargetFormStatus.APPROVED:
        return None
    return TargetFormSnapshot.objects.filter(form_id=form.pk).first()


def target_form_figures(form: TargetForm) -> TargetFormFigures:
    """The budget figures the form prints: as approved once it is approved (its
    snapshot), the live budget before."""
    snapshot = _snapshot(form)
    if snapshot is not None:
        return frozen_figures(snapshot.data)
    return live_figures(form)


def target_form_snapshot_notes(form: TargetForm) -> list[str]:
    """For an approved form, what in the live budget has moved since approval (old →
    new); nothing when nothing moved."""
    snapshot = _snapshot(form)
    if snapshot is None:
        return []
    before, after = frozen_figures(snapshot.data), live_figures(form)
    changes = [
        *budget_year_changes(before.budget, after.budget),
        *department_budget_changes(before.department, after.department),
    ]
    if not changes:
        return []
    separator = pgettext("list separator", "; ")
    return [
        _("Budget figures have changed since approval: %(changes)s.")
        % {"changes": separator.join(str(c) for c in changes)},
        _(
            "The form, its PDF and its workbook show the figures as approved on "
            "%(date)s."
        )
        % {"date": f"{timezone.localtime(snapshot.taken_at):%Y-%m-%d %H:%M}"},
    ]

"""The budgets' part of 待办 (``core.inbox``), registered by ``BudgetsConfig.ready``: the
预算调整 requests a finance bureau (or an administrator) has to decide, among the budget
years it sees (``budgets.scoping``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext

from budgets.models import BudgetAdjustment
from budgets.scoping import budget_years_for
from core.access import Role, access_of
from core.inbox import Task, TaskSource, register
from core.models import AdjustmentStatus


def _pending(user: Any) -> QuerySet[BudgetAdjustment]:
    if access_of(user).role not in (Role.ADMINISTRATOR, Role.FINANCE):
        return BudgetAdjustment.objects.none()
    return BudgetAdjustment.objects.filter(
        status=AdjustmentStatus.PENDING, line__budget_year__in=budget_years_for(user)
    )


def _tasks(user: Any, limit: int) -> Sequence[Task]:
    adjustments = _pending(user).select_related(
        "line", "line__budget_year", "line__budget_year__project"
    )
    return [
        Task(
            title=f"{adjustment.line.budget_year.project} "
            f"{adjustment.line.budget_year.year} · "
            f"{adjustment.line.get_category_display()}",
            url=reverse(
                "budgets:detail",
                args=[
                    adjustment.line.budget_year.project.code,
                    adjustment.line.budget_year.year,
                ],
            ),
            since=adjustment.requested_at,
            detail=f"+{adjustment.amount} {adjustment.line.budget_year.unit}"
            f"{pgettext('punctuation', ': ')}{adjustment.reason}",
        )
        for adjustment in adjustments.order_by("requested_at", "pk")[:limit]
    ]


def register_sources() -> None:
    register(
        TaskSource(
            key="budgets-adjustments",
            title=gettext_lazy("Budget adjustments to decide"),
            count=lambda user: _pending(user).count(),
            items=_tasks,
            order=30,
        )
    )

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.models import ExpertAssignment, ExpertComment, Membership
from budgets.models import (
    BudgetAdjustment,
    BudgetLine,
    BudgetYear,
    DepartmentExpenditure,
    DepartmentIncome,
)
from evaluations.models import EvaluationIndicator
from targets.models import ReviewComment, TargetAdjustment, TargetForm, TargetIndicator


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__city"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(admin.ModelAdmin[ExpertAssignment]):
    list_display = ["user", "evaluation", "assigned_at"]
    search_fields = ["user__username", "evaluation__title"]
    raw_id_fields = ["user", "evaluation"]


@admin.register(ExpertComment)
class ExpertCommentAdmin(admin.ModelAdmin[ExpertComment]):
    list_display = ["evaluation", "indicator", "author", "created_at"]
    raw_id_fields = ["evaluation", "indicator", "author"]


# --- issue 6: review workflow and change history ---------------------------------------
# Registered here so that the apps' own admin modules (kept by other engineers) stay as
# they are. Administrators correct a stuck request here; everyone else uses the pages.


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin[ReviewComment]):
    list_display = ["form", "indicator", "round", "author", "created_at"]
    list_filter = ["form__year"]
    raw_id_fields = ["form", "indicator", "author"]


@admin.register(TargetAdjustment)
class TargetAdjustmentAdmin(admin.ModelAdmin[TargetAdjustment]):
    list_display = ["form", "indicator", "value_text", "status", "requested_by"]
    list_filter = ["status"]
    raw_id_fields = ["form", "indicator", "requested_by", "decided_by"]


@admin.register(BudgetAdjustment)
class BudgetAdjustmentAdmin(admin.ModelAdmin[BudgetAdjustment]):
    list_display = ["line", "amount", "status", "requested_by", "requested_at"]
    list_filter = ["status"]
    raw_id_fields = ["line", "requested_by", "decided_by"]


class HistoryRecordAdmin(admin.ModelAdmin[Any]):
    """A read-only list of the change records django-simple-history keeps."""

    list_display = ["history_date", "history_user", "history_type", "__str__"]
    list_filter = ["history_type"]
    date_hierarchy = "history_date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for _model in (
    TargetForm,
    TargetIndicator,
    BudgetYear,
    BudgetLine,
    DepartmentIncome,
    DepartmentExpenditure,
    EvaluationIndicator,
):
    admin.site.register(_model.history.model, HistoryRecordAdmin)

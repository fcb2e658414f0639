from __future__ import annotations

from django.contrib import admin

from core.admin import HistoryRecordAdmin, ReadOnlyAdmin
from results_use.models import BudgetDecision, GradeRule


@admin.register(GradeRule)
class GradeRuleAdmin(admin.ModelAdmin[GradeRule]):
    """The bureau's rule is data: an administrator sets a bureau's own rows here."""

    list_display = ["grade", "bureau", "action", "share", "text"]
    list_filter = ["bureau", "action"]


@admin.register(BudgetDecision)
class BudgetDecisionAdmin(ReadOnlyAdmin):
    list_display = ["budget_year", "grade", "decision", "decided_by", "decided_at"]


admin.site.register(BudgetDecision.history.model, HistoryRecordAdmin)

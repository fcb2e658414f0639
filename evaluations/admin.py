from __future__ import annotations

from django.contrib import admin

from core.admin import HistoryRecordAdmin, ReadOnlyAdmin
from evaluations.models import (
    Evaluation,
    EvaluationIndicator,
    EvaluationSnapshot,
    Evidence,
    Finding,
    Framework,
    FrameworkIndicator,
    Recommendation,
    ReportSection,
    ReviewStep,
)


class FrameworkIndicatorInline(admin.TabularInline[FrameworkIndicator, Framework]):
    model = FrameworkIndicator
    fk_name = "framework"
    extra = 0
    fields = [
        "parent",
        "level",
        "position",
        "name",
        "weight",
        "weight_reconstructed",
        "rule_kind",
        "rule_params",
        "expand_from_target_form",
    ]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin[Framework]):
    list_display = ["name", "code", "total_weight"]
    search_fields = ["name", "code"]
    inlines = [FrameworkIndicatorInline]


class EvaluationIndicatorInline(admin.TabularInline[EvaluationIndicator, Evaluation]):
    model = EvaluationIndicator
    fk_name = "evaluation"
    extra = 0
    fields = [
        "parent",
        "level",
        "position",
        "name",
        "weight",
        "weight_reconstructed",
        "rule_kind",
        "target_text",
        "actual_text",
        "final_score",
        "score_reconstructed",
        "reason",
    ]


class FindingInline(admin.StackedInline[Finding, Evaluation]):
    model = Finding
    extra = 0
    filter_horizontal = ["indicators"]


class RecommendationInline(admin.StackedInline[Recommendation, Evaluation]):
    model = Recommendation
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin[Evaluation]):
    list_display = [
        "title",
        "code",
        "kind",
        "year",
        "evaluator",
        "status",
        "published_total",
    ]
    list_filter = ["year", "kind", "status", "project__department__city", "evaluator"]
    search_fields = ["title", "code", "project__name"]
    autocomplete_fields = ["project", "organisation", "commissioned_by", "evaluator"]
    list_select_related = ["evaluator"]
    inlines = [EvaluationIndicatorInline, FindingInline, RecommendationInline]
    # set when the evaluator submits (the engine's total), never typed here
    readonly_fields = ["published_total", "published_grade", "published_total_reason"]


@admin.register(EvaluationIndicator)
class EvaluationIndicatorAdmin(admin.ModelAdmin[EvaluationIndicator]):
    list_display = ["name", "evaluation", "level", "weight", "final_score", "rule_kind"]
    list_filter = ["level", "rule_kind", "evaluation"]
    search_fields = ["name", "evaluation__code"]
    list_select_related = ["evaluation"]


@admin.register(FrameworkIndicator)
class FrameworkIndicatorAdmin(admin.ModelAdmin[FrameworkIndicator]):
    list_display = ["name", "framework", "level", "weight", "rule_kind"]
    list_filter = ["framework", "level"]
    search_fields = ["name"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin[Evidence]):
    list_display = ["description", "indicator", "uploaded_by", "uploaded_at"]
    search_fields = ["description", "indicator__name"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin[Finding]):
    list_display = ["title", "evaluation", "position"]
    list_filter = ["evaluation"]
    search_fields = ["title", "text"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin[Recommendation]):
    list_display = ["title", "evaluation", "finding"]
    list_filter = ["evaluation"]
    search_fields = ["title", "text"]


admin.site.register(EvaluationIndicator.history.model, HistoryRecordAdmin)


admin.site.register(Evaluation.history.model, HistoryRecordAdmin)


@admin.register(ReviewStep)
class ReviewStepAdmin(ReadOnlyAdmin):
    """A self-evaluation's review steps (written by the review services, never here)."""

    list_display = ["evaluation", "round", "action", "by", "at"]
    list_filter = ["action"]
    raw_id_fields = ["evaluation"]


@admin.register(EvaluationSnapshot)
class EvaluationSnapshotAdmin(ReadOnlyAdmin):
    """What a submitted evaluation prints (written by the services, never here)."""

    list_display = ["evaluation", "taken_at"]
    raw_id_fields = ["evaluation"]


@admin.register(ReportSection)
class ReportSectionAdmin(ReadOnlyAdmin):
    """The report's text, section by section: edited on the report text page (version
    checked, its blocks validated), never here."""

    list_display = ["evaluation", "position", "heading", "kind"]
    list_filter = ["evaluation"]
    raw_id_fields = ["evaluation"]


admin.site.register(ReportSection.history.model, HistoryRecordAdmin)

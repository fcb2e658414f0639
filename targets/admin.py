from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from core.admin import HistoryRecordAdmin, ReadOnlyAdmin
from core.forms import ControlCharacterRule
from targets.models import (
    IndicatorCategory,
    LibraryIndicator,
    MonitoringLine,
    MonitoringReport,
    ReviewComment,
    TargetAdjustment,
    TargetForm,
    TargetFormReturn,
    TargetFormSnapshot,
    TargetIndicator,
)


class TargetIndicatorForm(ControlCharacterRule, forms.ModelForm[TargetIndicator]):
    """Edits the 指标值 texts; the parsed comparator, number and unit follow from them."""

    class Meta:
        model = TargetIndicator
        fields = [
            "parent",
            "level",
            "position",
            "name",
            "library_indicator",
            "value_text",
            "half_year_text",
        ]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 1, "cols": 30}),
            "value_text": forms.TextInput(attrs={"size": 16}),
            "half_year_text": forms.TextInput(attrs={"size": 12}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.instance.set_values(
            full_year=cleaned.get("value_text") or "",
            half_year=cleaned.get("half_year_text") or "",
        )
        return cleaned


class TargetIndicatorInline(admin.TabularInline[TargetIndicator, TargetForm]):
    model = TargetIndicator
    form = TargetIndicatorForm
    fk_name = "form"
    extra = 0
    autocomplete_fields = ["library_indicator"]
    ordering = ["position"]

    def get_formset(
        self, request: Any, obj: TargetForm | None = None, **kwargs: Any
    ) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        # A parent can only be an indicator of the same form.
        parent_field = formset.form.base_fields["parent"]
        parent_field.queryset = (  # type: ignore[attr-defined]
            TargetIndicator.objects.filter(form=obj).exclude(level="level3")
            if obj is not None
            else TargetIndicator.objects.none()
        )
        return formset


@admin.register(TargetForm)
class TargetFormAdmin(admin.ModelAdmin[TargetForm]):
    list_display = ["code", "title", "project", "organisation", "year", "layout"]
    list_filter = ["year", "layout", "project__department__city", "organisation__city"]
    search_fields = ["code", "title", "project__name", "organisation__name"]
    autocomplete_fields = ["project", "organisation"]
    list_select_related = ["project", "organisation"]
    inlines = [TargetIndicatorInline]


class IndicatorCategoryChildInline(
    admin.TabularInline[IndicatorCategory, IndicatorCategory]
):
    model = IndicatorCategory
    fk_name = "parent"
    extra = 0
    fields = ["name", "position"]


@admin.register(IndicatorCategory)
class IndicatorCategoryAdmin(admin.ModelAdmin[IndicatorCategory]):
    list_display = ["name", "layout", "parent", "position"]
    list_filter = ["layout"]
    search_fields = ["name"]
    inlines = [IndicatorCategoryChildInline]


@admin.register(LibraryIndicator)
class LibraryIndicatorAdmin(admin.ModelAdmin[LibraryIndicator]):
    list_display = [
        "name",
        "code",
        "category",
        "unit",
        "comparator",
        "direction",
        "standard_text",
        "recommended_for_hotline",
    ]
    list_filter = ["direction", "recommended_for_hotline", "category__parent"]
    search_fields = ["name", "code", "aliases"]
    list_select_related = ["category", "category__parent"]


@admin.register(TargetIndicator)
class TargetIndicatorAdmin(admin.ModelAdmin[TargetIndicator]):
    form = TargetIndicatorForm
    list_display = ["name", "form", "level", "value_text", "half_year_text"]
    list_filter = ["level", "form__year", "form__layout"]
    search_fields = ["name", "value_text", "form__code"]
    list_select_related = ["form"]


# Review workflow and change history: administrators correct a stuck request here;
# everyone else uses the pages.
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


@admin.register(MonitoringReport)
class MonitoringReportAdmin(admin.ModelAdmin[MonitoringReport]):
    list_display = ["code", "form", "months", "status", "submissions"]
    list_filter = ["status", "months", "form__year"]
    search_fields = ["code", "form__code"]
    raw_id_fields = ["form", "submitted_by", "decided_by"]


@admin.register(MonitoringLine)
class MonitoringLineAdmin(admin.ModelAdmin[MonitoringLine]):
    list_display = ["report", "position", "kind", "name", "light", "cause"]
    list_filter = ["kind", "light", "cause"]
    search_fields = ["name", "report__code"]
    raw_id_fields = ["report", "indicator"]
    list_select_related = ["report"]


for _model in (TargetForm, TargetIndicator, MonitoringReport, MonitoringLine):
    admin.site.register(_model.history.model, HistoryRecordAdmin)


@admin.register(TargetFormSnapshot)
class TargetFormSnapshotAdmin(ReadOnlyAdmin):
    """What a submitted or approved form prints (written by the services, never here)."""

    list_display = ["form", "taken_at"]
    raw_id_fields = ["form"]


@admin.register(TargetFormReturn)
class TargetFormReturnAdmin(ReadOnlyAdmin):
    """The form as it stood when returned, for the changes a resubmission shows (written
    by ``target_form_return``, never here)."""

    list_display = ["form", "round", "taken_at"]
    raw_id_fields = ["form"]

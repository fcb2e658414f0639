from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from operations.models import (
    Metric,
    OperatingDataUpload,
    OperatingValue,
    OperatingValueChange,
)


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin[Metric]):
    list_display = [
        "name",
        "code",
        "kind",
        "unit",
        "group",
        "is_custom",
        "organisation",
    ]
    list_filter = ["kind", "group", "is_custom"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["numerator", "denominator"]
    filter_horizontal = ["parts"]


@admin.register(OperatingDataUpload)
class OperatingDataUploadAdmin(admin.ModelAdmin[OperatingDataUpload]):
    """Uploads are written by the import only: the admin reads them."""

    list_display = [
        "original_name",
        "organisation",
        "uploaded_by",
        "source",
        "uploaded_at",
        "status",
        "rows_total",
        "rows_created",
        "rows_updated",
    ]
    list_filter = ["status", "organisation"]
    search_fields = ["original_name", "sha256"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: OperatingDataUpload | None = None
    ) -> bool:
        return False


@admin.register(OperatingValue)
class OperatingValueAdmin(admin.ModelAdmin[OperatingValue]):
    """Values change only through an upload, so that every change has its file and history."""

    list_display = [
        "organisation",
        "year",
        "month",
        "metric",
        "value",
        "unit",
        "upload",
    ]
    list_filter = ["organisation", "year"]
    search_fields = ["metric__name"]
    list_select_related = ["organisation", "metric", "upload"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: OperatingValue | None = None
    ) -> bool:
        return False


@admin.register(OperatingValueChange)
class OperatingValueChangeAdmin(admin.ModelAdmin[OperatingValueChange]):
    list_display = [
        "recorded_at",
        "organisation",
        "year",
        "month",
        "metric",
        "action",
        "old_value",
        "new_value",
        "upload",
    ]
    list_filter = ["organisation", "year", "action"]
    list_select_related = ["organisation", "metric", "upload"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: OperatingValueChange | None = None
    ) -> bool:
        return False

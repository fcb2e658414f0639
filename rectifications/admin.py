from __future__ import annotations

from django.contrib import admin

from core.admin import HistoryRecordAdmin, ReadOnlyAdmin
from rectifications.models import RectificationEvidence, RectificationItem


@admin.register(RectificationItem)
class RectificationItemAdmin(ReadOnlyAdmin):
    """Read-only: items change on their pages (scoped, version-checked)."""

    list_display = ["title", "project", "responsible", "deadline", "status"]
    list_filter = ["status", "year"]
    search_fields = ["title", "project__name", "responsible__name"]


@admin.register(RectificationEvidence)
class RectificationEvidenceAdmin(ReadOnlyAdmin):
    list_display = ["item", "description", "uploaded_by", "uploaded_at"]


admin.site.register(RectificationItem.history.model, HistoryRecordAdmin)

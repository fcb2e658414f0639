from __future__ import annotations

from django.contrib import admin

from documents.models import RenderJob


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin[RenderJob]):
    """Render jobs are written by the pipeline only; the admin shows them for support."""

    list_display = [
        "object_code",
        "kind",
        "format",
        "status",
        "progress",
        "size",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "format", "status"]
    search_fields = ["object_code", "fingerprint"]
    readonly_fields = [f.name for f in RenderJob._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

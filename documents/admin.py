from __future__ import annotations

from django.contrib import admin

from documents.models import RenderJob, WorkerHeartbeat


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin[RenderJob]):
    """Render jobs are written by the pipeline only; the admin shows them for support."""

    list_display = [
        "object_code",
        "kind",
        "format",
        "status",
        "progress",
        "retries",
        "worker_id",
        "size",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "format", "status", "failure"]
    search_fields = ["object_code", "fingerprint"]
    readonly_fields = [f.name for f in RenderJob._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    """Task workers as their heartbeats tell (written by the workers only)."""

    list_display = [
        "worker_id",
        "hostname",
        "pid",
        "started_at",
        "beat_at",
        "tasks_run",
    ]
    readonly_fields = [f.name for f in WorkerHeartbeat._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

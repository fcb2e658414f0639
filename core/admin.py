"""Admin pieces every app uses (each app registers its own models in its admin.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Records the application writes and nobody edits: listed and shown, never changed."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryRecordAdmin(ReadOnlyAdmin):
    """The change records django-simple-history keeps; an app registers its tracked
    models' ``history.model`` with it."""

    list_display = ["history_date", "history_user", "history_type", "__str__"]
    list_filter = ["history_type"]
    date_hierarchy = "history_date"

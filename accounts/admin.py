from __future__ import annotations

from django.contrib import admin

from accounts.models import ExpertAssignment, ExpertComment, Membership


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

"""Permission-scoped lookups shared by the target pages: every view reaches its objects
through these helpers, which start from ``accounts.scoping`` — a form another unit owns is
a 404 (no existence leak), a visible form the user may not change is a 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from targets.models import TargetForm, TargetIndicator
from targets.scoping import (
    can_prepare_target_form,
    can_review_target_form,
    target_forms_for,
)


def get_form_for_user(request: HttpRequest, code: str) -> TargetForm:
    """The form ``code`` if the user may read it; 404 otherwise."""
    return get_object_or_404(
        target_forms_for(request.user).select_related(
            "project",
            "project__unit",
            "project__department",
            "organisation",
            "submitted_by",
            "decided_by",
        ),
        code=code,
    )


def get_form_to_prepare(request: HttpRequest, code: str) -> TargetForm:
    form = get_form_for_user(request, code)
    if not can_prepare_target_form(request.user, form):
        raise PermissionDenied(
            _("You may not change this form: only the unit preparing it can.")
        )
    return form


def get_form_to_review(request: HttpRequest, code: str) -> TargetForm:
    form = get_form_for_user(request, code)
    if not can_review_target_form(request.user, form):
        raise PermissionDenied
    return form


def get_indicator(form: TargetForm, pk: int) -> TargetIndicator:
    indicator = get_object_or_404(TargetIndicator, form=form, pk=pk)
    indicator.form = form  # already scoped and loaded: no second query
    return indicator


def is_fragment(request: HttpRequest) -> bool:
    """A request from the page's script, answered with an HTML fragment."""
    return request.headers.get("X-Requested-With") == "fetch"

"""The target forms' part of 待办 (``core.inbox``), registered by ``TargetsConfig.ready``.

- finance bureau (and administrators): forms submitted for review, 目标调整 to decide;
- implementing unit, department (for its own department form): forms returned to fix;
- department: its units' forms with the finance bureau, to know where they stand
  (informational: not counted in the navigation).

Each list is read through ``target_forms_for`` and the rights of ``targets.scoping``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import is_administrator, own_organisation_id, role_of
from core.access import Role
from core.inbox import Task, TaskSource, register
from core.models import AdjustmentStatus
from targets.models import TargetAdjustment, TargetForm, TargetFormStatus
from targets.scoping import target_forms_for


def _reviews(user: Any) -> bool:
    return is_administrator(user) or role_of(user) == Role.FINANCE


def _to_review(user: Any) -> QuerySet[TargetForm]:
    if not _reviews(user):
        return TargetForm.objects.none()
    return target_forms_for(user).filter(status=TargetFormStatus.SUBMITTED)


def _review_tasks(user: Any, limit: int) -> Sequence[Task]:
    forms = _to_review(user).select_related("project", "organisation")
    return [
        Task(
            title=str(form),
            url=reverse(
                "targets:changes" if form.submissions > 1 else "targets:detail",
                args=[form.code],
            ),
            since=form.submitted_at,
            detail=_("resubmitted (submission %(round)s): see what changed")
            % {"round": form.submissions}
            if form.submissions > 1
            else _("submitted for review"),
        )
        for form in forms.order_by("submitted_at", "code")[:limit]
    ]


def _adjustments(user: Any) -> QuerySet[TargetAdjustment]:
    if not _reviews(user):
        return TargetAdjustment.objects.none()
    return TargetAdjustment.objects.filter(
        status=AdjustmentStatus.PENDING, form__in=target_forms_for(user)
    )


def _adjustment_tasks(user: Any, limit: int) -> Sequence[Task]:
    adjustments = _adjustments(user).select_related(
        "form", "form__project", "form__organisation", "indicator"
    )
    return [
        Task(
            title=f"{adjustment.form} · {adjustment.indicator.name}",
            url=reverse("targets:adjustments", args=[adjustment.form.code]),
            since=adjustment.requested_at,
            detail=f"{adjustment.old_value_text} → {adjustment.value_text}",
        )
        for adjustment in adjustments.order_by("requested_at", "pk")[:limit]
    ]


def _own_forms(user: Any) -> Q | None:
    """The forms ``user`` prepares: their unit's projects, or their department form."""
    unit = own_organisation_id(user, Role.UNIT)
    if unit is not None:
        return Q(project__unit_id=unit) | Q(organisation_id=unit)
    department = own_organisation_id(user, Role.DEPARTMENT)
    if department is not None:
        return Q(organisation_id=department)
    return None


def _returned(user: Any) -> QuerySet[TargetForm]:
    own = _own_forms(user)
    if own is None:
        return TargetForm.objects.none()
    return target_forms_for(user).filter(own, status=TargetFormStatus.RETURNED)


def _returned_tasks(user: Any, limit: int) -> Sequence[Task]:
    forms = _returned(user).select_related("project", "organisation")
    return [
        Task(
            title=str(form),
            url=reverse("targets:detail", args=[form.code]),
            since=form.decided_at,
            detail=_("returned with comments: fix and resubmit"),
        )
        for form in forms.order_by("decided_at", "code")[:limit]
    ]


def _units_submitted(user: Any) -> QuerySet[TargetForm]:
    department = own_organisation_id(user, Role.DEPARTMENT)
    if department is None:
        return TargetForm.objects.none()
    return (
        target_forms_for(user)
        .filter(status=TargetFormStatus.SUBMITTED)
        .exclude(organisation_id=department)
    )


def _units_submitted_tasks(user: Any, limit: int) -> Sequence[Task]:
    forms = _units_submitted(user).select_related(
        "project", "project__unit", "organisation"
    )
    return [
        Task(
            title=str(form),
            url=reverse("targets:detail", args=[form.code]),
            since=form.submitted_at,
            detail=_("submitted by %(unit)s, with the finance bureau for review")
            % {"unit": form.project.unit if form.project else form.organisation},
        )
        for form in forms.order_by("submitted_at", "code")[:limit]
    ]


def _list(status: str) -> str:
    return f"{reverse('targets:list')}?status={status}"


def register_sources() -> None:
    register(
        TaskSource(
            key="targets-review",
            title=gettext_lazy("Target forms to review"),
            count=lambda user: _to_review(user).count(),
            items=_review_tasks,
            list_url=lambda user: _list(TargetFormStatus.SUBMITTED),
            order=10,
        )
    )
    register(
        TaskSource(
            key="targets-adjustments",
            title=gettext_lazy("Target adjustments to decide"),
            count=lambda user: _adjustments(user).count(),
            items=_adjustment_tasks,
            order=20,
        )
    )
    register(
        TaskSource(
            key="targets-returned",
            title=gettext_lazy("Target forms returned to you for changes"),
            count=lambda user: _returned(user).count(),
            items=_returned_tasks,
            list_url=lambda user: _list(TargetFormStatus.RETURNED),
            order=5,
        )
    )
    register(
        TaskSource(
            key="targets-units-submitted",
            title=gettext_lazy("Your units' target forms with the finance bureau"),
            count=lambda user: _units_submitted(user).count(),
            items=_units_submitted_tasks,
            list_url=lambda user: _list(TargetFormStatus.SUBMITTED),
            actionable=False,
            order=90,
        )
    )

"""What a user may see and do with target forms: accounts' answer (``accounts.scoping``:
who the user is, which organisations they see) applied to target forms.

The whole role × action table is ``docs/rights.md``."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from accounts.scoping import (
    is_administrator,
    own_organisation_id,
    role_of,
    visible_organisation_ids,
)
from budgets.models import Project
from core.access import Role
from targets.models import MonitoringReport, TargetForm


def target_forms_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[TargetForm]:
    """The target forms ``user`` may read: those of visible projects, and the department
    forms of visible organisations."""
    if is_administrator(user):
        return TargetForm.objects.all()
    if role_of(user) not in (Role.FINANCE, Role.DEPARTMENT, Role.UNIT):
        return TargetForm.objects.none()
    visible = visible_organisation_ids(user)
    return TargetForm.objects.filter(
        Q(project__department__in=visible)
        | Q(project__unit__in=visible)
        | Q(organisation__in=visible)
    )


def can_prepare_target_form(
    user: AbstractBaseUser | AnonymousUser, form: TargetForm
) -> bool:
    """Who drafts and submits a form: the implementing unit of the project (or the
    organisation of a department form), a supervising department for its own department
    form, or an administrator."""
    if is_administrator(user):
        return True
    unit = own_organisation_id(user, Role.UNIT)
    if unit is not None:
        return (form.project is not None and form.project.unit_id == unit) or (
            form.organisation_id == unit
        )
    department = own_organisation_id(user, Role.DEPARTMENT)
    return department is not None and form.organisation_id == department


def projects_to_prepare(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """The projects ``user`` may start a target form for: their own unit's."""
    if is_administrator(user):
        return Project.objects.all()
    unit = own_organisation_id(user, Role.UNIT)
    if unit is None:
        return Project.objects.none()
    return Project.objects.filter(unit_id=unit)


def can_review_target_form(
    user: AbstractBaseUser | AnonymousUser, form: TargetForm
) -> bool:
    """Who returns, approves and decides adjustments: the finance bureau that sees the
    form, or an administrator. (Call on a form reached through ``target_forms_for``.)"""
    return is_administrator(user) or role_of(user) == Role.FINANCE


def monitoring_reports_for(
    user: AbstractBaseUser | AnonymousUser,
) -> QuerySet[MonitoringReport]:
    """The 运行监控 reports ``user`` may read: those of the target forms they may read."""
    return MonitoringReport.objects.filter(form__in=target_forms_for(user))

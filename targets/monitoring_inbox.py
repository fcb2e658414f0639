"""The 运行监控 reports' part of 待办 (``core.inbox``), registered by ``TargetsConfig.ready``:

- finance bureau (and administrators): reports submitted for review;
- the unit preparing the form (or the department of a department form): reports
  returned to change.

Each list is read through ``monitoring_reports_for`` and the rights of
``targets.scoping``, so nobody sees another organisation's reports."""

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
from targets.models import MonitoringReport, MonitoringStatus
from targets.monitoring_forms import period_label
from targets.scoping import monitoring_reports_for


def _to_review(user: Any) -> QuerySet[MonitoringReport]:
    if not (is_administrator(user) or role_of(user) == Role.FINANCE):
        return MonitoringReport.objects.none()
    return monitoring_reports_for(user).filter(status=MonitoringStatus.SUBMITTED)


def _own(user: Any) -> Q | None:
    unit = own_organisation_id(user, Role.UNIT)
    if unit is not None:
        return Q(form__project__unit_id=unit) | Q(form__organisation_id=unit)
    department = own_organisation_id(user, Role.DEPARTMENT)
    if department is not None:
        return Q(form__organisation_id=department)
    return None


def _returned(user: Any) -> QuerySet[MonitoringReport]:
    own = _own(user)
    if own is None:
        return MonitoringReport.objects.none()
    return monitoring_reports_for(user).filter(own, status=MonitoringStatus.RETURNED)


def _url(report: MonitoringReport) -> str:
    return reverse("targets:monitoring_report", args=[report.form.code, report.months])


def _tasks(
    reports: QuerySet[MonitoringReport], since: str, detail: str, limit: int
) -> Sequence[Task]:
    found = reports.select_related("form", "form__project", "form__organisation")
    return [
        Task(
            title=f"{report.form} · {period_label(report.months)}",
            url=_url(report),
            since=getattr(report, since),
            detail=detail,
        )
        for report in found.order_by(since, "code")[:limit]
    ]


def register_sources() -> None:
    register(
        TaskSource(
            key="monitoring-review",
            title=gettext_lazy("Monitoring reports to review"),
            count=lambda user: _to_review(user).count(),
            items=lambda user, limit: _tasks(
                _to_review(user), "submitted_at", _("submitted for review"), limit
            ),
            order=12,
        )
    )
    register(
        TaskSource(
            key="monitoring-returned",
            title=gettext_lazy("Monitoring reports returned to you for changes"),
            count=lambda user: _returned(user).count(),
            items=lambda user, limit: _tasks(
                _returned(user),
                "decided_at",
                _("returned with comments: fix and resubmit"),
                limit,
            ),
            order=6,
        )
    )

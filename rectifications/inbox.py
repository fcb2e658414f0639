"""The rectifications' part of 待办 (``core.inbox``), registered by
``RectificationsConfig.ready``, each through ``items_for`` (``rectifications.scoping``):

- the responsible organisation: its items not yet finished (overdue ones first, said so);
- the finance bureau: items reported finished, awaiting its verification (销号);
- the finance bureau, to keep informed: overdue items of the organisations it sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import membership_of, role_of
from core.access import Role
from core.inbox import Task, TaskSource, register
from rectifications.models import OPEN_STATUSES, RectificationItem
from rectifications.scoping import items_for
from rectifications.selectors import awaiting_verification, overdue


def _to_rectify(user: Any) -> QuerySet[RectificationItem]:
    membership = membership_of(user)
    if membership is None or membership.role not in (Role.UNIT, Role.DEPARTMENT):
        return RectificationItem.objects.none()
    return items_for(user).filter(
        responsible_id=membership.organisation_id, status__in=OPEN_STATUSES
    )


def _rectify_tasks(user: Any, limit: int) -> Sequence[Task]:
    today = timezone.localdate()
    return [
        Task(
            title=item.title,
            url=reverse("rectifications:detail", args=[item.pk]),
            detail=(
                _("overdue since %(deadline)s: report on the rectification")
                if item.deadline < today
                else _("due %(deadline)s: report on the rectification")
            )
            % {"deadline": item.deadline.isoformat()},
        )
        for item in _to_rectify(user).order_by("deadline", "pk")[:limit]
    ]


def _to_verify(user: Any) -> QuerySet[RectificationItem]:
    if role_of(user) != Role.FINANCE:
        return RectificationItem.objects.none()
    return awaiting_verification(items_for(user))


def _verify_tasks(user: Any, limit: int) -> Sequence[Task]:
    return [
        Task(
            title=item.title,
            url=reverse("rectifications:detail", args=[item.pk]),
            detail=_("%(unit)s reported it %(status)s: verify or send back")
            % {"unit": item.responsible.name, "status": item.get_status_display()},
        )
        for item in _to_verify(user)
        .select_related("responsible")
        .order_by("deadline", "pk")[:limit]
    ]


def _overdue_for_bureau(user: Any) -> QuerySet[RectificationItem]:
    if role_of(user) != Role.FINANCE:
        return RectificationItem.objects.none()
    return overdue(items_for(user), timezone.localdate())


def _overdue_tasks(user: Any, limit: int) -> Sequence[Task]:
    return [
        Task(
            title=item.title,
            url=reverse("rectifications:detail", args=[item.pk]),
            detail=_("%(unit)s, overdue since %(deadline)s")
            % {"unit": item.responsible.name, "deadline": item.deadline.isoformat()},
        )
        for item in _overdue_for_bureau(user)
        .select_related("responsible")
        .order_by("deadline", "pk")[:limit]
    ]


def register_sources() -> None:
    register(
        TaskSource(
            key="rectifications-to-report",
            title=gettext_lazy("Rectification items to complete"),
            count=lambda user: _to_rectify(user).count(),
            items=_rectify_tasks,
            list_url=lambda user: reverse("rectifications:list"),
            order=70,
        )
    )
    register(
        TaskSource(
            key="rectifications-to-verify",
            title=gettext_lazy("Rectification items to verify"),
            count=lambda user: _to_verify(user).count(),
            items=_verify_tasks,
            list_url=lambda user: reverse("rectifications:list") + "?status=awaiting",
            order=71,
        )
    )
    register(
        TaskSource(
            key="rectifications-overdue",
            title=gettext_lazy("Overdue rectification items"),
            count=lambda user: _overdue_for_bureau(user).count(),
            items=_overdue_tasks,
            list_url=lambda user: reverse("rectifications:list") + "?status=overdue",
            actionable=False,
            order=72,
        )
    )

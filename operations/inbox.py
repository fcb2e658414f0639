"""The operating data's part of 待办 (``core.inbox``), registered by
``OperationsConfig.ready``: uploads a hotline centre previewed and has not yet confirmed
or discarded (only the centre's own staff report its data: ``operating_data_unit``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.inbox import Task, TaskSource, register
from operations.models import OperatingDataUpload
from operations.scoping import operating_data_unit


def _pending(user: Any) -> QuerySet[OperatingDataUpload]:
    unit = operating_data_unit(user)
    if unit is None:
        return OperatingDataUpload.objects.none()
    return OperatingDataUpload.objects.filter(
        organisation=unit, status=OperatingDataUpload.Status.PENDING
    )


def _tasks(user: Any, limit: int) -> Sequence[Task]:
    return [
        Task(
            title=upload.original_name,
            url=reverse("operations:upload_detail", args=[upload.pk]),
            since=upload.uploaded_at,
            detail=_("previewed, not yet imported: confirm or discard"),
        )
        for upload in _pending(user).order_by("uploaded_at", "pk")[:limit]
    ]


def register_sources() -> None:
    register(
        TaskSource(
            key="operations-uploads",
            title=gettext_lazy("Operating-data uploads to confirm"),
            count=lambda user: _pending(user).count(),
            items=_tasks,
            list_url=lambda user: reverse("operations:index"),
            order=40,
        )
    )

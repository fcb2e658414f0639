"""Reads about background work, for the health check and the admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from documents.leases import worker_settings
from documents.models import WorkerHeartbeat


@dataclass(frozen=True)
class WorkerStatus:
    """The task workers as their heartbeats tell: how many beat within the lease, and
    the latest beat of any (None: no worker has ever beaten, or all exited cleanly)."""

    alive: int
    last_beat_at: datetime | None


def worker_status(*, now: datetime | None = None) -> WorkerStatus:
    now = now or timezone.now()
    cutoff = now - worker_settings().lease
    rows = WorkerHeartbeat.objects.all()
    return WorkerStatus(
        alive=rows.filter(beat_at__gte=cutoff).count(),
        last_beat_at=rows.aggregate(last=Max("beat_at"))["last"],
    )

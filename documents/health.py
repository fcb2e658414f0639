"""What ``/healthz`` (core/health.py) says about the task workers: how many beat their
heartbeat within the lease and how long ago the latest beat was."""

from __future__ import annotations

from datetime import datetime

from core.health import seconds_since
from documents.selectors import worker_status


def worker_figures(now: datetime) -> dict[str, float | int | None]:
    workers = worker_status(now=now)
    return {
        "workers_alive": workers.alive,
        "worker_heartbeat_age_seconds": seconds_since(workers.last_beat_at, now),
    }

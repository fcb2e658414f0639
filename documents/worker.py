"""The task worker of ``manage.py run_worker``: django-tasks-db's worker, made to last.

django-tasks-db's ``db_worker`` claims tasks with ``SELECT … FOR UPDATE SKIP LOCKED`` and
runs them one at a time, but it exits on the first database error (a PostgreSQL restart
kills it) and nothing tells anyone it is alive. ``ResilientWorker`` runs the same loop and,
when the database goes away, closes the broken connections and starts the loop again after
a back-off (1, 2, 4 … up to 30 s), keeping its count of tasks run so ``--max-tasks`` still
ends it after that many. ``Heartbeat`` is a thread of the worker that beats every
``heartbeat_seconds`` (``documents.leases.worker_beat``: the worker's row and the lease of
the job it runs, even while WeasyPrint holds the main thread) and runs the recovery pass
(``documents.leases.render_jobs_recover``) on start and every ``recovery_seconds``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from typing import Any

from django.db import DatabaseError, InterfaceError, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from documents.leases import render_jobs_recover, worker_beat, worker_settings

logger = logging.getLogger("documents.worker")

MAX_BACKOFF_SECONDS = 30.0


def _close_connections() -> None:
    """Drop this thread's database connections; the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError, InterfaceError):
            connection.close()


class ResilientWorker(Worker):
    """``db_worker``'s loop, started again (not exited) when the database fails."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started_at = timezone.now()

    @property
    def tasks_run(self) -> int:
        return self._run_tasks

    def run(self) -> None:
        backoff = 1.0
        while True:
            started = time.monotonic()
            try:
                super().run()
                return
            except (DatabaseError, InterfaceError) as error:
                if not self.running:
                    return
                if time.monotonic() - started > MAX_BACKOFF_SECONDS:
                    backoff = 1.0
                logger.warning(
                    "Database error in worker %s (%s); retrying in %.0f s",
                    self.worker_id,
                    error,
                    backoff,
                )
                _close_connections()
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)


class Heartbeat(threading.Thread):
    """Beats for ``worker`` and recovers lost work, until ``stop()``; never raises."""

    def __init__(self, worker: ResilientWorker) -> None:
        super().__init__(name=f"heartbeat-{worker.worker_id}", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()
        self.hostname = socket.gethostname()
        self.pid = os.getpid()

    def beat_once(self, *, recover: bool) -> None:
        worker_beat(
            worker_id=self.worker.worker_id,
            hostname=self.hostname,
            pid=self.pid,
            started_at=self.worker.started_at,
            tasks_run=self.worker.tasks_run,
        )
        if recover:
            recovery = render_jobs_recover()
            if recovery.requeued or recovery.failed or recovery.tasks_failed:
                logger.warning(
                    "Lost work recovered by %s: queued again %s, failed %s, "
                    "%d task rows failed",
                    self.worker.worker_id,
                    list(recovery.requeued),
                    list(recovery.failed),
                    recovery.tasks_failed,
                )

    def run(self) -> None:
        config = worker_settings()
        next_recovery = 0.0
        try:
            while True:
                now = time.monotonic()
                recover = now >= next_recovery
                try:
                    self.beat_once(recover=recover)
                    if recover:
                        next_recovery = now + config.recovery.total_seconds()
                except (DatabaseError, InterfaceError) as error:
                    logger.warning("Worker heartbeat failed (%s); retrying", error)
                except Exception:
                    logger.exception("Worker heartbeat failed")
                finally:
                    # One short connection per beat: a database restart costs one beat.
                    _close_connections()
                if self.stopped.wait(config.heartbeat.total_seconds()):
                    return
        finally:
            _close_connections()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)

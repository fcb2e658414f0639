"""``manage.py run_worker``: the production task worker (what ``scripts/serve`` runs).

The options are ``db_worker``'s (django-tasks-db), which still works; this worker also
survives a database restart, beats a heartbeat and recovers the work of dead workers
(``documents.worker``, ``documents.leases``). ``--max-tasks N`` ends it after N tasks, to
return WeasyPrint's memory; its supervisor starts a fresh one.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from documents.leases import worker_gone
from documents.worker import Heartbeat, ResilientWorker


class Command(DbWorkerCommand):
    help = (
        "Run a task worker that survives database restarts, beats a heartbeat and "
        "re-queues the render jobs of workers that died."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        if options["reload"]:
            raise CommandError("run_worker does not reload; use db_worker --reload.")
        queue_names = options["queue_name"].split(",")
        exclude = options["exclude_queues"]
        excluded = exclude.split(",") if exclude else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        heartbeat = Heartbeat(worker)
        if options["batch"]:
            # One pass in this thread: a batch run is short, and its connection is the
            # caller's (a test's transaction sees what it does).
            heartbeat.beat_once(recover=True)
        else:
            heartbeat.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            worker.reset_signals()
            if heartbeat.is_alive():
                heartbeat.stop()
            # The database may be what is failing; the row then expires by itself.
            with contextlib.suppress(Exception):
                worker_gone(worker_id=worker.worker_id)

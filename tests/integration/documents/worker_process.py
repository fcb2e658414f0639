"""A real task worker process for ``test_worker_processes.py``: ``manage.py run_worker``.

Run as ``python worker_process.py WORKER_ID``, with the database, media root and lease
settings in the environment (``DATABASE_URL``, ``HOTLINE_PERF_MEDIA_ROOT``,
``HOTLINE_PERF_WORKER_*``). The test's hook, and the only thing here that production does
not do: with ``SLOW_RENDER_SECONDS`` set, every render reports 20 % and then sleeps that
long before rendering, so the test can kill the process mid-render deterministically.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline_perf.settings.test")

import django
from django.conf import settings

# The test settings run tasks at once, in the request; this process is the production
# shape: tasks queued in the database, run here. Set before django.setup(): apps may
# reach the task backends while they start (documents registers its task at start-up).
settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

django.setup()

from django.core.management import call_command  # noqa: E402

from documents import rendering  # noqa: E402

_render = rendering.document_render
_delay = float(os.environ.get("SLOW_RENDER_SECONDS", "0"))


def _slow_render(*args: Any, **kwargs: Any) -> bytes:
    progress = kwargs.get("progress")
    if progress is not None:
        progress(20)
    time.sleep(_delay)
    return _render(*args, **kwargs)


if _delay:
    rendering.document_render = _slow_render

call_command(
    "run_worker",
    "--no-startup-delay",
    "--interval",
    "0.2",
    "--worker-id",
    sys.argv[1],
)

"""``/healthz``: is this instance able to serve, for a load balancer or a monitor.

No login, no session, nothing sensitive: whether the database answers; whether the media
root takes a file (when stored files are local, not in an S3 bucket); how long the oldest
queued task has waited; how many task workers beat their heartbeat within the lease and
how long ago the latest beat was (the figures an app adds with ``add_figures``: documents
adds its workers' in its AppConfig). 200 when the
database and the media root work, else 503; the task figures inform (the web may run on a
machine without workers) and never fail the check.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from core.checks import media_root_problem, stored_files_are_local

Figures = Callable[[datetime], dict[str, float | int | None]]

# Figures the apps add to the answer (their AppConfig.ready calls ``add_figures``): this
# module imports no app.
_figures: list[Figures] = []


def add_figures(figures: Figures) -> None:
    """Have ``/healthz`` report ``figures(now)`` as well (informative: never fails it)."""
    if figures not in _figures:
        _figures.append(figures)


def seconds_since(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def _task_figures(now: datetime) -> dict[str, float | int | None]:
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
        oldest=Min("enqueued_at")
    )
    figures: dict[str, float | int | None] = {
        "oldest_queued_task_age_seconds": seconds_since(queued["oldest"], now)
    }
    for more in _figures:
        figures.update(more(now))
    return figures


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    body: dict[str, object] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = "ok"
        body.update(_task_figures(now))
    except DatabaseError:
        body["database"] = "unreachable"
    if not stored_files_are_local():
        body["media"] = "not checked"  # a shared bucket: its service monitors it
    elif media_root_problem(Path(settings.MEDIA_ROOT)):
        body["media"] = "unwritable"
    else:
        body["media"] = "ok"
    healthy = body["database"] == "ok" and body["media"] != "unwritable"
    body["status"] = "ok" if healthy else "failing"
    return JsonResponse(body, status=200 if healthy else 503)

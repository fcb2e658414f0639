"""``/healthz``: is this instance able to serve, for a load balancer or a monitor.

No login, no session, nothing sensitive: whether the database answers, whether the media
root takes a file, how long the oldest queued task has waited and how long ago a worker
last started or finished one. 200 when the database and the media root work, else 503;
the task figures inform (a quiet site has no recent task) and never fail the check.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max, Min
from django.http import HttpRequest, JsonResponse
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from hotline_perf.checks import media_root_problem


def _seconds_since(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def _task_figures(now: datetime) -> dict[str, float | None]:
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
        oldest=Min("enqueued_at")
    )
    activity = DBTaskResult.objects.aggregate(
        started=Max("started_at"), finished=Max("finished_at")
    )
    moments = [m for m in (activity["started"], activity["finished"]) if m is not None]
    return {
        "oldest_queued_task_age_seconds": _seconds_since(queued["oldest"], now),
        "worker_last_seen_seconds": _seconds_since(max(moments, default=None), now),
    }


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
    body["media"] = (
        "ok" if not media_root_problem(Path(settings.MEDIA_ROOT)) else "unwritable"
    )
    healthy = body["database"] == "ok" and body["media"] == "ok"
    body["status"] = "ok" if healthy else "failing"
    return JsonResponse(body, status=200 if healthy else 503)

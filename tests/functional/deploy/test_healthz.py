"""/healthz: JSON for a monitor, no login; 200 when the database answers and the media root
takes a file, 503 when either fails; the queue and worker figures inform."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django.test import Client
from django_tasks_db.models import DBTaskResult

from documents.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 8, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr("core.health.timezone", SimpleNamespace(now=lambda: NOW))
    return NOW


def _queue_task(enqueued_at: datetime, status: str = TaskResultStatus.READY) -> None:
    result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="documents.tasks.render_document",
        backend_name="default",
        run_after=enqueued_at,
        status=status,
    )
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=enqueued_at)


def test_healthy_instance_answers_200_with_no_login_and_nothing_sensitive() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "database": "ok",
        "oldest_queued_task_age_seconds": None,
        "workers_alive": 0,
        "worker_heartbeat_age_seconds": None,
        "media": "ok",
        "status": "ok",
    }


def test_queue_and_worker_figures(frozen_now: datetime) -> None:
    _queue_task(NOW - timedelta(seconds=95))
    _queue_task(NOW - timedelta(seconds=20))
    _queue_task(NOW - timedelta(hours=3), status=TaskResultStatus.SUCCESSFUL)
    WorkerHeartbeat.objects.create(
        worker_id="w1",
        hostname="perf-1",
        pid=10,
        started_at=NOW - timedelta(hours=1),
        beat_at=NOW - timedelta(seconds=4),
    )
    WorkerHeartbeat.objects.create(
        worker_id="w0",
        hostname="perf-1",
        pid=9,
        started_at=NOW - timedelta(hours=2),
        beat_at=NOW - timedelta(hours=1),  # dead: beyond the lease
    )
    body = Client().get("/healthz").json()
    assert body["oldest_queued_task_age_seconds"] == 95.0
    assert body["workers_alive"] == 1
    assert body["worker_heartbeat_age_seconds"] == 4.0
    assert body["status"] == "ok"


def test_unwritable_media_root_is_503(settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    settings.MEDIA_ROOT = blocker / "media"
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["media"] == "unwritable"
    assert response.json()["database"] == "ok"
    assert response.json()["status"] == "failing"


class _DownConnection:
    def cursor(self) -> Any:
        raise OperationalError("connection refused")


def test_unreachable_database_is_503(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.health.connection", _DownConnection())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "unreachable",
        "media": "ok",
        "status": "failing",
    }


def test_health_is_not_redirected_to_https_by_production_settings(
    settings: Any,
) -> None:
    from hotline_perf.settings import prod

    settings.SECURE_SSL_REDIRECT = prod.SECURE_SSL_REDIRECT
    settings.SECURE_REDIRECT_EXEMPT = prod.SECURE_REDIRECT_EXEMPT
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/accounts/login/").status_code == 301


def test_post_is_refused() -> None:
    assert Client().post("/healthz").status_code == 405

"""Real worker processes on PostgreSQL: a worker killed (SIGKILL) mid-render leaves a job
that a second worker takes up and finishes; a worker outlives a database restart.

The workers are ``manage.py run_worker`` processes (``worker_process.py``) on a copy of the
test database made for each test (``CREATE DATABASE … TEMPLATE``): the processes see what
the test writes, and the session's seeded database is left as it was. SQLite has no
server to share between processes the same way, so these tests run on PostgreSQL only.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from documents.leases import WORKER_LOST
from documents.models import DocumentFormat, DocumentKind, RenderJob, WorkerHeartbeat
from documents.services import render_job_request

WORKER = Path(__file__).with_name("worker_process.py")
LEASE_SECONDS = 5


ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PGTEST = [os.environ.get(name) for name in ("PGTEST_DIR", "PGTEST_BINDIR")]

# Transactional: the workers must see what the test commits. pytest-django empties the
# database after each test; by then the test's connection points at its own copy. (The
# skip is decided before any fixture runs, so on SQLite nothing is emptied.)
pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRESQL, reason="worker processes share a PostgreSQL database"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="module")
def _copies(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[tuple[dict[str, Any], str, list[str]]]:
    """The seeded test database's name, restored (and the copies dropped) at the end."""
    params = connection.settings_dict
    source = params["NAME"]
    made: list[str] = []
    yield params, source, made
    with django_db_blocker.unblock():
        connections.close_all()
        params["NAME"] = source
        for copy in made:
            _admin(params, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


@pytest.fixture
def worker_database(
    _copies: tuple[dict[str, Any], str, list[str]], settings: Any, tmp_path: Path
) -> dict[str, Any]:
    """A fresh copy of the seeded test database that worker processes connect to."""
    params, source, made = _copies
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    copy = f"{source}_workers_{len(made)}"
    connections.close_all()
    # A template must have no other session; a stray one left by an earlier test (a
    # thread's connection) would make the copy fail.
    _admin(
        params,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{source}' AND pid <> pg_backend_pid()",
    )
    _admin(params, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    _admin(params, f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    made.append(copy)
    params["NAME"] = copy
    return params


def _admin(params: dict[str, Any], sql: str) -> None:
    with psycopg.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"],
        port=params["PORT"] or None,
        autocommit=True,
    ) as admin:
        admin.execute(sql.encode())


def _database_url(params: dict[str, Any]) -> str:
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    port = f":{params['PORT']}" if params["PORT"] else ""
    return (
        f"postgres://{params['USER']}{password}@{params['HOST']}{port}/{params['NAME']}"
    )


def _start_worker(
    worker_id: str, params: dict[str, Any], logs: Path, *, slow: float = 0
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline_perf.settings.test",
        "DATABASE_URL": _database_url(params),
        "HOTLINE_PERF_MEDIA_ROOT": str(logs.parent / "media"),
        "HOTLINE_PERF_WORKER_HEARTBEAT": "0.5",
        "HOTLINE_PERF_WORKER_LEASE": str(LEASE_SECONDS),
        "HOTLINE_PERF_WORKER_RECOVERY": "1",
        "SLOW_RENDER_SECONDS": str(slow),
    }
    logs.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, str(WORKER), worker_id],
        env=env,
        stdout=(logs / f"{worker_id}.out").open("wb"),
        stderr=(logs / f"{worker_id}.err").open("wb"),
    )


def _wait_for(what: str, condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _job(pk: object) -> RenderJob:
    return RenderJob.objects.get(pk=pk)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_job_whose_worker_is_killed_mid_render_finishes_on_a_second_worker(
    worker_database: dict[str, Any], tmp_path: Path
) -> None:
    logs = tmp_path / "logs"
    job = render_job_request(
        kind=DocumentKind.TARGET_FORM, code="tianjin-2020", format=DocumentFormat.PDF
    )
    assert job.status == RenderJob.Status.QUEUED
    first_task = job.task_id
    first = _start_worker("first", worker_database, logs, slow=120)
    second: subprocess.Popen[bytes] | None = None
    try:
        _wait_for(
            "the first worker to be mid-render",
            lambda: (_job(job.pk).progress, _job(job.pk).worker_id) == (20, "first"),
            timeout=90,
        )
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
        # What a killed worker leaves: the job "rendering 20 %", its task RUNNING.
        stuck = _job(job.pk)
        assert (stuck.status, stuck.progress) == (RenderJob.Status.RUNNING, 20)
        assert DBTaskResult.objects.get(id=first_task).status == "RUNNING"

        second = _start_worker("second", worker_database, logs)
        _wait_for(
            "the second worker to finish the job",
            lambda: _job(job.pk).status == RenderJob.Status.DONE,
            timeout=120,
        )
    finally:
        _stop(first)
        if second is not None:
            _stop(second)

    done = _job(job.pk)
    assert (done.status, done.progress, done.retries, done.worker_id) == (
        RenderJob.Status.DONE,
        100,
        1,
        "second",
    )
    assert (
        done.file.name == f"documents/target_form/tianjin-2020/{done.fingerprint}.pdf"
    )
    with default_storage.open(done.file.name, "rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF-")
    assert done.size == len(content)
    lost = DBTaskResult.objects.get(id=first_task)
    assert (lost.status, lost.exception_class_path, lost.worker_ids) == (
        "FAILED",
        WORKER_LOST,
        ["first"],
    )
    rerun = DBTaskResult.objects.get(id=done.task_id)
    assert (rerun.status, rerun.worker_ids) == ("SUCCESSFUL", ["second"])
    # The killed worker's heartbeat row stays (stale) until pruned; the second exited
    # cleanly and took its own away.
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == [
        "first"
    ]


def _pg_ctl(*args: str) -> None:
    command = [f"{os.environ['PGTEST_BINDIR']}/pg_ctl", *args]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@pytest.mark.skipif(
    not all(PGTEST), reason="restarts the throw-away server of scripts/postgres.sh"
)
def test_a_worker_outlives_a_three_second_database_restart(
    worker_database: dict[str, Any], tmp_path: Path
) -> None:
    data = Path(os.environ["PGTEST_DIR"]) / "data"
    # The server's own command line, to start it again as it was.
    options = shlex.split((data / "postmaster.opts").read_text())[1:]
    at = options.index("-D")
    options[at : at + 2] = []
    logs = tmp_path / "logs"
    worker = _start_worker("steady", worker_database, logs)
    try:
        _wait_for(
            "the worker's first heartbeat",
            lambda: WorkerHeartbeat.objects.filter(worker_id="steady").exists(),
            timeout=60,
        )
        connections.close_all()
        _pg_ctl("-D", str(data), "-m", "fast", "-w", "stop")
        time.sleep(3)
        _pg_ctl(
            "-D",
            str(data),
            "-l",
            str(data.parent / "log"),
            "-o",
            shlex.join(options),
            "-w",
            "start",
        )
        assert worker.poll() is None, "the worker exited when the database went away"

        job = render_job_request(
            kind=DocumentKind.TARGET_FORM,
            code="shanghai-2019",
            format=DocumentFormat.PDF,
        )
        _wait_for(
            "the job queued after the restart to finish",
            lambda: _job(job.pk).status == RenderJob.Status.DONE,
            timeout=90,
        )
        assert worker.poll() is None
    finally:
        _stop(worker)
    done = _job(job.pk)
    assert (done.status, done.worker_id, done.retries) == (
        RenderJob.Status.DONE,
        "steady",
        0,
    )
    assert default_storage.exists(done.file.name)
    errors = (logs / "steady.err").read_text() + (logs / "steady.out").read_text()
    assert "Database error in worker steady" in errors

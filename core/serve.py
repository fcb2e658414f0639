"""``python -m core.serve``: the production service on one machine (``scripts/serve``).

In order: the configuration checks (``check --deploy --database default --fail-level
WARNING``: core/checks.py's refusals and Django's deployment warnings, one message
each, and nothing starts if any is found), ``migrate``, ``collectstatic`` (WhiteNoise's
compressed, content-hashed files), then the processes, kept running by a small supervisor:

- ``web``: gunicorn, whose own arbiter keeps ``HOTLINE_PERF_WEB_WORKERS`` workers alive;
- ``worker-1`` … ``worker-N``: ``manage.py run_worker --max-tasks 50`` (documents/), which
  ends after 50 tasks to hand WeasyPrint's memory back.

A process that exits — a worker at its task limit, a crash, a kill — is started again at
once, or after a pause that doubles (up to a minute) while it keeps exiting within seconds,
so a broken configuration does not spin. SIGTERM or SIGINT stops every process (SIGTERM,
then SIGKILL after 30 s) and then the supervisor. A Procfile runner such as honcho was not
used: it stops every process as soon as one exits, the opposite of what a worker that ends
after 50 tasks needs. Only the standard library is used here: Django is loaded by the
processes, not by the supervisor.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = str(BASE_DIR / "manage.py")

# A process that ran at least this long before exiting is restarted at once.
STEADY_SECONDS = 10.0
MAX_PAUSE_SECONDS = 60.0
STOP_GRACE_SECONDS = 30.0


def log(message: str, **fields: object) -> None:
    """One JSON line on stderr, like the application's own logs."""
    entry = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "level": "INFO",
        "logger": "hotline_perf.serve",
        "message": message,
        **fields,
    }
    print(json.dumps(entry, ensure_ascii=False), file=sys.stderr, flush=True)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def web_command() -> list[str]:
    """gunicorn, from the environment (docs/production.md)."""
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    workers = _env_int("HOTLINE_PERF_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1)
    return [
        gunicorn,
        "hotline_perf.wsgi:application",
        f"--bind={os.environ.get('HOTLINE_PERF_BIND', '127.0.0.1:8000')}",
        f"--workers={workers}",
        f"--timeout={_env_int('HOTLINE_PERF_WEB_TIMEOUT', 60)}",
        "--graceful-timeout=20",
        # No access log: the application logs each request with its id, user and
        # duration (core/request_log.py); gunicorn's own messages to stderr.
        "--error-logfile=-",
        "--no-control-socket",
    ]


def worker_command() -> list[str]:
    """One task worker (each process draws its own random worker id)."""
    return [PYTHON, MANAGE, "run_worker", "--max-tasks=50"]


def process_commands() -> dict[str, list[str]]:
    """The supervised processes by name: the web and HOTLINE_PERF_TASK_WORKERS workers."""
    commands = {"web": web_command()}
    for number in range(1, _env_int("HOTLINE_PERF_TASK_WORKERS", 2) + 1):
        commands[f"worker-{number}"] = worker_command()
    return commands


@dataclass
class Supervised:
    name: str
    command: list[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    pause: float = 0.0
    restart_at: float | None = None
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, cwd=BASE_DIR)
        self.started_at = time.monotonic()
        self.restart_at = None
        log("started", process=self.name, pid=self.process.pid)


class Supervisor:
    def __init__(self, commands: dict[str, list[str]]):
        self.children = [
            Supervised(name, command) for name, command in commands.items()
        ]
        self.stopping = False

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for child in self.children:
            child.start()
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                self._tend(child, now)
            time.sleep(0.2)
        return self._stop_all()

    def _tend(self, child: Supervised, now: float) -> None:
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.restarts += 1
                child.start()
            return
        assert child.process is not None
        code = child.process.poll()
        if code is None:
            return
        ran = now - child.started_at
        child.pause = (
            0.0
            if ran >= STEADY_SECONDS
            else min(max(1.0, 2 * child.pause), MAX_PAUSE_SECONDS)
        )
        child.restart_at = now + child.pause
        log(
            "exited; restarting",
            process=child.name,
            pid=child.process.pid,
            returncode=code,
            ran_seconds=round(ran, 1),
            restart_in_seconds=child.pause,
        )

    def _stop_all(self) -> int:
        running = [
            c.process for c in self.children if c.process and c.process.poll() is None
        ]
        log("stopping", processes=len(running))
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log("stopped")
        return 0


def prepare() -> bool:
    """Refuse a bad configuration, then migrate and collect the static files: in this
    process, loading Django once (``prepare`` of ``main``)."""
    import django
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    django.setup()
    try:
        call_command("check", deploy=True, databases=["default"], fail_level="WARNING")
    except SystemCheckError as error:
        print(error, file=sys.stderr)
        print(
            "配置有误，服务未启动：见上面的每条信息（README「Production」）。",
            file=sys.stderr,
        )
        return False
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return True


def main(argv: list[str]) -> int:
    """No argument: ``prepare``, then every process of this machine, supervised.
    ``prepare``, ``web`` or ``worker`` alone: that step, or that one process in place of
    this one, for a service manager that supervises each (deploy/: the web unit runs
    ``prepare`` before ``web``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline_perf.settings.prod")
    if argv == ["prepare"]:
        return 0 if prepare() else 1
    if argv in (["web"], ["worker"]):
        command = web_command() if argv == ["web"] else worker_command()
        os.chdir(BASE_DIR)
        os.execv(command[0], command)
    if argv:
        print("用法：python -m core.serve [prepare|web|worker]", file=sys.stderr)
        return 2
    # Django is loaded by a process of its own, so the supervisor stays small.
    if subprocess.run([PYTHON, "-m", "core.serve", "prepare"], cwd=BASE_DIR).returncode:
        return 1
    return Supervisor(process_commands()).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

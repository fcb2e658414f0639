"""End to end, what `scripts/serve` runs after installing (``python -m core.serve``)
with the documented production environment (deploy/hotline-perf.env) on a throw-away
PostgreSQL: checks, migrate, collectstatic, gunicorn with WhiteNoise and a task worker under
the supervisor. Then, over plain HTTP as the TLS proxy of deploy/nginx.conf forwards it: a
page, its hashed static files, /healthz, a login; the database stopped, /healthz is 503.
And the same command refuses SQLite.

Skipped only where the PostgreSQL server binaries are missing (`scripts/install
--with-postgres` installs them, and CI runs it)."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.integration.deploy.environment import ROOT, production_environment

POSTGRES_BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))

pytestmark = pytest.mark.skipif(
    not POSTGRES_BINARIES, reason="PostgreSQL server binaries are not installed"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Postgres:
    directory: str
    bindir: str
    url: str

    def stop(self) -> None:
        run_as = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        pg_ctl = f"{self.bindir}/pg_ctl"
        data = f"{self.directory}/data"
        subprocess.run(
            [*run_as, pg_ctl, "-D", data, "-m", "immediate", "stop"],
            check=True,
            capture_output=True,
        )


@pytest.fixture
def postgres() -> Iterator[Postgres]:
    """A server of its own (scripts/postgres.sh), removed afterwards."""
    port = free_port()
    started = subprocess.run(
        [
            "bash",
            "-c",
            "source scripts/postgres.sh && postgres_start >/dev/null "
            '&& echo "$PGTEST_DIR $PGTEST_BINDIR $POSTGRES_URL"',
        ],
        cwd=ROOT,
        env={**os.environ, "POSTGRES_PORT": str(port)},
        capture_output=True,
        text=True,
        check=True,
    )
    directory, bindir, url = started.stdout.split()
    server = Postgres(directory, bindir, url)
    yield server
    subprocess.run(
        [
            "bash",
            "-c",
            f"source scripts/postgres.sh && PGTEST_DIR={directory} "
            f"PGTEST_BINDIR={bindir} postgres_stop",
        ],
        cwd=ROOT,
        check=False,
    )


class Browser:
    """Plain HTTP to gunicorn, with the headers the TLS proxy adds, and a cookie jar that
    keeps Secure cookies (the browser's side of the proxy is HTTPS)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, rest = value.split("=", 1)
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), content


def wait_for_health(browser: Browser, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "scripts/serve stopped before serving"
        try:
            if browser.request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("/healthz never answered 200")


def create_user(database_url: str, username: str, password: str) -> None:
    """An account as `manage.py createsuperuser` would make it (PBKDF2, the production
    hasher), written straight to the database the server uses."""
    encoded = PBKDF2PasswordHasher().encode(password, secrets.token_hex(8))
    with psycopg.connect(database_url) as connection:
        connection.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name,"
            " last_name, email, is_staff, is_active, date_joined)"
            " VALUES (%s, true, %s, '', '', '', true, true, now())",
            (encoded, username),
        )


def test_serve_on_postgresql_behind_the_documented_proxy(
    postgres: Postgres, tmp_path: Path
) -> None:
    port = free_port()
    environment = production_environment(
        tmp_path,
        DATABASE_URL=postgres.url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        HOTLINE_PERF_BIND=f"127.0.0.1:{port}",
        HOTLINE_PERF_WEB_WORKERS="1",
        HOTLINE_PERF_TASK_WORKERS="1",
        DJANGO_ADMINS="",
    )
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "core.serve"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    browser = Browser(port)
    try:
        wait_for_health(browser, process)
        status, _headers, body = browser.request("GET", "/healthz")
        health = json.loads(body)
        assert (health["database"], health["media"], health["status"]) == (
            "ok",
            "ok",
            "ok",
        )

        # The login page and its stylesheet: a content-hashed name, served by WhiteNoise.
        status, headers, page = browser.request("GET", "/accounts/login/")
        assert status == 200
        [stylesheet] = re.findall(rb'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
        status, headers, css = browser.request("GET", stylesheet.decode())
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert (
            "max-age=315360000" in headers["Cache-Control"]
        )  # hashed: cached for ever
        assert css == (ROOT / "static" / "css" / "app.css").read_bytes()

        # Logging in over plain HTTP, as the proxy forwards it (X-Forwarded-Proto: https).
        create_user(postgres.url, "ops-admin", "Ops-admin-2026!")
        # the language switcher is a form too; every token on a page masks one secret
        token = re.findall(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]
        status, headers, _ = browser.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token.decode(),
                "username": "ops-admin",
                "password": "Ops-admin-2026!",
            },
        )
        assert (status, headers["Location"]) == (302, "/")
        assert "sessionid" in browser.cookies
        assert browser.request("GET", "/")[0] == 200
        # A page's scripts: the admin's, and the app's own under their hashed names.
        status, _headers, admin = browser.request("GET", "/admin/")
        assert status == 200
        scripts = re.findall(
            rb'src="(/static/admin/js/[\w./-]+\.[0-9a-f]{12}\.js)"', admin
        )
        assert [browser.request("GET", s.decode())[0] for s in scripts] == [200] * len(
            scripts
        )
        assert scripts
        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["js/targets.js"]
        assert re.fullmatch(r"js/targets\.[0-9a-f]{12}\.js", hashed)
        status, headers, script = browser.request("GET", f"/static/{hashed}")
        assert (status, script) == (
            200,
            (ROOT / "static" / "js" / "targets.js").read_bytes(),
        )

        # The database stops: the health check says so.
        postgres.stop()
        status, _headers, body = browser.request("GET", "/healthz")
        assert status == 503
        assert json.loads(body) == {
            "database": "unreachable",
            "media": "ok",
            "status": "failing",
        }
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert '"message": "started", "process": "worker-1"' in output
    assert (
        '"logger": "hotline_perf.request", "message": "POST /accounts/login/ 302"'
        in output
    )


def test_serve_refuses_sqlite(tmp_path: Path) -> None:
    environment = production_environment(tmp_path, DATABASE_URL="")
    refused = subprocess.run(
        [sys.executable, "-m", "core.serve"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert refused.stderr.count("(hotline_perf.E") == 1
    assert (
        "(hotline_perf.E003) 生产环境须使用 PostgreSQL，当前数据库是 sqlite3"
        "（DATABASE_URL 未设置或不是 postgres://）。" in refused.stderr
    )
    assert "配置有误，服务未启动" in refused.stderr
    assert not (tmp_path / "static").exists()  # nothing was collected, nothing migrated

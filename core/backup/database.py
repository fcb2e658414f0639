"""The database half of a backup: dump it to a file and load it back, per vendor.

- SQLite: the online backup API (``sqlite3.Connection.backup``), page by page, consistent
  while the application keeps running; loading copies the file over the live database.
- PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot) and, to load, the
  dump's SQL (``pg_restore --file=-``) run by ``psql`` in one transaction after dropping
  every table there is: the database afterwards holds exactly the backup, or, on any
  error, exactly what it held before. The three programs must be of the server's major
  version (a dump of a newer pg_dump cannot be read by an older pg_restore): Debian's
  ``/usr/lib/postgresql/<major>/bin``, the ones on PATH if they match, or
  ``HOTLINE_PERF_PG_BINDIR``.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient

from core.backup.archive import VENDOR_NAMES


class DatabaseBackupError(Exception):
    """The database could not be dumped or loaded; the message says why, in Chinese."""


def database_vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in VENDOR_NAMES:
        raise DatabaseBackupError(
            f"不支持备份 {connection.vendor} 数据库：只支持 PostgreSQL 和 SQLite"
        )
    return connection.vendor


def database_description(connection: BaseDatabaseWrapper) -> str:
    """The database as a sysadmin would name it: ``PostgreSQL 数据库 hotline_perf（db:5432）``."""
    settings_dict = connection.settings_dict
    name = settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"SQLite 数据库 {name}"
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or "5432"
    return f"{VENDOR_NAMES.get(connection.vendor, connection.vendor)} 数据库 {name}（{host}:{port}）"


def server_version(connection: BaseDatabaseWrapper) -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    number: int = connection.pg_version  # type: ignore[attr-defined]
    return f"{number // 10000}.{number % 10000}"


def database_dump(connection: BaseDatabaseWrapper, target: Path) -> None:
    """Write a consistent copy of the database to ``target``."""
    if database_vendor(connection) == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
        return
    bindir = postgresql_bindir(connection)
    _run(
        [
            str(bindir / "pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
        ],
        env=_postgresql_environment(connection),
        failure="pg_dump 导出数据库失败",
    )


def database_load(connection: BaseDatabaseWrapper, source: Path) -> None:
    """Replace the whole database with the dump in ``source``."""
    if connection.in_atomic_block:
        raise DatabaseBackupError("不能在事务中恢复数据库")
    if database_vendor(connection) == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(source)) as copy:
            copy.backup(connection.connection)
        connection.close()
        return
    bindir = postgresql_bindir(connection)
    tables = connection.introspection.table_names(include_views=False)
    quote = connection.ops.quote_name
    prelude = "".join(f"DROP TABLE IF EXISTS {quote(t)} CASCADE;\n" for t in tables)
    connection.close()
    environment = _postgresql_environment(connection)
    # A table still in use by a web or worker process would make the restore wait for
    # ever: give up after a minute instead (the transaction then changes nothing).
    environment["PGOPTIONS"] = "-c lock_timeout=60s -c client_min_messages=warning"
    with tempfile.TemporaryDirectory(prefix="hotline_perf_restore_") as work:
        prelude_path = Path(work) / "prelude.sql"
        prelude_path.write_text(prelude, encoding="utf-8")
        restore_errors = Path(work) / "pg_restore.err"
        with restore_errors.open("wb") as errors:
            script = subprocess.Popen(
                [
                    str(bindir / "pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--clean",
                    "--if-exists",
                    "--file=-",
                    str(source),
                ],
                stdout=subprocess.PIPE,
                stderr=errors,
                env=environment,
            )
            try:
                loaded = subprocess.run(
                    [
                        str(bindir / "psql"),
                        "--no-psqlrc",
                        "--quiet",
                        "--set=ON_ERROR_STOP=1",
                        "--single-transaction",
                        f"--file={prelude_path}",
                        "--file=-",
                    ],
                    stdin=script.stdout,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    env=environment,
                    check=False,
                )
            finally:
                assert script.stdout is not None
                script.stdout.close()
                script.wait()
        if script.returncode != 0:
            raise DatabaseBackupError(
                "pg_restore 读取备份失败（数据库未更改）："
                + restore_errors.read_text(errors="replace").strip()[-2000:]
            )
        if loaded.returncode != 0:
            raise DatabaseBackupError(
                "psql 载入备份失败（数据库未更改）："
                + loaded.stderr.decode(errors="replace").strip()[-2000:]
            )


def postgresql_bindir(connection: BaseDatabaseWrapper) -> Path:
    """The folder of pg_dump, pg_restore and psql of the server's major version."""
    connection.ensure_connection()
    major: int = connection.pg_version // 10000  # type: ignore[attr-defined]
    configured = os.environ.get("HOTLINE_PERF_PG_BINDIR", "").strip()
    candidates = [Path(configured)] if configured else []
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin"))
    on_path = shutil.which("pg_dump")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        programs = [bindir / name for name in ("pg_dump", "pg_restore", "psql")]
        if all(p.is_file() for p in programs) and _major_of(programs[0]) == major:
            return bindir
    raise DatabaseBackupError(
        f"找不到与数据库服务器同一主版本（PostgreSQL {major}）的 pg_dump、pg_restore 和 "
        f"psql：请安装 postgresql-client-{major}，或以 HOTLINE_PERF_PG_BINDIR 指明其所在目录"
    )


def _major_of(program: Path) -> int | None:
    try:
        output = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", output)
    return int(found.group(1)) if found else None


def _postgresql_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's environment for the connection's database: what ``manage.py dbshell``
    passes (password, SSL options, service) plus the host, port, user and name."""
    settings_dict = connection.settings_dict
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    environment = {**os.environ, **(extra or {})}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def _run(command: list[str], *, env: dict[str, str], failure: str) -> None:
    result = subprocess.run(command, capture_output=True, env=env, check=False)
    if result.returncode != 0:
        raise DatabaseBackupError(
            f"{failure}：{result.stderr.decode(errors='replace').strip()[-2000:]}"
        )

"""``manage.py backup`` and ``restore`` round trips, run as a sysadmin runs them: as
subprocesses against a dedicated database (a SQLite file, or a database created on the
PostgreSQL server of DATABASE_URL) and storage (a folder, or buckets of a local S3 server),
never pytest's own. The source is a fresh installation: migrated, the seeds loaded through
the services (operating-data originals), evidence files and rendered documents added."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url
import psycopg
import pytest

from tests.s3server import bucket_objects, s3_client, s3_environment, s3_server

ROOT = Path(__file__).resolve().parents[3]
SCENARIO = "tests.integration.backup.scenario"
ENVIRONMENT = {
    key: value
    for key, value in os.environ.items()
    if not key.startswith(("DATABASE_URL", "HOTLINE_PERF_", "AWS_"))
}
ENVIRONMENT["DJANGO_SETTINGS_MODULE"] = "hotline_perf.settings.test"


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**ENVIRONMENT, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def state(env: dict[str, str], before: str = "None") -> dict[str, Any]:
    """``scenario.state()`` of the installation ``env``, after ``before`` (a call of
    another scenario function, such as ``damage()``)."""
    code = f"from {SCENARIO} import *; {before}; state()"
    out = manage("shell", "-c", code, env=env)
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


class Databases:
    """Fresh databases of the kind the suite runs on, dropped at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = os.environ.get("DATABASE_URL", "")
        self.created: list[str] = []

    def _admin(self) -> psycopg.Connection[Any]:
        config = dj_database_url.parse(self.url)
        return psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )

    def fresh(self, label: str) -> str:
        if not self.url.startswith("postgres"):
            return f"sqlite:///{self.folder / f'{label}.sqlite3'}"
        name = f"hotline_perf_roundtrip_{label}_{os.getpid()}"
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.url.rsplit("/", 1)[0] + "/" + quote(name)

    def drop_all(self) -> None:
        if self.created:
            with self._admin() as admin:
                for name in self.created:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Source:
    env: dict[str, str]
    archive: Path
    state: dict[str, Any]
    manifest: dict[str, Any]


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    found = Databases(tmp_path_factory.mktemp("databases"))
    yield found
    found.drop_all()


@pytest.fixture(scope="module")
def source(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Source:
    folder = tmp_path_factory.mktemp("source")
    env = {
        "DATABASE_URL": databases.fresh("source"),
        "HOTLINE_PERF_MEDIA_ROOT": str(folder / "media"),
    }
    manage("migrate", "--verbosity=0", env=env)
    manage("load_seeds", env=env)
    manage("shell", "-c", f"from {SCENARIO} import populate; populate()", env=env)
    archive = folder / "backup.tar"
    out = manage("backup", "-o", str(archive), env=env)
    assert f"已备份到 {archive}" in out
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        manifest = json.loads(member.read())
    return Source(env=env, archive=archive, state=state(env), manifest=manifest)


def test_the_source_serves_every_file_it_records(source: Source) -> None:
    downloads = source.state["downloads"]
    # 2 operating-data originals (seeds), 2 evidence files, a PDF and a workbook
    assert len(downloads) == 6
    assert {d["status"] for d in downloads.values()} == {200}
    for url, sha256 in source.state["recorded"].items():
        assert downloads[url]["sha256"] == sha256
    assert sorted(source.state["evaluations"]) == ["panjin-2023", "tianjin-2020"]
    assert source.state["evaluations"]["tianjin-2020"]["total"] == "92.37"
    names = source.state["storage"]
    assert len(names) == 6
    assert sum(n.startswith("evidence/") for n in names) == 2
    assert sum(n.startswith("operating_data/") for n in names) == 2
    assert sum(n.startswith("documents/target_form/tianjin-2020/") for n in names) == 2


def test_the_archive_holds_the_database_and_every_file_with_its_checksum(
    source: Source,
) -> None:
    manifest = source.manifest
    vendor = "postgresql" if "postgres" in source.env["DATABASE_URL"] else "sqlite"
    assert (manifest["format"], manifest["version"], manifest["vendor"]) == (
        "hotline_perf-backup",
        1,
        vendor,
    )
    assert [f["name"] for f in manifest["files"]] == [
        f"files/{name}" for name in source.state["storage"]
    ]
    with tarfile.open(source.archive) as tar:
        for entry in [manifest["database"], *manifest["files"]]:
            member = tar.extractfile(entry["name"])
            assert member is not None
            assert hashlib.sha256(member.read()).hexdigest() == entry["sha256"]
    originals = {
        f"files/{name}": name.rsplit("/", 1)[1].split(".")[0]
        for name in source.state["storage"]
        if name.startswith("operating_data/")
    }
    for entry in manifest["files"]:
        if entry["name"] in originals:  # content-addressed: the name is the SHA-256
            assert entry["sha256"] == originals[entry["name"]]


def test_a_restore_into_an_empty_database_and_folder_serves_everything_again(
    source: Source, databases: Databases, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": databases.fresh("target"),
        "HOTLINE_PERF_MEDIA_ROOT": str(tmp_path / "media"),
    }
    out = manage("restore", str(source.archive), "--noinput", env=env)
    assert "恢复将用备份中的内容替换现有的数据库和文件" in out
    assert "已恢复：数据库和 6 个文件；删除了 0 个备份中没有的文件。" in out
    assert state(env) == source.state

    # Damage it all: a lost file, a stray file, scores and an evidence row changed.
    media = tmp_path / "media"
    (media / source.state["storage"][0]).unlink()
    (media / "stray.txt").write_text("not in the backup")
    damaged = state(env, before="damage()")
    assert damaged["evaluations"] != source.state["evaluations"]
    assert damaged["downloads"] != source.state["downloads"]

    out = manage("restore", str(source.archive), "--noinput", env=env)
    assert "删除备份中没有的 1 个文件" in out
    assert state(env) == source.state
    assert not (media / "stray.txt").exists()


def test_a_backup_moves_to_s3_and_round_trips_through_it(
    source: Source, databases: Databases
) -> None:
    with s3_server() as endpoint:
        client = s3_client(endpoint)
        for bucket in ("hotline-first", "hotline-second"):
            client.create_bucket(Bucket=bucket)
        expected = {
            f["name"].removeprefix("files/"): f["sha256"]
            for f in source.manifest["files"]
        }

        # The local installation's backup, restored onto S3: what moving to several
        # machines with a shared bucket takes.
        first = {
            "DATABASE_URL": databases.fresh("s3first"),
            **s3_environment(endpoint, "hotline-first"),
        }
        out = manage("restore", str(source.archive), "--noinput", env=first)
        assert "S3 桶 hotline-first" in out
        assert bucket_objects(endpoint, "hotline-first") == expected

        # Backed up from S3 and restored into another database and bucket.
        archive = source.archive.with_name("from-s3.tar")
        manage("backup", "-o", str(archive), env=first)
        second = {
            "DATABASE_URL": databases.fresh("s3second"),
            **s3_environment(endpoint, "hotline-second"),
        }
        manage("restore", str(archive), "--noinput", env=second)
        assert bucket_objects(endpoint, "hotline-second") == expected
        assert state(second) == source.state

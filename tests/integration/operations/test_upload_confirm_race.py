"""Two confirmations of one upload at the same moment (issue 10, Low 8): exactly one
imports, the other is told in Chinese that the upload is already imported — no 500, no
error list without errors, nothing counted twice.

The two confirmations are two processes (``confirm_race.py``) posting to the confirm view
at once, each with its own database connection, on a copy of the test database that holds
the pending upload: on SQLite a file written from a dump of the test's connection, on
PostgreSQL a database copied from the seeded one (the worker tests' ``worker_database``).
A confirmation after the upload was imported is refused the same way.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role
from budgets.models import Organisation
from operations import services
from operations.models import OperatingDataUpload, OperatingValue
from tests.integration.documents.test_worker_processes import (  # noqa: F401 (fixtures)
    _copies,
    _database_url,
    worker_database,
)

HELPER = Path(__file__).with_name("confirm_race.py")
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
YEAR = 2031  # a year no seed has: the upload creates its two values
IMPORTED = "已导入：新增 2 项、更新 0 项、未变化 0 项。"
ALREADY = "该上传已导入，不能再次导入（数据未作任何更改）。"


def _pending_upload() -> tuple[OperatingDataUpload, str]:
    tianjin = Organisation.objects.get(code="tj-8890")
    user = User.objects.create_user("tj-8890-clerk", password="x" * 12)
    Membership.objects.create(user=user, organisation=tianjin, role=Role.UNIT)
    content = (
        "填报单位,指标,期间,数值,单位,备注\n"
        f"{tianjin.name},呼入量,{YEAR},1100,万次,\n"
        f"{tianjin.name},接听量,{YEAR},1000,万次,\n"
    ).encode()
    outcome = services.operating_data_upload(
        organisation=tianjin, name="运行数据.csv", content=content, uploaded_by=user
    )
    assert outcome.ok and outcome.upload is not None, outcome.problems
    return outcome.upload, user.username


def _race(
    database_url: str, upload: OperatingDataUpload, username: str, tmp: Path
) -> list[tuple[int, list[str]]]:
    """Both confirmations, released together; their (status, messages), in any order."""
    directory = tmp / "race"
    directory.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline_perf.settings.test",
        "DATABASE_URL": database_url,
        "HOTLINE_PERF_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [sys.executable, str(HELPER), str(upload.pk), username, str(directory)]
    processes = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    deadline = time.monotonic() + 60
    while len(list(directory.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    (directory / "go").touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-3000:]
        answer = json.loads(out.decode().splitlines()[-1])
        results.append((answer["status"], answer["messages"]))
    return sorted(results, key=lambda r: r[1] != [IMPORTED])


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite copy; PostgreSQL's is below")
@pytest.mark.django_db
def test_two_confirmations_at_once_import_once_on_sqlite(
    media: Path, tmp_path: Path
) -> None:
    upload, username = _pending_upload()
    copy = tmp_path / "copy.sqlite3"
    connection.ensure_connection()
    # dumped through the test's connection, so its own uncommitted rows are in the copy
    # (the backup API waits forever on a shared-cache database with an open transaction)
    dump = "\n".join(connection.connection.iterdump())
    with sqlite3.connect(copy) as target:
        target.executescript(dump)

    assert _race(f"sqlite:///{copy}", upload, username, tmp_path) == [
        (302, [IMPORTED]),
        (302, [ALREADY]),
    ]
    with sqlite3.connect(copy) as copied:
        (status,) = copied.execute(
            "SELECT status FROM operations_operatingdataupload WHERE id = ?",
            (upload.pk,),
        ).fetchone()
        (values,) = copied.execute(
            "SELECT count(*) FROM operations_operatingvalue WHERE year = ?", (YEAR,)
        ).fetchone()
    assert (status, values) == (OperatingDataUpload.Status.COMMITTED, 2)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="a copy of the PostgreSQL database")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_database")
def test_two_confirmations_at_once_import_once_on_postgresql(tmp_path: Path) -> None:
    upload, username = _pending_upload()  # committed, in the copy
    database_url = _database_url(connection.settings_dict)

    assert _race(database_url, upload, username, tmp_path) == [
        (302, [IMPORTED]),
        (302, [ALREADY]),
    ]
    upload.refresh_from_db()
    assert upload.status == OperatingDataUpload.Status.COMMITTED
    assert OperatingValue.objects.filter(year=YEAR).count() == 2


@pytest.mark.django_db
def test_confirming_an_imported_upload_again_says_so_and_changes_nothing(
    media: Path,
) -> None:
    upload, username = _pending_upload()
    client = Client()
    client.force_login(User.objects.get(username=username))
    url = reverse("operations:upload_confirm", args=[upload.pk])

    first = client.post(url, follow=True)
    assert [str(m) for m in first.context["messages"]] == [IMPORTED]
    values = sorted(OperatingValue.objects.values_list("pk", "value", "upload_id"))
    second = client.post(url, follow=True)
    assert second.status_code == 200
    assert [str(m) for m in second.context["messages"]] == [ALREADY]
    assert sorted(OperatingValue.objects.values_list("pk", "value", "upload_id")) == (
        values
    )
    assert OperatingValue.objects.filter(year=YEAR).count() == 2


@pytest.mark.django_db
def test_a_discarded_upload_cannot_be_confirmed(media: Path) -> None:
    upload, _username = _pending_upload()
    services.operating_data_discard(upload=upload)
    with pytest.raises(services.UploadStateError) as refused:
        services.operating_data_commit(upload=upload)
    assert str(refused.value) == "该上传已放弃，不能再导入；如需导入请重新上传。"
    with pytest.raises(services.UploadStateError) as again:
        services.operating_data_discard(upload=upload)
    assert str(again.value) == "该上传已放弃。"
    assert not OperatingValue.objects.filter(year=YEAR).exists()

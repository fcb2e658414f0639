"""``manage.py restore`` refuses before touching anything: a damaged archive, another
database kind, a backup of newer code, a cancelled confirmation. It says what it would
replace. (Run in-process on pytest's database: nothing here may change it.)"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from core.backup import storage_names
from evaluations.models import Evaluation, EvaluationIndicator
from tests.unit.backup.archives import flip, write

pytestmark = pytest.mark.django_db
OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    default_storage.save("evidence/2026/现有.pdf", ContentFile(b"%PDF-1.4 kept"))
    return tmp_path / "media"


@pytest.fixture
def unchanged() -> Callable[[], None]:
    """Call at the end: the database and the storage are as they were."""
    before = (
        Evaluation.objects.count(),
        list(EvaluationIndicator.objects.values_list("final_score", flat=True)),
        storage_names(default_storage),
    )

    def check() -> None:
        assert (
            Evaluation.objects.count(),
            list(EvaluationIndicator.objects.values_list("final_score", flat=True)),
            storage_names(default_storage),
        ) == before
        assert default_storage.open("evidence/2026/现有.pdf").read() == b"%PDF-1.4 kept"

    return check


def restore(path: Path, *args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), *args, stdout=io.StringIO())
    return str(refused.value)


def test_a_damaged_archive_is_refused_with_what_is_wrong(
    tmp_path: Path, unchanged: Callable[[], None]
) -> None:
    path = write(tmp_path / "b.tar", vendor=connection.vendor)
    flip(path, "files/operating_data/tj-8890/a.xlsx", 0)
    assert restore(path, "--noinput") == (
        "备份文件不能恢复，未做任何更改：\n"
        "  - “files/operating_data/tj-8890/a.xlsx”已损坏：SHA-256 与清单不符"
    )
    unchanged()


def test_a_backup_of_the_other_database_kind_is_refused(
    tmp_path: Path, unchanged: Callable[[], None]
) -> None:
    other = OTHER_VENDOR[connection.vendor]
    path = write(tmp_path / "b.tar", vendor=other)
    assert restore(path, "--noinput") == (
        "备份文件不能恢复，未做任何更改：\n"
        f"  - 备份的数据库是 {NAMES[other]}，当前配置的是 {NAMES[connection.vendor]}："
        "只能恢复到同一种数据库"
    )
    unchanged()


def test_a_backup_of_newer_code_is_refused(
    tmp_path: Path, unchanged: Callable[[], None]
) -> None:
    path = write(
        tmp_path / "b.tar",
        vendor=connection.vendor,
        change={"migrations": ("operations.0001_initial", "operations.9999_future")},
    )
    assert restore(path, "--noinput") == (
        "备份文件不能恢复，未做任何更改：\n"
        "  - 备份来自较新版本的程序（有本程序没有的数据库迁移：operations.9999_future）："
        "请先升级程序再恢复"
    )
    unchanged()


def test_the_confirmation_says_what_is_replaced_and_no_cancels(
    tmp_path: Path,
    media: Path,
    unchanged: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write(tmp_path / "b.tar", vendor=connection.vendor)
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "no")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^已取消，未做任何更改。$"):
        call_command("restore", str(path), stdout=out)
    assert asked == ["输入 yes 继续恢复，其他任何输入取消："]
    lines = out.getvalue().splitlines()
    assert lines[1:] == [
        "恢复将用备份中的内容替换现有的数据库和文件：",
        f"  - {database()}：其中现有的全部数据将被删除，换成备份时的数据；",
        f"  - 文件夹 {media}：写回备份中的 2 个文件，删除备份中没有的 1 个文件。",
        "恢复前请先停止网站和任务进程（db_worker）。",
    ]
    assert lines[0] == (
        f"备份 {path}（2026-12-04T10:00:00+00:00 创建，已校验：清单、格式版本和 "
        "3 个成员的 SHA-256 均无误）。"
    )
    unchanged()


def test_a_dry_run_checks_and_changes_nothing(
    tmp_path: Path, unchanged: Callable[[], None]
) -> None:
    path = write(tmp_path / "b.tar", vendor=connection.vendor)
    out = io.StringIO()
    call_command("restore", str(path), "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[-1] == "校验通过（--dry-run：未做任何更改）。"
    unchanged()


def database() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite 数据库 {settings['NAME']}"
    host = settings["HOST"] or "localhost"
    return (
        f"PostgreSQL 数据库 {settings['NAME']}（{host}:{settings['PORT'] or '5432'}）"
    )


def test_a_backup_is_not_written_into_the_folder_it_copies(media: Path) -> None:
    target = media / "backup.tar"
    with pytest.raises(CommandError) as refused:
        call_command("backup", "-o", str(target))
    assert str(refused.value) == f"备份文件 {target} 不能放在存储文件的目录之内"
    assert not target.exists()

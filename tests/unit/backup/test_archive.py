"""The archive check refuses every kind of damage, naming what is wrong (no database)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from core.backup.archive import (
    ArchiveError,
    Entry,
    Manifest,
    archive_verify,
    archive_writer,
)
from tests.unit.backup.archives import DATABASE, FILES, flip, write


def problems(path: Path) -> tuple[str, ...]:
    with pytest.raises(ArchiveError) as caught:
        archive_verify(path)
    return caught.value.problems


def test_a_sound_archive_lists_every_member_with_its_checksum(tmp_path: Path) -> None:
    manifest = archive_verify(write(tmp_path / "b.tar"))
    assert manifest.database == Entry(
        "database/sqlite3.db", len(DATABASE), hashlib.sha256(DATABASE).hexdigest()
    )
    assert manifest.storage_names == tuple(FILES)
    assert [e.sha256 for e in manifest.files] == [
        hashlib.sha256(data).hexdigest() for data in FILES.values()
    ]
    assert (tmp_path / "b.tar").stat().st_mode & 0o777 == 0o600
    assert list(tmp_path.iterdir()) == [tmp_path / "b.tar"]  # no partial file left


def test_a_changed_byte_in_a_file_is_named(tmp_path: Path) -> None:
    path = flip(write(tmp_path / "b.tar"), "files/evidence/2026/佐证材料.pdf", 10)
    assert problems(path) == (
        "“files/evidence/2026/佐证材料.pdf”已损坏：SHA-256 与清单不符",
    )


def test_a_changed_byte_in_the_database_is_named(tmp_path: Path) -> None:
    path = flip(write(tmp_path / "b.tar"), "database/sqlite3.db", 100)
    assert problems(path) == ("“database/sqlite3.db”已损坏：SHA-256 与清单不符",)


def test_a_truncated_archive_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "b.tar")
    path.write_bytes(path.read_bytes()[:5000])
    assert problems(path) == (
        "b.tar 中没有清单 manifest.json：不是本系统的备份，或已截断",
    )


def test_a_file_that_is_not_a_tar_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.tar"
    path.write_bytes("这不是备份".encode() * 200)
    assert problems(path) == (
        "notes.tar 不是本系统的备份文件（无法作为 tar 归档读取，或已损坏）",
    )
    assert problems(tmp_path / "missing.tar") == (
        f"找不到备份文件 {tmp_path / 'missing.tar'}",
    )


def test_another_tar_is_not_taken_for_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "other.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("readme.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    assert problems(path) == (
        "other.tar 中没有清单 manifest.json：不是本系统的备份，或已截断",
    )


def test_an_unknown_format_version_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "b.tar", change={"version": 2})
    assert problems(path) == ("备份格式版本 2 不受支持：本程序只能恢复版本 1 的备份",)


def test_a_listed_file_missing_from_the_archive_is_named(tmp_path: Path) -> None:
    ghost = Entry("files/evidence/2026/ghost.pdf", 3, "0" * 64)
    path = write(tmp_path / "b.tar", listed=[ghost])
    assert problems(path) == (
        "缺少“files/evidence/2026/ghost.pdf”（清单中列出，备份中没有）",
    )


def test_a_member_the_manifest_does_not_list_is_named(tmp_path: Path) -> None:
    members = {
        "database/sqlite3.db": DATABASE,
        "files/a.txt": b"a",
        "files/extra.txt": b"b",
    }
    path = tmp_path / "b.tar"
    with archive_writer(path) as writer:
        entries = [
            writer.add_stream(name, io.BytesIO(data), len(data))
            for name, data in members.items()
        ]
        writer.add_manifest(
            Manifest(1, "", "sqlite", "3", entries[0], (entries[1],), ())
        )
    assert problems(path) == ("备份中有清单未列出的“files/extra.txt”",)


def test_a_name_leaving_the_storage_is_refused(tmp_path: Path) -> None:
    members = {"database/sqlite3.db": DATABASE, "files/../settings.py": b"x = 1"}
    path = write(tmp_path / "b.tar", members=members)
    assert problems(path) == (
        "文件名“../settings.py”不安全（绝对路径或含 ..），拒绝恢复",
    )


def test_a_size_that_differs_from_the_manifest_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "b.tar")
    manifest = archive_verify(path)
    wrong = dataclasses.replace(manifest.files[0], size=1)
    path = write(tmp_path / "c.tar", change={"files": (wrong, *manifest.files[1:])})
    assert problems(path) == (
        "“files/operating_data/tj-8890/a.xlsx”大小不符：清单记 1 字节，备份中 3004 字节",
    )

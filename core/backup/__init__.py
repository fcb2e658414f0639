"""Backup and restore of everything the application keeps: the database and every stored
file (operating-data originals, evidence, rendered documents), in one archive with a
manifest of SHA-256 checksums (``archive.py``; database dumps in ``database.py``).

    backup_create   database first, then every file of the default storage
    restore_check   the whole archive verified, and what a restore would replace
    backup_restore  the database, then the files: the storage afterwards holds exactly
                    the archive's files

The database is dumped before the files are copied: files are only ever added under new
names (content-addressed uploads and renders, evidence under free names), so every file
the dumped database refers to is already in the storage when it is copied.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from core.backup.archive import (
    DATABASE_MEMBERS,
    FILES_DIR,
    VENDOR_NAMES,
    VERSION,
    ArchiveError,
    ArchiveReader,
    Manifest,
    archive_reader,
    archive_verify,
    archive_writer,
)
from core.backup.database import (
    DatabaseBackupError,
    database_description,
    database_dump,
    database_load,
    database_vendor,
    server_version,
)

__all__ = [
    "ArchiveError",
    "DatabaseBackupError",
    "Manifest",
    "RestoreFilesError",
    "RestorePlan",
    "archive_verify",
    "backup_create",
    "backup_restore",
    "inside_storage",
    "restore_check",
    "storage_description",
    "storage_names",
]


def storage_names(storage: Storage) -> list[str]:
    """Every file in ``storage``, by its storage name, sorted."""
    names: list[str] = []

    def walk(folder: str) -> Iterator[str]:
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:  # a local folder not created yet
            return
        prefix = f"{folder}/" if folder else ""
        yield from (prefix + name for name in files)
        for child in folders:
            yield from walk(prefix + child)

    names.extend(walk(""))
    return sorted(names)


def storage_description(storage: Storage) -> str:
    if isinstance(storage, FileSystemStorage):
        return f"文件夹 {storage.location}"
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        location = getattr(storage, "location", "")
        return f"S3 桶 {bucket}" + (f"（前缀 {location}/）" if location else "")
    return type(storage).__name__


def inside_storage(path: Path, storage: Storage | None = None) -> bool:
    """Whether ``path`` lies in the local storage folder (where a backup would copy
    itself)."""
    storage = storage or default_storage
    if not isinstance(storage, FileSystemStorage):
        return False
    return Path(storage.location).resolve() in path.resolve().parents


def _applied_migrations(connection: BaseDatabaseWrapper) -> tuple[str, ...]:
    applied = MigrationRecorder(connection).applied_migrations()
    return tuple(sorted(f"{app}.{name}" for app, name in applied))


def backup_create(
    *, output: Path, storage: Storage | None = None, using: str = DEFAULT_DB_ALIAS
) -> Manifest:
    """Write the database and every stored file to the archive ``output``."""
    storage = storage or default_storage
    connection = connections[using]
    vendor = database_vendor(connection)
    migrations = _applied_migrations(connection)
    version = server_version(connection)
    with (
        tempfile.TemporaryDirectory(prefix="hotline_perf_backup_") as work,
        archive_writer(output) as writer,
    ):
        dump = Path(work) / "database"
        database_dump(connection, dump)
        database = writer.add_path(DATABASE_MEMBERS[vendor], dump)
        dump.unlink()
        files = []
        for name in storage_names(storage):
            with storage.open(name, "rb") as stream:
                files.append(
                    writer.add_stream(FILES_DIR + name, stream, storage.size(name))
                )
        manifest = Manifest(
            version=VERSION,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            vendor=vendor,
            server_version=version,
            database=database,
            files=tuple(files),
            migrations=migrations,
        )
        writer.add_manifest(manifest)
    return manifest


class RestoreFilesError(Exception):
    """The database was restored but a file could not be written back; running the
    restore again finishes it."""


@dataclass(frozen=True)
class RestorePlan:
    """What restoring ``archive`` would replace, for the sysadmin to confirm."""

    archive: Path
    manifest: Manifest
    database: str  # database_description
    storage: str  # storage_description
    removed_files: tuple[str, ...]  # in the storage now, not in the archive
    pending_migrations: tuple[str, ...]  # this code's migrations the backup predates


def restore_check(
    *, archive: Path, storage: Storage | None = None, using: str = DEFAULT_DB_ALIAS
) -> RestorePlan:
    """Verify the whole archive and that it fits this installation; touch nothing.
    ``ArchiveError`` names every problem."""
    storage = storage or default_storage
    connection = connections[using]
    manifest = archive_verify(archive)
    vendor = database_vendor(connection)
    if manifest.vendor != vendor:
        raise ArchiveError(
            [
                f"备份的数据库是 {VENDOR_NAMES[manifest.vendor]}，当前配置的是 "
                f"{VENDOR_NAMES[vendor]}：只能恢复到同一种数据库"
            ]
        )
    known = {
        f"{app}.{name}"
        for app, name in MigrationLoader(
            None, ignore_no_migrations=True
        ).disk_migrations
    }
    unknown = sorted(set(manifest.migrations) - known)
    if unknown:
        raise ArchiveError(
            [
                "备份来自较新版本的程序（有本程序没有的数据库迁移："
                + "、".join(unknown[:5])
                + ("等" if len(unknown) > 5 else "")
                + "）：请先升级程序再恢复"
            ]
        )
    archived = set(manifest.storage_names)
    return RestorePlan(
        archive=archive,
        manifest=manifest,
        database=database_description(connection),
        storage=storage_description(storage),
        removed_files=tuple(n for n in storage_names(storage) if n not in archived),
        pending_migrations=tuple(sorted(known - set(manifest.migrations))),
    )


def backup_restore(
    *, plan: RestorePlan, storage: Storage | None = None, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Replace the database and every stored file with those of ``plan.archive``
    (verified by ``restore_check``): the database in one step, then each file written
    under its own name, then the files the archive does not have deleted."""
    storage = storage or default_storage
    manifest = plan.manifest
    with (
        archive_reader(plan.archive) as reader,
        tempfile.TemporaryDirectory(prefix="hotline_perf_restore_") as work,
    ):
        dump = Path(work) / "database"
        reader.extract_to(manifest.database, dump)
        database_load(connections[using], dump)
        dump.unlink()
        try:
            _files_restore(plan=plan, reader=reader, storage=storage)
        except Exception as exc:  # a storage error of any backend (S3: botocore)
            raise RestoreFilesError(str(exc)) from exc


def _files_restore(
    *, plan: RestorePlan, reader: ArchiveReader, storage: Storage
) -> None:
    for entry in plan.manifest.files:
        name = entry.name.removeprefix(FILES_DIR)
        if storage.exists(name):
            storage.delete(name)
        with reader.open(entry) as stream:
            content = File(stream, name=name)
            content.size = entry.size  # not the tar's: File would stat its path
            saved = storage.save(name, content)
        if saved != name:
            raise ArchiveError([f"文件“{name}”未能按原名写回（存为“{saved}”）"])
    for name in plan.removed_files:
        storage.delete(name)

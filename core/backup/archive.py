"""The backup archive: a plain tar file with the database dump, every stored file and a
manifest of SHA-256 checksums, written last (``manifest.json``)::

    database/postgresql.dump     pg_dump --format=custom   (or database/sqlite3.db)
    files/<storage name>         every file of the default storage, byte for byte
    manifest.json                format, version, database, files with size and SHA-256

Plain tar rather than gzip: the dump, the PDFs and the workbooks are already compressed,
and an uncompressed tar can be checked and read member by member without unpacking it.
Nothing here knows Django: reading and checking an archive is pure Python.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = "hotline_perf-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database/"
FILES_DIR = "files/"
DATABASE_MEMBERS = {
    "postgresql": f"{DATABASE_DIR}postgresql.dump",
    "sqlite": f"{DATABASE_DIR}sqlite3.db",
}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be restored; ``problems`` names each thing wrong, in Chinese."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Entry:
    """One member of the archive: its name in the tar, its size and SHA-256."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    version: int
    created_at: str
    vendor: str  # "postgresql" or "sqlite"
    server_version: str
    database: Entry
    files: tuple[Entry, ...]
    migrations: tuple[str, ...]  # "app.0001_name", applied when the backup was made

    @property
    def storage_names(self) -> tuple[str, ...]:
        return tuple(entry.name.removeprefix(FILES_DIR) for entry in self.files)

    @property
    def files_size(self) -> int:
        return sum(entry.size for entry in self.files)

    def as_json(self) -> bytes:
        data = {"format": FORMAT, **asdict(self)}
        return json.dumps(data, ensure_ascii=False, indent=2).encode()


def storage_name_problem(name: str) -> str | None:
    """Why ``name`` may not be written to a storage (absolute, ``..``), or None."""
    parts = PurePosixPath(name).parts
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in {"..", "."} for part in parts)
        or PurePosixPath(name).as_posix() != name
    ):
        return f"文件名“{name}”不安全（绝对路径或含 ..），拒绝恢复"
    return None


class _Hashing:
    """Reads ``stream`` for tarfile while counting and hashing what passes."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class ArchiveWriter:
    """Adds members to an archive being written; see ``archive_writer``."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self._tar = tar
        self._names: set[str] = set()

    def add_stream(self, name: str, stream: IO[bytes], size: int) -> Entry:
        """Add ``size`` bytes of ``stream`` as ``name``; a stream that ends early (a file
        that shrank while being copied) fails the backup."""
        if name in self._names:
            raise ValueError(f"duplicate archive member {name}")
        self._names.add(name)
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o600
        info.mtime = int(time.time())
        hashing = _Hashing(stream)
        self._tar.addfile(info, hashing)
        return Entry(name=name, size=hashing.size, sha256=hashing.digest.hexdigest())

    def add_path(self, name: str, path: Path) -> Entry:
        with path.open("rb") as stream:
            return self.add_stream(name, stream, path.stat().st_size)

    def add_manifest(self, manifest: Manifest) -> None:
        content = manifest.as_json()
        self.add_stream(MANIFEST, io.BytesIO(content), len(content))


@contextmanager
def archive_writer(path: Path) -> Iterator[ArchiveWriter]:
    """Write the archive beside ``path`` and move it there only when complete, readable
    by its owner alone (it holds every password hash): a failed backup leaves no file
    that looks like a backup."""
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with (
            os.fdopen(descriptor, "wb") as stream,
            tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            yield ArchiveWriter(tar)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _entry(data: Any, what: str) -> Entry:
    if not isinstance(data, dict):
        raise ArchiveError([f"清单中的{what}格式不对"])
    name, size, sha256 = data.get("name"), data.get("size"), data.get("sha256")
    if (
        not isinstance(name, str)
        or not isinstance(size, int)
        or size < 0
        or not isinstance(sha256, str)
        or not _SHA256.fullmatch(sha256)
    ):
        raise ArchiveError([f"清单中的{what}缺少名称、大小或 SHA-256：{data!r:.200}"])
    return Entry(name=name, size=size, sha256=sha256)


def _manifest(content: bytes) -> Manifest:
    try:
        data = json.loads(content.decode())
    except (UnicodeDecodeError, ValueError):
        raise ArchiveError(["清单 manifest.json 已损坏：不是有效的 JSON"]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError(["这不是本系统（hotline_perf）的备份：清单的 format 不对"])
    version = data.get("version")
    if version != VERSION:
        raise ArchiveError(
            [f"备份格式版本 {version!r} 不受支持：本程序只能恢复版本 {VERSION} 的备份"]
        )
    vendor = data.get("vendor")
    if vendor not in DATABASE_MEMBERS:
        raise ArchiveError([f"清单中的数据库类型 {vendor!r} 不受支持"])
    files = data.get("files")
    migrations = data.get("migrations")
    if not isinstance(files, list) or not isinstance(migrations, list):
        raise ArchiveError(["清单缺少文件列表（files）或迁移列表（migrations）"])
    database = _entry(data.get("database"), "数据库")
    if database.name != DATABASE_MEMBERS[vendor]:
        raise ArchiveError([f"清单中的数据库成员名“{database.name}”不对"])
    return Manifest(
        version=version,
        created_at=str(data.get("created_at", "")),
        vendor=vendor,
        server_version=str(data.get("server_version", "")),
        database=database,
        files=tuple(_entry(item, "文件") for item in files),
        migrations=tuple(str(name) for name in migrations),
    )


def _sha256_of(stream: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise ArchiveError([f"找不到备份文件 {path}"])
    try:
        return tarfile.open(path, mode="r:")
    except (tarfile.TarError, OSError):
        raise ArchiveError(
            [f"{path.name} 不是本系统的备份文件（无法作为 tar 归档读取，或已损坏）"]
        ) from None


def _members(tar: tarfile.TarFile, path: Path) -> dict[str, tarfile.TarInfo]:
    try:
        members = tar.getmembers()
    except (tarfile.TarError, OSError, EOFError):
        raise ArchiveError(
            [f"{path.name} 不完整（已截断或损坏）：无法读完其中的文件目录"]
        ) from None
    problems = []
    by_name: dict[str, tarfile.TarInfo] = {}
    for member in members:
        if member.name in by_name:
            problems.append(f"备份中有两个同名成员“{member.name}”")
        elif not member.isreg():
            problems.append(f"备份中的“{member.name}”不是普通文件（链接或目录）")
        by_name[member.name] = member
    if problems:
        raise ArchiveError(problems)
    return by_name


def archive_verify(path: Path) -> Manifest:
    """Check the whole archive before anything is touched: readable to the end, a manifest
    of this format and version, every member it lists present with its size and SHA-256,
    nothing it does not list, every file name safe. ``ArchiveError`` names each problem."""
    with _open(path) as tar:
        members = _members(tar, path)
        if MANIFEST not in members:
            raise ArchiveError(
                [f"{path.name} 中没有清单 manifest.json：不是本系统的备份，或已截断"]
            )
        stream = tar.extractfile(members[MANIFEST])
        assert stream is not None  # a regular file, checked above
        try:
            manifest = _manifest(stream.read())
        except (tarfile.TarError, OSError, EOFError):
            raise ArchiveError(["清单 manifest.json 读取失败：备份已截断"]) from None
        problems: list[str] = []
        listed = [manifest.database, *manifest.files]
        for entry in manifest.files:
            name = entry.name.removeprefix(FILES_DIR)
            if not entry.name.startswith(FILES_DIR):
                problems.append(f"清单中的文件“{entry.name}”不在 files/ 下")
            elif problem := storage_name_problem(name):
                problems.append(problem)
        for entry in listed:
            member = members.get(entry.name)
            if member is None:
                problems.append(f"缺少“{entry.name}”（清单中列出，备份中没有）")
                continue
            if member.size != entry.size:
                problems.append(
                    f"“{entry.name}”大小不符：清单记 {entry.size} 字节，"
                    f"备份中 {member.size} 字节"
                )
                continue
            data = tar.extractfile(member)
            assert data is not None
            try:
                size, sha256 = _sha256_of(data)
            except (tarfile.TarError, OSError, EOFError):
                problems.append(f"“{entry.name}”读取失败：备份已截断")
                continue
            if (size, sha256) != (entry.size, entry.sha256):
                problems.append(f"“{entry.name}”已损坏：SHA-256 与清单不符")
        known = {entry.name for entry in listed} | {MANIFEST}
        problems += [
            f"备份中有清单未列出的“{name}”" for name in sorted(set(members) - known)
        ]
        if problems:
            raise ArchiveError(problems)
        return manifest


@contextmanager
def archive_reader(path: Path) -> Iterator[ArchiveReader]:
    with _open(path) as tar:
        yield ArchiveReader(tar)


class ArchiveReader:
    """Reads members of an archive that ``archive_verify`` has accepted."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self._tar = tar

    def open(self, entry: Entry) -> IO[bytes]:
        stream = self._tar.extractfile(entry.name)
        if stream is None:
            raise ArchiveError([f"缺少“{entry.name}”"])
        return stream

    def extract_to(self, entry: Entry, target: Path) -> None:
        """Copy ``entry`` to ``target``, checking its SHA-256 again on the way."""
        digest = hashlib.sha256()
        with self.open(entry) as source, target.open("wb") as sink:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                sink.write(chunk)
        if digest.hexdigest() != entry.sha256:
            raise ArchiveError([f"“{entry.name}”已损坏：SHA-256 与清单不符"])

"""Small backup archives written without a database, for the archive and restore tests."""

from __future__ import annotations

import dataclasses
import io
import tarfile
from pathlib import Path

from core.backup.archive import (
    DATABASE_MEMBERS,
    Entry,
    Manifest,
    archive_writer,
)

DATABASE = b"SQLite format 3\x00" + b"\x01" * 4000
FILES = {
    "operating_data/tj-8890/a.xlsx": b"PK\x03\x04" + b"x" * 3000,
    "evidence/2026/佐证材料.pdf": b"%PDF-1.4 " * 200,
}


def write(
    path: Path,
    *,
    members: dict[str, bytes] | None = None,
    change: dict[str, object] | None = None,
    listed: list[Entry] | None = None,
    vendor: str = "sqlite",
) -> Path:
    """An archive of DATABASE and FILES, or of ``members`` with a manifest changed by
    ``change`` or listing ``listed`` beside what was written."""
    contents = {
        DATABASE_MEMBERS[vendor]: DATABASE,
        **{f"files/{name}": data for name, data in FILES.items()},
    }
    if members is not None:
        contents = members
    with archive_writer(path) as writer:
        entries = [
            writer.add_stream(name, io.BytesIO(data), len(data))
            for name, data in contents.items()
        ]
        manifest = Manifest(
            version=1,
            created_at="2026-12-04T10:00:00+00:00",
            vendor=vendor,
            server_version="3.40.1",
            database=entries[0],
            files=tuple(entries[1:]) + tuple(listed or ()),
            migrations=("operations.0001_initial",),
        )
        writer.add_manifest(dataclasses.replace(manifest, **(change or {})))  # type: ignore[arg-type]
    return path


def flip(path: Path, member: str, offset: int) -> Path:
    """Invert one byte of ``member``'s data in the archive ``path``: damage on disk."""
    with tarfile.open(path) as tar:
        start = tar.getmember(member).offset_data
    data = bytearray(path.read_bytes())
    data[start + offset] ^= 0xFF
    path.write_bytes(bytes(data))
    return path

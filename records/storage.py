"""Where the records' Parquet files live: the configured Django storage (``STORAGES
["default"]``: a folder or an S3 bucket), under ``records/org-<id>/year=<y>/month=<mm>/``.

The query engines read local files: on a local folder they read the stored files in place;
on another storage each file is fetched once into a local cache named by its SHA-256 (the
name alone proves the content), so a later query reads it from disk.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Final

from django.core.files import File
from django.core.files.storage import default_storage

ROOT: Final = "records"
CHUNK: Final = 1 << 20


def partition_name(
    *, organisation_id: int, year: int, month: int, kind: str, sha256: str
) -> str:
    return (
        f"{ROOT}/org-{organisation_id}/year={year}/month={month:02d}/"
        f"{kind}-{sha256[:16]}.parquet"
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def save(name: str, path: Path) -> str:
    """Put the local file ``path`` at ``name`` (the name is the content's: a file already
    there is the same file)."""
    if default_storage.exists(name):
        return name
    local = _local_path(name)
    if local is not None:
        local.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, local.with_suffix(".part"))
        os.replace(local.with_suffix(".part"), local)
        return name
    with path.open("rb") as handle:
        return default_storage.save(name, File(handle))


def delete(name: str) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)


def _local_path(name: str) -> Path | None:
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        return None


def local_file(name: str, sha256: str) -> Path:
    """A local path holding the stored file ``name`` (its SHA-256 ``sha256``)."""
    local = _local_path(name)
    if local is not None:
        return local
    cache = Path(tempfile.gettempdir()) / "hotline_perf_records"
    cached = cache / f"{sha256}.parquet"
    if not cached.exists():
        cache.mkdir(parents=True, exist_ok=True)
        with (
            default_storage.open(name, "rb") as source,
            tempfile.NamedTemporaryFile(dir=cache, delete=False) as target,
        ):
            shutil.copyfileobj(source, target, CHUNK)
        os.replace(target.name, cached)
    return cached

"""Writes of the records: an import (all or nothing, a period replaced atomically) and a
centre's column mapping."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from budgets.models import Organisation
from records import storage
from records.columns import FIELDS, RecordKind
from records.ingest import RecordLimits, RecordsRefused, read_records, remove
from records.models import ColumnMapping, RecordImport, RecordPartition
from records.selectors import column_mapping

__all__ = ["RecordsRefused", "column_mapping_save", "records_import"]


def centre_names(organisation: Organisation) -> list[str]:
    """What 热线中心 may say for ``organisation``'s own records: its name or code."""
    return [organisation.name, organisation.code]


def records_import(
    *,
    organisation: Organisation,
    kind: RecordKind,
    path: Path,
    original_name: str,
    year: int | None = None,
    imported_by: User | None = None,
    source: str = "",
    limits: RecordLimits | None = None,
    threads: int | None = None,
) -> RecordImport:
    """Check the file at ``path``; when every row is clean, store its records as one
    Parquet file per month and make them the organisation's records of those months, in
    one transaction (a month imported before is replaced; other months stay). Raises
    ``RecordsRefused`` and changes nothing otherwise."""
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="records_import_"))
    written: list[str] = []
    # the source's SHA-256 is taken beside DuckDB's reading (hashlib lets go of the GIL)
    hashing = ThreadPoolExecutor(max_workers=1)
    source_sha256 = hashing.submit(storage.sha256_of, path)
    try:
        result = read_records(
            path=path,
            name=original_name,
            kind=kind,
            centres=centre_names(organisation),
            year=year,
            mapping=column_mapping(organisation=organisation, kind=kind),
            folder=folder,
            limits=limits or RecordLimits(),
            threads=threads,
        )
        stored: dict[int, tuple[str, str, int]] = {}
        for month, file in result.files.items():
            digest = storage.sha256_of(file)
            name = storage.partition_name(
                organisation_id=organisation.pk,
                year=result.year,
                month=month,
                kind=kind.value,
                sha256=digest,
            )
            existed = default_storage.exists(name)
            storage.save(name, file)
            if not existed:
                written.append(name)
            stored[month] = (name, digest, file.stat().st_size)
        record_import = _switch(
            organisation=organisation,
            kind=kind,
            year=result.year,
            months=result.months,
            stored=stored,
            imported_by=imported_by,
            source=source,
            original_name=original_name,
            sha256=source_sha256.result(),
            size=path.stat().st_size,
            seconds=time.perf_counter() - started,
        )
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    finally:
        hashing.shutdown(wait=True, cancel_futures=True)
        remove(folder)
    return record_import


@transaction.atomic
def _switch(
    *,
    organisation: Organisation,
    kind: RecordKind,
    year: int,
    months: Mapping[int, int],
    stored: Mapping[int, tuple[str, str, int]],
    imported_by: User | None,
    source: str,
    original_name: str,
    sha256: str,
    size: int,
    seconds: float,
) -> RecordImport:
    record_import = RecordImport(
        organisation=organisation,
        kind=kind.value,
        imported_by=imported_by,
        source=source,
        original_name=Path(original_name).name[:255],
        sha256=sha256,
        size=size,
        rows=sum(months.values()),
        year=year,
        months=sorted(months),
        imported_at=timezone.now(),
        seconds=Decimal(f"{seconds:.2f}"),
    )
    record_import.full_clean()
    record_import.save()
    previous = {
        p.month: p
        for p in RecordPartition.objects.select_for_update().filter(
            organisation=organisation,
            kind=kind.value,
            year=year,
            month__in=list(months),
        )
    }
    obsolete: list[str] = []
    for month, rows in months.items():
        name, digest, file_size = stored[month]
        partition = previous.get(month) or RecordPartition(
            organisation=organisation, kind=kind.value, year=year, month=month
        )
        if partition.pk and partition.stored_name != name:
            obsolete.append(partition.stored_name)
        partition.record_import = record_import
        partition.stored_name = name
        partition.sha256 = digest
        partition.size = file_size
        partition.rows = rows
        partition.full_clean(validate_unique=False)
        partition.save()
    # the replaced files go once the new ones are the period's (readers take names from
    # the rows, so none reads a half-replaced period)
    transaction.on_commit(lambda: _delete(obsolete))
    return record_import


def _delete(names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def column_mapping_save(
    *,
    organisation: Organisation,
    kind: RecordKind,
    columns: Mapping[str, str],
    updated_by: User | None = None,
) -> ColumnMapping:
    """Save the centre's own header for the fields given (an empty one: the standard
    header); fields not given keep their saved names."""
    keys = {f.key for f in FIELDS[kind]}
    mapping, _created = ColumnMapping.objects.get_or_create(
        organisation=organisation, kind=kind.value
    )
    saved = dict(mapping.columns)
    for key, header in columns.items():
        if key not in keys:
            continue
        if header.strip():
            saved[key] = header.strip()
        else:
            saved.pop(key, None)
    mapping.columns = saved
    mapping.updated_by = updated_by
    mapping.updated_at = timezone.now()
    mapping.full_clean()
    mapping.save()
    return mapping

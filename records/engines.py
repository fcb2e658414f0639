"""Where the KPI expressions run: DuckDB (embedded, the default) or Apache Spark.

The expressions (``records.kpis``) are Ibis; an engine only says where the records are and
executes them. Chosen by ``RECORDS_ENGINE`` (settings), no code change:

- ``{"engine": "duckdb"}``: in-process, reading the Parquet files directly;
- ``{"engine": "spark", "master": "local[*]"}``: a Spark session in this process (tests);
  ``"master": "spark://host:7077"`` (or ``yarn``, ``k8s://…``) a cluster through a master
  URL; ``{"engine": "spark", "remote": "sc://host:15002"}`` a cluster through Spark
  Connect. A cluster's executors must reach the files: with the S3 storage they read
  ``s3a://<bucket>/<location>/records/…`` (the cluster's own S3 credentials); on a local
  folder only ``local[*]`` can.

Results are whole numbers per month and measure; the same records give the same numbers
on both engines (``tests/integration/records/test_spark_parity.py``).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import ibis
import ibis.expr.types as ir
from django.conf import settings
from django.core.files.storage import default_storage

from records import kpis, storage
from records.columns import RecordKind

MonthlyMeasures = dict[int, dict[str, int]]
"""month → measure key → value"""


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str


class Engine(Protocol):
    name: str

    def monthly(
        self, kind: RecordKind, files: Sequence[StoredFile]
    ) -> MonthlyMeasures: ...


def _rows(result: Any) -> MonthlyMeasures:
    table = result.to_pylist() if hasattr(result, "to_pylist") else result
    return {
        int(row["month"]): {k: int(v or 0) for k, v in row.items() if k != "month"}
        for row in table
    }


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads

    def monthly(self, kind: RecordKind, files: Sequence[StoredFile]) -> MonthlyMeasures:
        if not files:
            return {}
        connection = (
            ibis.duckdb.connect(threads=self.threads)
            if self.threads
            else ibis.duckdb.connect()
        )
        try:
            paths = [str(storage.local_file(f.name, f.sha256)) for f in files]
            # the folders' year=/month= are not columns: a record's month is its time's
            table: ir.Table = connection.read_parquet(paths, hive_partitioning=False)
            return _rows(connection.to_pyarrow(kpis.monthly(table, kind)))
        finally:
            connection.disconnect()


_spark_lock = threading.Lock()
_spark_session: Any = None


def spark_session(options: Mapping[str, Any]) -> Any:
    """One Spark session per process, from ``RECORDS_ENGINE``."""
    global _spark_session
    with _spark_lock:
        if _spark_session is None:
            from pyspark.sql import SparkSession

            builder = SparkSession.builder.appName("hotline_perf records")
            if options.get("remote"):
                builder = builder.remote(str(options["remote"]))
            else:
                builder = (
                    builder.master(str(options.get("master") or "local[*]"))
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                )
            # Naive timestamps are wall-clock times; no zone shifts them.
            builder = builder.config("spark.sql.session.timeZone", "UTC")
            for key, value in dict(options.get("config") or {}).items():
                builder = builder.config(str(key), str(value))
            _spark_session = builder.getOrCreate()
        return _spark_session


class SparkEngine:
    name = "spark"

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.options = options

    def _uri(self, file: StoredFile) -> str:
        bucket = getattr(default_storage, "bucket_name", None)
        if bucket:
            location = str(getattr(default_storage, "location", "") or "").strip("/")
            prefix = f"{location}/" if location else ""
            return f"s3a://{bucket}/{prefix}{file.name}"
        return str(storage.local_file(file.name, file.sha256))

    def monthly(self, kind: RecordKind, files: Sequence[StoredFile]) -> MonthlyMeasures:
        if not files:
            return {}
        session = spark_session(self.options)
        connection = ibis.pyspark.connect(session)
        view = f"records_{kind.value}_{uuid.uuid4().hex}"
        session.read.parquet(*[self._uri(f) for f in files]).createOrReplaceTempView(
            view
        )
        table: ir.Table = connection.table(view)
        try:
            frame = connection.execute(kpis.monthly(table, kind))
        finally:
            session.catalog.dropTempView(view)
        return _rows(frame.to_dict("records"))


def configured() -> dict[str, Any]:
    return dict(getattr(settings, "RECORDS_ENGINE", {}) or {"engine": "duckdb"})


def engine(name: str | None = None) -> Engine:
    """The engine ``name`` ("duckdb" or "spark"), or the configured one."""
    options = configured()
    chosen = (name or str(options.get("engine") or "duckdb")).lower()
    if chosen == "spark":
        return SparkEngine(options)
    if chosen != "duckdb":
        raise ValueError(f"未知的计算引擎“{chosen}”：只能是 duckdb 或 spark")
    return DuckDBEngine(options.get("threads"))

"""Every measure on DuckDB and on Spark (local[*]) from the same stored records: identical.

Spark starts a JVM (~15 s): these run in their own step of scripts/test (.ci/run), with
HOTLINE_PERF_RECORDS_SLOW=1; elsewhere they are skipped, saying so.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from budgets.models import Organisation
from records import engines
from records.columns import RecordKind
from records.kpis import MEASURES
from records.selectors import partitions_of
from records.services import records_import
from records.synthetic import Manifest

from .conftest import report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.spark,
    pytest.mark.skipif(
        os.environ.get("HOTLINE_PERF_RECORDS_SLOW") != "1",
        reason="Spark: its own step of scripts/test (HOTLINE_PERF_RECORDS_SLOW=1)",
    ),
]


def _edge_orders(path: Path) -> None:
    """Work orders of every type, channel and callback result, with empty optional
    values and a deadline met to the second."""
    t = pa.timestamp("s")

    def ts(text: str | None) -> object:
        import datetime as dt

        return None if text is None else dt.datetime.fromisoformat(text)

    rows = [
        (
            "o1",
            "咨询",
            "网站",
            1,
            None,
            "2022-03-01 08:00:00",
            "2022-03-02 08:00:00",
            "2022-03-02 08:00:00",
            1,
            "2022-03-03 09:00:00",
            "满意",
            0,
            0,
        ),
        (
            "o2",
            "投诉",
            "移动端",
            0,
            "市人社局",
            "2022-03-01 09:00:00",
            "2022-03-02 09:00:00",
            "2022-03-02 09:00:01",
            0,
            "2022-03-04 09:00:00",
            "基本满意",
            1,
            1,
        ),
        (
            "o3",
            "建议",
            "电话",
            0,
            None,
            "2022-03-31 23:59:59",
            None,
            None,
            0,
            None,
            None,
            0,
            0,
        ),
        (
            "o4",
            "派单",
            "电话",
            1,
            "各区政府",
            "2022-04-01 00:00:00",
            None,
            "2022-04-09 00:00:00",
            0,
            "2022-04-10 00:00:00",
            "不满意",
            1,
            0,
        ),
    ]
    columns = list(zip(*rows, strict=True))
    table = pa.table(
        {
            "工单编号": pa.array(columns[0]),
            "热线中心": pa.array(["tj-8890"] * len(rows)),
            "类型": pa.array(columns[1]),
            "渠道": pa.array(columns[2]),
            "营商环境类": pa.array(columns[3]),
            "承办单位": pa.array(columns[4]),
            "受理时间": pa.array([ts(v) for v in columns[5]], t),
            "办理时限": pa.array([ts(v) for v in columns[6]], t),
            "办结时间": pa.array([ts(v) for v in columns[7]], t),
            "直接办复": pa.array(columns[8]),
            "回访时间": pa.array([ts(v) for v in columns[9]], t),
            "回访结果": pa.array(columns[10]),
            "退单": pa.array(columns[11]),
            "有责投诉": pa.array(columns[12]),
        }
    )
    pq.write_table(table, path)


def test_every_measure_is_identical_on_duckdb_and_spark(
    tianjin: Organisation, synthetic: Callable[..., Manifest], tmp_path: Path
) -> None:
    manifest = synthetic(plant=True)
    for kind in RecordKind:
        records_import(
            organisation=tianjin,
            kind=kind,
            path=Path(manifest.files[kind.value]),
            original_name=f"{kind.value}.csv",
        )
    edge = tmp_path / "edge-orders.parquet"
    _edge_orders(edge)
    records_import(
        organisation=tianjin,
        kind=RecordKind.ORDERS,
        path=edge,
        original_name="edge.parquet",
        year=2022,
    )
    duck, spark = engines.engine("duckdb"), engines.engine("spark")
    for year in (2021, 2022):
        for kind in RecordKind:
            files = [
                engines.StoredFile(p.stored_name, p.sha256)
                for p in partitions_of(organisation=tianjin, year=year).filter(
                    kind=kind
                )
            ]
            on_duckdb, on_spark = duck.monthly(kind, files), spark.monthly(kind, files)
            assert on_duckdb == on_spark, (year, kind)
    files = [
        engines.StoredFile(p.stored_name, p.sha256)
        for p in partitions_of(organisation=tianjin, year=2022)
    ]
    edge_measures = spark.monthly(RecordKind.ORDERS, files)
    assert edge_measures[3] == {
        "cases-accepted": 3,
        "cases-help": 0,
        "cases-dispatch": 0,
        "cases-consultation": 1,
        "cases-complaint": 1,
        "cases-suggestion": 1,
        "cases-phone": 1,
        "cases-web": 1,
        "cases-mobile": 1,
        "business-environment-cases": 1,
        "cases-completed": 2,
        "cases-completed-on-time": 1,  # closed at its deadline; one a second late
        "cases-resolved-directly": 1,
        "callbacks": 2,
        "callbacks-satisfied": 1,
        "callbacks-basically-satisfied": 1,
        "callbacks-dissatisfied": 0,
        "cases-returned": 1,
        "complaints-liable": 1,
    }
    assert edge_measures[4]["cases-completed-on-time"] == 1  # no deadline: on time
    calls = [
        engines.StoredFile(p.stored_name, p.sha256)
        for p in partitions_of(organisation=tianjin, year=2021).filter(kind="calls")
    ]
    year = {m.key: 0 for m in MEASURES if m.kind is RecordKind.CALLS}
    for values in spark.monthly(RecordKind.CALLS, calls).values():
        for key, value in values.items():
            year[key] += value
    assert (year["calls-offered"], year["calls-answered"]) == (105_320, 101_195)


def test_reconcile_gives_the_same_lines_on_both_engines(
    tianjin: Organisation, synthetic: Callable[..., Manifest]
) -> None:
    manifest = synthetic(plant=True)
    report(
        tianjin, [("呼入量", "2021", 105320, "次"), ("接听量", "2021", 101236, "次")]
    )
    for kind in RecordKind:
        records_import(
            organisation=tianjin,
            kind=kind,
            path=Path(manifest.files[kind.value]),
            original_name=f"{kind.value}.csv",
        )
    printed = {}
    for engine in ("duckdb", "spark"):
        out = io.StringIO()
        call_command(
            "reconcile", "tj-8890", "2021", json=True, engine=engine, stdout=out
        )
        printed[engine] = json.loads(out.getvalue())
    assert printed["duckdb"] == printed["spark"]
    assert [
        (line["code"], line["verdict"], line["difference"]) for line in printed["spark"]
    ] == [
        ("calls-offered", "一致", "0"),
        ("calls-answered", "差异", "-41"),
        ("answer-rate", "差异", "-0.04"),
    ]

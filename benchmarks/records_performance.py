"""Benchmark: a Tianjin year of raw records — ingest, KPIs on DuckDB and Spark — side by side.

    .venv/bin/python benchmarks/records_performance.py                 # 10,532,000 calls
    .venv/bin/python benchmarks/records_performance.py --calls 1053200 --orders 1036390
    .venv/bin/python benchmarks/records_performance.py --no-spark

Not a test: it prints figures and never fails on a time. Every step runs in its own
process (its peak resident memory is its own), on the same files, in one run:

1. generate: ``records.synthetic`` writes the calls as CSV (UTF-8, Chinese headers) and the
   work orders as Parquet (not timed against anything);
2. DuckDB's own copy: ``COPY (SELECT * FROM read_csv(calls.csv)) TO calls.parquet`` — the
   yardstick for ingest;
3. ingest: ``records_import`` end to end — encoding check, column mapping, parse, every
   rule (required values, times, time order, flags, ids unique, centre, year), one Parquet
   file per month, SHA-256 of each, into the storage, the periods switched in the database;
4. KPIs on DuckDB: every measure of ``records.kpis`` (the Ibis expressions, compiled and
   run) for calls and orders of the year, by month, from the stored Parquet files; best of
   3 runs, each in a fresh connection;
5. hand-written DuckDB SQL for the same figures, same files (best of 3);
6. the same KPIs on Spark ``local[*]`` (session start reported apart);
7. the KPIs' peak memory at a tenth of the rows, to show it does not grow with them.

The database is a throw-away SQLite file; storage a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _django(work: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline_perf.settings.test")
    os.environ["HOTLINE_PERF_MEDIA_ROOT"] = str(work / "media")
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


HAND_SQL_CALLS = """
SELECT month(arrived_at)::TINYINT AS month,
       count(*) AS offered,
       count(answered_at) AS answered,
       sum((epoch(answered_at) - epoch(arrived_at) <= 15)::INTEGER) AS within_15s,
       coalesce(sum(epoch(answered_at) - epoch(arrived_at)), 0) AS wait_seconds
FROM read_parquet({files}, hive_partitioning = false) GROUP BY 1 ORDER BY 1
"""
HAND_SQL_ORDERS = """
SELECT month(accepted_at)::TINYINT AS month, count(*) AS accepted,
  sum((type = '求助')::INTEGER), sum((type = '派单')::INTEGER),
  sum((type = '咨询')::INTEGER), sum((type = '投诉')::INTEGER),
  sum((type = '建议')::INTEGER),
  sum((channel = '电话')::INTEGER), sum((channel = '网站')::INTEGER),
  sum((channel = '移动端')::INTEGER),
  sum(business_environment::INTEGER),
  count(closed_at),
  sum((closed_at IS NOT NULL AND (deadline IS NULL OR closed_at <= deadline))::INTEGER),
  sum(resolved_directly::INTEGER),
  count(callback_at),
  sum((callback_result = '满意')::INTEGER),
  sum((callback_result = '基本满意')::INTEGER),
  sum((callback_result = '不满意')::INTEGER),
  sum(returned::INTEGER),
  sum(liable_complaint::INTEGER)
FROM read_parquet({files}, hive_partitioning = false) GROUP BY 1 ORDER BY 1
"""
"""The same figures as ``records.kpis``, written by hand the fastest way we found: counts
as sums of 1/0 (twice as fast in DuckDB as ``count(*) FILTER (WHERE …)`` per figure),
the month as a small integer."""


# --------------------------------------------------------------------------- steps


def step_generate(work: Path, calls: int, orders: int) -> dict[str, object]:
    from records.synthetic import Totals, calls_table, orders_table, write

    totals = Totals.scaled(calls, orders)
    started = time.perf_counter()
    table, _answered, _planted = calls_table(
        organisation="tj-8890", year=2020, calls=calls, answered=totals.answered
    )
    write(table, work / "calls.csv")
    del table
    if orders:
        table, _ = orders_table(
            organisation="tj-8890",
            year=2020,
            orders=orders,
            help=totals.help,
            business_environment=totals.business_environment,
        )
        write(table, work / "orders.parquet")
    return {
        "seconds": time.perf_counter() - started,
        "csv_bytes": (work / "calls.csv").stat().st_size,
    }


def step_duckdb_copy(work: Path) -> dict[str, object]:
    import duckdb

    started = time.perf_counter()
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{work / 'calls.csv'}'))"
        f" TO '{work / 'duckdb-copy.parquet'}' (FORMAT parquet)"
    )
    return {"seconds": time.perf_counter() - started, "load": os.getloadavg()[0]}


def step_ingest(work: Path) -> dict[str, object]:
    _django(work)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from budgets.models import Organisation
    from records.columns import RecordKind
    from records.services import records_import

    organisation = Organisation.objects.create(
        code="tj-8890", name="天津市便民专线服务中心"
    )
    started = time.perf_counter()
    imported = records_import(
        organisation=organisation,
        kind=RecordKind.CALLS,
        path=work / "calls.csv",
        original_name="calls.csv",
        year=2020,
    )
    seconds = time.perf_counter() - started
    orders = work / "orders.parquet"
    orders_seconds = None
    if orders.exists():
        started = time.perf_counter()
        records_import(
            organisation=organisation,
            kind=RecordKind.ORDERS,
            path=orders,
            original_name="orders.parquet",
            year=2020,
        )
        orders_seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": imported.rows,
        "orders_seconds": orders_seconds,
        "load": os.getloadavg()[0],
    }


def _stored(work: Path) -> dict[str, list[str]]:
    _django(work)
    from records.models import RecordPartition
    from records.storage import local_file

    found: dict[str, list[str]] = {"calls": [], "orders": []}
    for p in RecordPartition.objects.order_by("kind", "month"):
        found[p.kind].append(str(local_file(p.stored_name, p.sha256)))
    return found


def step_kpis(work: Path, engine: str, runs: int) -> dict[str, object]:
    from records import engines, kpis
    from records.columns import RecordKind

    files = _stored(work)
    times = []
    totals: dict[str, int] = {}
    session_seconds = None
    if engine == "spark":
        started = time.perf_counter()
        engines.spark_session(engines.configured())
        session_seconds = time.perf_counter() - started
    chosen = engines.engine(engine)
    hand: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        totals = {}
        for kind in RecordKind:
            stored = [engines.StoredFile(f, "") for f in files[kind.value]]
            for values in chosen.monthly(kind, stored).values():
                for key, value in values.items():
                    totals[key] = totals.get(key, 0) + value
        times.append(time.perf_counter() - started)
        if engine == "duckdb":
            # the yardstick in the same process, run for run: the ratio holds under load
            hand.append(_hand_sql(files))
    assert set(totals) == {m.key for m in kpis.MEASURES} or not files["orders"]
    return {
        "best": min(times),
        "runs": times,
        "hand_runs": hand,
        "load": os.getloadavg()[0],
        "session_seconds": session_seconds,
        "offered": totals.get("calls-offered"),
        "answered": totals.get("calls-answered"),
        "accepted": totals.get("cases-accepted"),
    }


def _hand_sql(files: dict[str, list[str]]) -> float:
    import duckdb

    started = time.perf_counter()
    connection = duckdb.connect()
    connection.sql(HAND_SQL_CALLS.format(files=files["calls"])).fetchall()
    if files["orders"]:
        connection.sql(HAND_SQL_ORDERS.format(files=files["orders"])).fetchall()
    connection.close()
    return time.perf_counter() - started


def step_hand_sql(work: Path, runs: int) -> dict[str, object]:
    import duckdb

    files = _stored(work)
    times = []
    offered = 0
    for _ in range(runs):
        started = time.perf_counter()
        connection = duckdb.connect()
        rows = connection.sql(HAND_SQL_CALLS.format(files=files["calls"])).fetchall()
        if files["orders"]:
            connection.sql(HAND_SQL_ORDERS.format(files=files["orders"])).fetchall()
        connection.close()
        times.append(time.perf_counter() - started)
        offered = sum(r[1] for r in rows)
    return {"best": min(times), "runs": times, "offered": offered}


STEPS = {
    "generate": lambda a, w: step_generate(w, a.calls, a.orders),
    "duckdb_copy": lambda a, w: step_duckdb_copy(w),
    "ingest": lambda a, w: step_ingest(w),
    "kpis_duckdb": lambda a, w: step_kpis(w, "duckdb", a.runs),
    "hand_sql": lambda a, w: step_hand_sql(w, a.runs),
    "kpis_spark": lambda a, w: step_kpis(w, "spark", 1),
}


def run_step(name: str, options: argparse.Namespace, work: Path) -> dict[str, object]:
    """``name`` in a child process: its result and its own peak memory."""
    command = [
        sys.executable,
        __file__,
        "--step",
        name,
        "--work",
        str(work),
        "--calls",
        str(options.calls),
        "--orders",
        str(options.orders),
        "--runs",
        str(options.runs),
    ]
    started = time.perf_counter()
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10_532_000)
    parser.add_argument("--orders", type=int, default=10_363_900)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--step", choices=list(STEPS))
    parser.add_argument(
        "--work",
        type=Path,
        help="the folder to work in; with calls.csv (and orders.parquet) in it already,"
        " the year is not generated again",
    )
    options = parser.parse_args()
    if options.step:
        result = STEPS[options.step](options, options.work)
        result["peak_mb"] = _peak_mb()
        print(json.dumps(result))
        return 0
    work = options.work or Path(tempfile.mkdtemp(prefix="hotline_perf_records_"))
    reused = (work / "calls.csv").exists()
    for stale in ("bench.sqlite3", "media", "duckdb-copy.parquet"):
        target = work / stale
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()}")
    results: dict[str, dict[str, object]] = {}
    names = [
        n
        for n in STEPS
        if not (options.no_spark and n == "kpis_spark")
        and not (reused and n == "generate")
    ]
    if reused:
        results["generate"] = {"csv_bytes": (work / "calls.csv").stat().st_size}
    for name in names:
        results[name] = run_step(name, options, work)
        print(name, json.dumps(results[name]), flush=True)
    calls = options.calls
    ingest = float(results["ingest"]["seconds"])  # type: ignore[arg-type]
    copy = float(results["duckdb_copy"]["seconds"])  # type: ignore[arg-type]
    kpi = float(results["kpis_duckdb"]["best"])  # type: ignore[arg-type]
    hand = float(results["hand_sql"]["best"])  # type: ignore[arg-type]
    print()
    print(f"calls {calls:,}; CSV {int(results['generate']['csv_bytes']) / 1e6:,.0f} MB")  # type: ignore[call-overload]
    print(f"ingest end to end {ingest:.2f} s = {calls / ingest / 1e6:.2f} M rows/s")
    print(
        f"DuckDB read_csv → Parquet {copy:.2f} s; ingest ÷ copy = {ingest / copy:.2f}"
    )
    print(
        f"KPIs (Ibis on DuckDB) {kpi:.2f} s; hand SQL {hand:.2f} s; ratio {kpi / hand:.2f}"
    )
    same = results["kpis_duckdb"]["hand_runs"]
    print(
        f"KPIs in one process, run for run: Ibis {results['kpis_duckdb']['runs']},"
        f" hand SQL {same}"
    )
    print(
        f"load average after each step: { {n: r.get('load') for n, r in results.items()} }"
    )
    print(
        f"peak MB: ingest {results['ingest']['peak_mb']:.0f}, KPIs"
        f" {results['kpis_duckdb']['peak_mb']:.0f}, hand SQL"
        f" {results['hand_sql']['peak_mb']:.0f}, DuckDB copy"
        f" {results['duckdb_copy']['peak_mb']:.0f}"
    )
    if "kpis_spark" in results:
        spark = results["kpis_spark"]
        print(
            f"Spark local[*]: KPIs {float(spark['best']):.2f} s"  # type: ignore[arg-type]
            f" (session start {float(spark['session_seconds']):.1f} s);"  # type: ignore[arg-type]
            f" same totals as DuckDB: {spark['offered'] == results['kpis_duckdb']['offered'] and spark['accepted'] == results['kpis_duckdb']['accepted']}"
        )
    rows = calls + options.orders
    print(
        f"per row: KPIs on DuckDB {kpi / rows * 1e9:.1f} ns; ingest {ingest / calls * 1e9:.0f} ns"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

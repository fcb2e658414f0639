"""A synthetic hotline year: 话单 and 工单 as a hotline system exports them.

For tests and benchmarks (``benchmarks/records.py`` is its command line). Deterministic for a
seed. Realistic in shape — a daily profile (weekdays busier, a slow Spring Festival week), an
hourly one (a morning and an afternoon peak, quiet nights), waits with a long tail, talk
times, 560 seats, 20 trunks, work orders with deadlines, closures, callbacks — and exact in
its totals: ``answered`` of the ``calls`` are answered, and work orders split by type in the
given counts. By default the totals reproduce Tianjin 2020 (seed 001): 1053.2 万次 呼入,
1012.36 万次 接听 (``Totals.tianjin``), and with ``orders=10363900`` 受理 1036.39 万件 =
求助 691.51 + 派单 344.88 万件, 营商环境类 10.42 万件.

``plant_discrepancy``: the centre's reported 接听量 counted 1 % of its abandoned calls as
answered. The records then hold ``planted`` fewer answered calls than ``answered`` (the
reported figure), where ``planted`` is 1 % of the abandoned calls in the records, rounded
half-up — so recomputing from the records gives 接听量 = answered − planted.

``drop_month``: leave a month out entirely (for 无法核验).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from records.columns import CALL_FIELDS, ORDER_FIELDS

TIANJIN_OFFERED: Final = 10_532_000  # 1053.2 万次
TIANJIN_ANSWERED: Final = 10_123_600  # 1012.36 万次
TIANJIN_ACCEPTED: Final = 10_363_900  # 1036.39 万件
TIANJIN_HELP: Final = 6_915_100  # 691.51 万件
TIANJIN_BUSINESS: Final = 104_200  # 10.42 万件

HOURLY: Final = np.array(
    [
        1,
        0.6,
        0.4,
        0.3,
        0.3,
        0.5,
        1.2,
        3,
        6.5,
        9,
        9.5,
        8.5,
        6,
        6.5,
        8.5,
        9,
        8,
        6.5,
        4.5,
        3.8,
        3.5,
        3,
        2.2,
        1.5,
    ]
)


def _share(count: int, part: int, whole: int) -> int:
    """``count × part ÷ whole``, rounded half-up: the exact split of a published ratio."""
    return int((Decimal(count) * part / whole).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class Totals:
    calls: int
    answered: int
    orders: int
    help: int
    business_environment: int

    @classmethod
    def scaled(cls, calls: int, orders: int) -> Totals:
        """Tianjin 2020's proportions at ``calls`` and ``orders`` (exact at its scale)."""
        return cls(
            calls=calls,
            answered=_share(calls, TIANJIN_ANSWERED, TIANJIN_OFFERED),
            orders=orders,
            help=_share(orders, TIANJIN_HELP, TIANJIN_ACCEPTED),
            business_environment=_share(orders, TIANJIN_BUSINESS, TIANJIN_ACCEPTED),
        )


@dataclass
class Manifest:
    """What the generator wrote, for tests and for the reader of a benchmark."""

    organisation: str
    year: int
    calls: int
    calls_answered_reported: int
    calls_answered_in_records: int
    planted: int
    orders: int
    orders_by_type: dict[str, int]
    business_environment: int
    dropped_month: int | None
    files: dict[str, str] = field(default_factory=dict)


def _hour_starts(year: int) -> tuple[np.ndarray, np.ndarray]:
    """Every hour of ``year`` (epoch seconds) and its weight in the profile."""
    start = dt.datetime(year, 1, 1)
    days = (dt.datetime(year + 1, 1, 1) - start).days
    day_weights = np.ones(days)
    for d in range(days):
        date = start + dt.timedelta(days=d)
        if date.weekday() >= 5:
            day_weights[d] = 0.75
        if date.month == 2 and date.day <= 7:  # Spring Festival week (about)
            day_weights[d] *= 0.6
        if date.month in (7, 8):  # summer: utilities, heat
            day_weights[d] *= 1.15
    weights = (day_weights[:, None] * HOURLY[None, :]).ravel()
    epoch0 = int((start - dt.datetime(1970, 1, 1)).total_seconds())
    starts = epoch0 + 3600 * np.arange(days * 24, dtype=np.int64)
    return starts, weights


def _arrivals(
    rng: np.random.Generator, count: int, year: int, drop_month: int | None
) -> np.ndarray:
    """``count`` arrival times (epoch seconds, sorted) spread by the profile."""
    starts, weights = _hour_starts(year)
    if drop_month is not None:
        months = (
            starts.astype("datetime64[s]").astype("datetime64[M]").astype(int) % 12
        ) + 1
        weights = np.where(months == drop_month, 0.0, weights)
    cumulative = np.floor(np.cumsum(weights) / weights.sum() * count).astype(np.int64)
    cumulative[np.flatnonzero(weights)[-1] :] = count  # no float crumbs after the last
    per_hour = np.diff(np.concatenate(([0], cumulative)))
    times = np.repeat(starts, per_hour) + rng.integers(0, 3600, count)
    times.sort()
    return times


def _shuffled(rng: np.random.Generator, counts: list[int]) -> np.ndarray:
    """Category codes 0, 1, … in exactly ``counts``, in random order."""
    codes = np.repeat(np.arange(len(counts), dtype=np.int8), counts)
    rng.shuffle(codes)
    return codes


def _timestamps(seconds: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    array = pa.array(seconds.astype("datetime64[s]"), type=pa.timestamp("s"))
    if valid is None:
        return array
    return pc.if_else(pa.array(valid), array, pa.scalar(None, pa.timestamp("s")))


def _labels(codes: np.ndarray, labels: list[str]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(labels)).cast(
        pa.string()
    )


def _flag(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(np.int8))


def calls_table(
    *,
    organisation: str,
    year: int,
    calls: int,
    answered: int,
    plant_discrepancy: bool = False,
    drop_month: int | None = None,
    seed: int = 2020,
) -> tuple[pa.Table, int, int]:
    """The call records: (table, answered in the records, planted)."""
    rng = np.random.default_rng(seed)
    planted = 0
    if plant_discrepancy:
        # reported = in_records + round(1 % × abandoned_in_records), abandoned = calls − in_records
        abandoned_reported = calls - answered
        planted = _share(abandoned_reported, 1, 99)
        while _share(abandoned_reported + planted, 1, 100) != planted:
            planted += (
                1 if _share(abandoned_reported + planted, 1, 100) > planted else -1
            )
    in_records = answered - planted
    arrived = _arrivals(rng, calls, year, drop_month)
    is_answered = _shuffled(rng, [in_records, calls - in_records]) == 0
    wait = np.minimum(rng.lognormal(np.log(7), 0.85, calls), 900).astype(np.int64)
    patience = np.minimum(rng.lognormal(np.log(30), 0.9, calls), 1800).astype(np.int64)
    talk = np.minimum(rng.lognormal(np.log(170), 0.6, calls), 7200).astype(np.int64) + 5
    answered_at = arrived + wait
    ended = np.where(is_answered, answered_at + talk, arrived + patience)
    base = year * 100_000_000
    seats = rng.integers(1, 561, calls)
    seat = pc.if_else(
        pa.array(is_answered),
        _labels(seats - 1, [f"S{n:04d}" for n in range(1, 561)]),
        pa.scalar(None, pa.string()),
    )
    columns = {
        "call_id": pa.array(base + np.arange(1, calls + 1, dtype=np.int64)),
        "centre": pa.array(np.full(calls, organisation, dtype=object), pa.string()),
        "trunk": _labels(
            rng.integers(0, 20, calls), [f"中继{n:02d}" for n in range(1, 21)]
        ),
        "arrived_at": _timestamps(arrived),
        "answered_at": _timestamps(answered_at, is_answered),
        "ended_at": _timestamps(ended),
        "seat": seat,
        "queue": _labels(
            rng.choice(4, calls, p=[0.82, 0.08, 0.06, 0.04]),
            ["综合", "营商环境", "政策咨询", "英语"],
        ),
        "abandoned": _flag(~is_answered),
        "transferred": _flag(is_answered & (rng.random(calls) < 0.03)),
    }
    return pa.table(columns), in_records, planted


def orders_table(
    *,
    organisation: str,
    year: int,
    orders: int,
    help: int,
    business_environment: int,
    drop_month: int | None = None,
    seed: int = 2021,
) -> tuple[pa.Table, dict[str, int]]:
    rng = np.random.default_rng(seed)
    accepted = _arrivals(rng, orders, year, drop_month)
    dispatch = orders - help
    kind = _shuffled(rng, [help, dispatch])  # 0 求助 (answered by the seat), 1 派单
    is_dispatch = kind == 1
    days = 86_400
    deadline = accepted + np.where(is_dispatch, 5 * days, days)
    closes = rng.random(orders) < 0.995
    late = rng.random(orders) < 0.03
    took = np.where(
        is_dispatch,
        np.where(
            late,
            rng.integers(5 * days + 1, 12 * days, orders),
            rng.integers(3600, 5 * days, orders),
        ),
        rng.integers(60, 1800, orders),
    )
    closed = accepted + took
    called_back = closes & (rng.random(orders) < 0.3)
    callback_at = closed + rng.integers(3600, 3 * days, orders)
    result = rng.choice(3, orders, p=[0.86, 0.11, 0.03])
    result_labels = pc.if_else(
        pa.array(called_back),
        _labels(result, list(("满意", "基本满意", "不满意"))),
        pa.scalar(None, pa.string()),
    )
    departments = [
        "市交通运输委",
        "市城市管理委",
        "市住房城乡建设委",
        "市市场监管委",
        "市人社局",
        "各区政府",
    ]
    department = pc.if_else(
        pa.array(is_dispatch),
        _labels(rng.integers(0, len(departments), orders), departments),
        pa.scalar(None, pa.string()),
    )
    business = (
        _shuffled(rng, [business_environment, orders - business_environment]) == 0
    )
    base = year * 100_000_000
    columns = {
        "order_id": pa.array(base + np.arange(1, orders + 1, dtype=np.int64)),
        "centre": pa.array(np.full(orders, organisation, dtype=object), pa.string()),
        "accepted_at": _timestamps(accepted),
        "type": _labels(kind, ["求助", "派单"]),
        "channel": _labels(
            rng.choice(3, orders, p=[0.9, 0.04, 0.06]), ["电话", "网站", "移动端"]
        ),
        "business_environment": _flag(business),
        "department": department,
        "deadline": _timestamps(deadline),
        "closed_at": _timestamps(closed, closes),
        "resolved_directly": _flag(~is_dispatch & closes),
        "callback_at": _timestamps(callback_at, called_back),
        "callback_result": result_labels,
        "returned": _flag(is_dispatch & (rng.random(orders) < 0.02)),
        "liable_complaint": _flag(rng.random(orders) < 0.0002),
    }
    return pa.table(columns), {"求助": help, "派单": dispatch}


def write(
    table: pa.Table, path: Path, *, headers: str = "zh", encoding: str = "utf-8"
) -> None:
    """CSV (UTF-8 or GBK) under Chinese or key headers, or Parquet (by the suffix)."""
    fields = {f.key: f.header for f in (*CALL_FIELDS, *ORDER_FIELDS)}
    if path.suffix == ".parquet":
        pq.write_table(table, path)
        return
    if headers == "zh":
        table = table.rename_columns([fields[name] for name in table.column_names])
    options = pacsv.WriteOptions(quoting_style="needed")
    if encoding.lower() in ("utf-8", "utf8"):
        pacsv.write_csv(table, path, options)
        return
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, options)
    path.write_bytes(sink.getvalue().to_pybytes().decode("utf-8").encode(encoding))


def generate(
    *,
    directory: Path,
    organisation: str,
    year: int,
    totals: Totals,
    plant_discrepancy: bool = False,
    drop_month: int | None = None,
    file_format: str = "csv",
    encoding: str = "utf-8",
    headers: str = "zh",
) -> Manifest:
    """Write ``calls-<org>-<year>.<ext>``, ``orders-…`` and ``manifest.json`` to ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(
        organisation=organisation,
        year=year,
        calls=totals.calls,
        calls_answered_reported=totals.answered,
        calls_answered_in_records=totals.answered,
        planted=0,
        orders=totals.orders,
        orders_by_type={},
        business_environment=totals.business_environment,
        dropped_month=drop_month,
    )
    suffix = "parquet" if file_format == "parquet" else "csv"
    if totals.calls:
        calls, in_records, planted = calls_table(
            organisation=organisation,
            year=year,
            calls=totals.calls,
            answered=totals.answered,
            plant_discrepancy=plant_discrepancy,
            drop_month=drop_month,
        )
        path = directory / f"calls-{organisation}-{year}.{suffix}"
        write(calls, path, headers=headers, encoding=encoding)
        del calls
        manifest.calls_answered_in_records = in_records
        manifest.planted = planted
        manifest.files["calls"] = path.name
    if totals.orders:
        orders, by_type = orders_table(
            organisation=organisation,
            year=year,
            orders=totals.orders,
            help=totals.help,
            business_environment=totals.business_environment,
            drop_month=drop_month,
        )
        path = directory / f"orders-{organisation}-{year}.{suffix}"
        write(orders, path, headers=headers, encoding=encoding)
        manifest.orders_by_type = by_type
        manifest.files["orders"] = path.name
    (directory / "manifest.json").write_text(
        json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifest

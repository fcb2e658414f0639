"""The core path: synthetic records → import_records → KPIs on DuckDB → reconcile --json."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.core.management import call_command

from budgets.models import Organisation
from records.models import RecordImport, RecordPartition
from records.synthetic import Manifest

from .conftest import report

pytestmark = pytest.mark.django_db

YEAR_FIGURES = [
    ("呼入量", "2021", 105320, "次"),
    ("接听量", "2021", 101236, "次"),
    ("受理量", "2021", 103639, "件"),
    ("求助类受理量", "2021", 69151, "件"),
    ("派单类受理量", "2021", 34488, "件"),
    ("营商环境类受理量", "2021", 1042, "件"),
]


def _import(manifest: Manifest, organisation: str = "tj-8890") -> str:
    out = io.StringIO()
    for kind in ("calls", "orders"):
        call_command(
            "import_records",
            manifest.files[kind],
            organisation=organisation,
            kind=kind,
            stdout=out,
        )
    return out.getvalue()


def _reconcile(
    organisation: str = "tj-8890", year: int = 2021
) -> list[dict[str, object]]:
    out = io.StringIO()
    call_command("reconcile", organisation, str(year), json=True, stdout=out)
    return json.loads(out.getvalue())


def _by(
    lines: list[dict[str, object]],
) -> dict[tuple[object, object], dict[str, object]]:
    return {(line["code"], line["period"]): line for line in lines}


def test_synthetic_year_reconciles_as_consistent(
    tianjin: Organisation, synthetic: Callable[..., Manifest]
) -> None:
    report(tianjin, YEAR_FIGURES)
    printed = _import(synthetic())
    assert "已导入 天津市便民专线服务中心 2021 年话单 105,320 条（1月、2月" in printed
    lines = _by(_reconcile())
    assert {
        k: (v["reported"], v["recomputed"], v["difference"], v["verdict"])
        for k, v in lines.items()
    } == {
        ("calls-offered", "2021"): ("105320", "105320", "0", "一致"),
        ("calls-answered", "2021"): ("101236", "101236", "0", "一致"),
        ("answer-rate", "2021"): ("96.12", "96.12", "0", "一致"),
        ("cases-accepted", "2021"): ("103639", "103639", "0", "一致"),
        ("cases-help", "2021"): ("69151", "69151", "0", "一致"),
        ("cases-dispatch", "2021"): ("34488", "34488", "0", "一致"),
        ("business-environment-cases", "2021"): ("1042", "1042", "0", "一致"),
    }
    assert set(next(iter(lines.values()))) >= {
        "metric",
        "period",
        "reported",
        "recomputed",
        "difference",
        "verdict",
    }
    assert lines[("answer-rate", "2021")]["numerator"] == 101236
    assert lines[("answer-rate", "2021")]["denominator"] == 105320
    stored = RecordPartition.objects.filter(organisation=tianjin, year=2021)
    assert stored.count() == 24
    assert sum(p.rows for p in stored.filter(kind="calls")) == 105320


def test_planted_discrepancy_is_a_difference_of_its_size(
    tianjin: Organisation, synthetic: Callable[..., Manifest]
) -> None:
    manifest = synthetic(plant=True)
    assert manifest.planted == 41  # 1 % of the 4,125 calls abandoned in the records
    report(tianjin, YEAR_FIGURES)
    _import(manifest)
    lines = _by(_reconcile())
    answered = lines[("calls-answered", "2021")]
    assert (answered["reported"], answered["recomputed"], answered["difference"]) == (
        "101236",
        "101195",
        "-41",
    )
    assert answered["verdict"] == "差异"
    rate = lines[("answer-rate", "2021")]
    assert (
        rate["reported"],
        rate["recomputed"],
        rate["difference"],
        rate["verdict"],
    ) == (
        "96.12",
        "96.08",
        "-0.04",
        "差异",
    )
    assert lines[("calls-offered", "2021")]["verdict"] == "一致"
    assert lines[("cases-accepted", "2021")]["verdict"] == "一致"


def _monthly_counts(path: str, column: str) -> dict[int, int]:
    """Hand-written SQL over the generated file: the figures a centre would report."""
    rows = duckdb.sql(
        f"SELECT month(CAST(\"{column}\" AS TIMESTAMP)) AS m, count(*) FROM read_csv('{path}',"
        " all_varchar = true) GROUP BY m ORDER BY m"
    ).fetchall()
    return {int(m): int(n) for m, n in rows}


def test_missing_month_is_unverifiable_for_that_period_only(
    tianjin: Organisation, synthetic: Callable[..., Manifest]
) -> None:
    manifest = synthetic(drop_month=12)
    offered = _monthly_counts(manifest.files["calls"], "到达时间")
    assert 12 not in offered
    full = _monthly_counts(synthetic().files["calls"], "到达时间")
    reported = {**offered, 12: full[12]}  # December's figure, with no records under it
    report(
        tianjin,
        [("呼入量", f"2021-{m:02d}", reported[m], "次") for m in range(1, 13)],
    )
    _import(manifest)
    lines = _by(_reconcile())
    verdicts = {
        period: line["verdict"]
        for (code, period), line in lines.items()
        if code == "calls-offered"
    }
    assert verdicts == {
        **{f"2021-{m:02d}": "一致" for m in range(1, 12)},
        "2021-12": "无法核验",
        "2021": "无法核验",
    }
    december = lines[("calls-offered", "2021-12")]
    assert december["recomputed"] is None
    assert december["difference"] is None
    assert december["missing"] == "12月的话单"
    assert lines[("calls-offered", "2021")]["missing"] == "12月的话单"


def test_reimport_of_a_period_replaces_it(
    tianjin: Organisation,
    synthetic: Callable[..., Manifest],
    media: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    _import(synthetic(plant=True))
    first = {
        p.month: p.stored_name for p in RecordPartition.objects.filter(kind="calls")
    }
    with django_capture_on_commit_callbacks(execute=True):
        _import(synthetic())
    partitions = RecordPartition.objects.filter(organisation=tianjin, kind="calls")
    assert partitions.count() == 12
    assert RecordImport.objects.filter(organisation=tianjin, kind="calls").count() == 2
    now = {p.month: p.stored_name for p in partitions}
    changed = [m for m in now if now[m] != first[m]]
    assert changed  # the planted calls differ in some months
    for month in changed:
        assert not (media / first[month]).exists()
        assert (media / now[month]).exists()
    stored = sorted(str(p.relative_to(media)) for p in media.rglob("calls-*.parquet"))
    assert stored == sorted(now.values())


def test_report_appendix_prints_the_years_verification(
    tianjin: Organisation, synthetic: Callable[..., Manifest]
) -> None:
    from django.template.loader import render_to_string

    from records.selectors import report_appendix

    assert report_appendix(organisation=tianjin, year=2021) is None
    report(tianjin, YEAR_FIGURES[:2])
    _import(synthetic(plant=True))
    appendix = report_appendix(organisation=tianjin, year=2021)
    assert appendix is not None
    html = render_to_string(
        "reports/evaluation/_data_verification.html", {"data_verification": appendix}
    )
    assert "附：数据核验情况" in html
    assert (
        "（12 个月），据此重新计算运行指标，与单位上报数逐项核对：一致 1 项，差异 2 项。"
        in html
    )
    assert (
        '<tr><td>接听量</td><td class="num">101236 次</td><td class="num">101195 次</td>'
        '<td class="num">-41 次</td><td>差异</td></tr>'
    ) in html

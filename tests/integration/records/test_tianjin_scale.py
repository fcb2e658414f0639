"""Seed 001 at full scale: a synthetic Tianjin 2020 (1053.2 万 calls, 1036.39 万 work orders)
imported into 天津市便民专线服务中心 reconciles with every figure the seed reports that
records can support — 一致. 20 M rows: its own step of scripts/test."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from records.synthetic import TIANJIN_ACCEPTED, TIANJIN_OFFERED, Totals, generate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.records_scale,
    pytest.mark.skipif(
        os.environ.get("HOTLINE_PERF_RECORDS_SLOW") != "1",
        reason="20 M rows: its own step of scripts/test (HOTLINE_PERF_RECORDS_SLOW=1)",
    ),
]


def test_tianjin_2020_synthetic_year_reconciles_with_seed_001(tmp_path: Path) -> None:
    manifest = generate(
        directory=tmp_path / "files",
        organisation="天津市便民专线服务中心",
        year=2020,
        totals=Totals.scaled(TIANJIN_OFFERED, TIANJIN_ACCEPTED),
        file_format="parquet",
    )
    assert (manifest.calls, manifest.calls_answered_in_records) == (
        10_532_000,
        10_123_600,
    )
    assert manifest.orders_by_type == {"求助": 6_915_100, "派单": 3_448_800}
    for kind, name in manifest.files.items():
        call_command(
            "import_records",
            str(tmp_path / "files" / name),
            organisation="tj-8890",
            kind=kind,
            stdout=io.StringIO(),
        )
    out = io.StringIO()
    call_command("reconcile", "tj-8890", "2020", json=True, stdout=out)
    lines = {
        (line["metric"], line["reported_as"], line["recomputed"], line["verdict"])
        for line in json.loads(out.getvalue())
    }
    assert lines == {
        ("呼入量", "1053.2 万次", "10532000", "一致"),
        ("接听量", "1012.36 万次", "10123600", "一致"),
        ("接通率", "96.12 %", "96.12", "一致"),
        ("受理量", "1036.39 万件", "10363900", "一致"),
        ("求助类受理量", "691.51 万件", "6915100", "一致"),
        ("派单类受理量", "344.88 万件", "3448800", "一致"),
        ("营商环境类受理量", "10.42 万件", "104200", "一致"),
    }

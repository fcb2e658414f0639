"""A figure the raw records reconcile as 一致 is marked “verified from records”; one they
contradict stays “uploaded”, with the verdict 差异 beside it."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from comparisons.selectors import Source, kpi_comparison
from records.synthetic import Totals, generate

from .conftest import centre, upload

pytestmark = pytest.mark.django_db


def _records(code: str, year: int, tmp_path: Path) -> int:
    """A small synthetic year of 话单 and 工单 imported for the centre; the answered calls."""
    manifest = generate(
        directory=tmp_path / code,
        organisation=code,
        year=year,
        totals=Totals.scaled(10_532, 10_364),
    )
    for kind in ("calls", "orders"):
        call_command(
            "import_records",
            str(tmp_path / code / manifest.files[kind]),
            organisation=code,
            kind=kind,
            stdout=io.StringIO(),
        )
    return manifest.calls_answered_reported


def test_records_verify_one_centre_and_contradict_another(tmp_path: Path) -> None:
    fushun = centre(
        "fs-12345", "抚顺市12345热线服务中心", region="辽宁省", city="抚顺市"
    )
    benxi = centre(
        "bx-12345", "本溪市12345热线服务中心", region="辽宁省", city="本溪市"
    )
    answered = _records("fs-12345", 2023, tmp_path)
    assert answered == 10_124  # 10532 × 1012.36 / 1053.2 = 10123.6, half-up
    upload(
        fushun, [("呼入量", "2023", 10532, "次"), ("接听量", "2023", answered, "次")]
    )
    # Benxi reports 59 more answered calls than its records hold
    _records("bx-12345", 2023, tmp_path)
    upload(benxi, [("呼入量", "2023", 10532, "次"), ("接听量", "2023", 10183, "次")])

    admin = User.objects.create_superuser("sources-admin")
    answer = kpi_comparison(user=admin, year=2023, metric="answer-rate").kpi(
        "answer-rate"
    )
    assert answer is not None
    by_code = {f.organisation.code: f for f in answer.figures}
    fs, bx, pj = by_code["fs-12345"], by_code["bx-12345"], by_code["pj-yshj"]
    # 10124 / 10532 = 96.126 → 96.13 %
    assert (fs.value, fs.source, fs.source_label, fs.verification) == (
        Decimal("96.13"),
        Source.VERIFIED,
        "经原始记录核验",
        "一致",
    )
    # 10183 / 10532 = 96.69 % reported; the records give 96.13 %
    assert (bx.value, bx.source, bx.verification) == (
        Decimal("96.69"),
        Source.UPLOADED,
        "差异",
    )
    # a centre without records: its published figure, no verdict
    assert (pj.source, pj.verification) == (Source.PUBLISHED, None)
    assert [(f.organisation.code, f.rank) for f in answer.figures] == [
        ("pj-yshj", 1),
        ("bx-12345", 2),
        ("fs-12345", 3),
    ]

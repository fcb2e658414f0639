"""On the evaluation's scoring page: each linked actual value beside its verification
against the records of the evaluated year, and the evaluator adopting the recomputed value
with one click (through the page's typed-actual form: in the indicator's history)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from budgets.models import Organisation
from evaluations.models import EvaluationIndicator
from records.columns import RecordKind
from records.services import records_import
from records.synthetic import Totals, generate
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


def test_evaluator_sees_the_verification_and_adopts_the_recomputed_rate(
    tmp_path: Path,
) -> None:
    manifest = generate(
        directory=tmp_path,
        organisation="tj-8890",
        year=2020,
        totals=Totals(
            calls=1200, answered=1153, orders=0, help=0, business_environment=0
        ),
    )
    records_import(
        organisation=Organisation.objects.get(code="tj-8890"),
        kind=RecordKind.CALLS,
        path=tmp_path / manifest.files["calls"],
        original_name="calls.csv",
    )
    evaluator = log_in_as("天津评价员", "tj-evaluator", Role.EVALUATOR, client=Client())
    page = evaluator.get(
        reverse("evaluations:detail", args=["tianjin-2020"])
    ).content.decode()
    assert "实际完成值与 2020 年原始记录核验" in page
    rate = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="坐席电话接听率"
    )
    start = page.index(f'<tr data-indicator="{rate.pk}">')
    row = page[start : page.index("</tr>", start)]
    # reported 1012.36 ÷ 1053.2 万次 = 96.12%; the records: 1153 ÷ 1200 = 96.08%
    assert "96.12%" in row and "96.08%" in row and "差异" in row
    assert "采用 96.08%" in row
    history_before = rate.history.count()
    adopt = row[row.index("<form") : row.index("</form>")]
    posted = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', adopt))
    assert posted[f"row-{rate.pk}-actual_text"] == "96.08%"
    assert (
        posted[f"row-{rate.pk}-actual_source"] == "由 2020 年原始记录重算（数据核验）"
    )
    score_before = (rate.final_score, rate.reason, rate.applicable)
    response = evaluator.post(
        reverse("evaluations:scores", args=["tianjin-2020"]), posted
    )
    assert response.status_code == 302
    rate.refresh_from_db()
    assert (rate.actual_text, rate.actual_source) == (
        "96.08%",
        "由 2020 年原始记录重算（数据核验）",
    )
    assert rate.history.count() == history_before + 1
    assert (rate.final_score, rate.reason, rate.applicable) == score_before
    # 受理量 has no work orders stored: 无法核验, nothing to adopt
    accepted = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="年度受理咨询数量"
    )
    start = page.index(f'<tr data-indicator="{accepted.pk}">')
    row = page[start : page.index("</tr>", start)]
    assert (
        "无法核验" in row
        and '缺少 <span lang="zh">1月、2月、3月' in row
        and "采用" not in row
    )

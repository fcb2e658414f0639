"""Acceptance: the seed workbooks, uploaded through the import, give the seed figures exactly."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from budgets.models import Organisation
from operations.models import OperatingDataUpload, OperatingValue
from operations.selectors import actual_values, cost_table
from targets.models import TargetForm
from targets.monitoring_data import monitored_indicators

pytestmark = pytest.mark.django_db
D = Decimal
FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "operating_data"


def test_the_seed_workbooks_are_loaded_as_uploads_by_no_user() -> None:
    uploads = OperatingDataUpload.objects.order_by("original_name")
    assert [
        (
            u.original_name,
            u.organisation.code,
            u.uploaded_by,
            u.source,
            u.status,
            u.rows_total,
            u.rows_created,
        )
        for u in uploads
    ] == [
        ("panjin-12345-2023.xlsx", "pj-yshj", None, "种子数据", "committed", 10, 10),
        (
            "tianjin-8890-2018-2020.xlsx",
            "tj-8890",
            None,
            "种子数据",
            "committed",
            31,
            31,
        ),
    ]
    assert OperatingValue.objects.count() == 41
    assert all(
        len(u.sha256) == 64
        and u.stored_name == f"operating_data/{u.organisation.code}/{u.sha256}.xlsx"
        for u in uploads
    )


def test_tianjin_2020_actual_values_are_the_report_figures(
    tianjin: Organisation,
) -> None:
    actual = actual_values(organisation=tianjin, year=2020)
    rate = actual["call-answer-rate"]
    assert (
        rate.value,
        rate.unit,
        rate.numerator,
        rate.numerator_unit,
        rate.denominator,
        rate.denominator_unit,
    ) == (D("96.12"), "%", D("1012.36"), "万次", D("1053.2"), "万次")
    assert rate.source.startswith("运行数据上传“tianjin-8890-2018-2020.xlsx”（")
    assert rate.source.endswith("，种子数据）")
    assert actual["answer-rate"] is rate
    figures = {
        code: (actual[code].value, actual[code].unit)
        for code in (
            "seat-count",
            "contract-staff-count",
            "accepted-volume",
            "training-attendance",
            "trunk-line-count",
            "trunk-line-activation-rate",
            "labour-cost-per-10k-answered",
            "unit-labour-cost",
            "monthly-attrition-rate",
            "business-environment-cases",
            "public-opinion-report-issues",
            "integrated-hotlines",
            "seats-business-environment",
        )
    }
    assert figures == {
        "seat-count": (D("560"), "个"),
        "contract-staff-count": (D("865"), "人"),
        "accepted-volume": (D("1036.39"), "万件"),
        "training-attendance": (D("33478"), "人次"),
        "trunk-line-count": (D("30"), "条"),
        "trunk-line-activation-rate": (D("100.00"), "%"),
        "labour-cost-per-10k-answered": (D("8.99"), "万元"),
        "unit-labour-cost": (D("10.01"), "万元"),
        "monthly-attrition-rate": (D("1.10"), "%"),
        "business-environment-cases": (D("10.42"), "万件"),
        "public-opinion-report-issues": (D("57"), "期"),
        "integrated-hotlines": (D("76"), "条"),
        "seats-business-environment": (D("17"), "个"),
    }
    turnover = actual["monthly-attrition-rate"]
    assert (turnover.numerator, turnover.denominator) == (D("10"), D("909"))


def test_tianjin_table_3_is_rebuilt_from_the_uploaded_counts(
    tianjin: Organisation,
) -> None:
    table = cost_table(organisation=tianjin, year=2020)
    assert table is not None
    assert [
        (c.years, c.cost_per_10k_calls, c.unit_labour_cost, c.turnover_rate)
        for c in table.columns
    ] == [
        ((2020,), D("8.99"), D("10.01"), D("1.10")),
        ((2019,), D("12.15"), D("8.79"), D("2.96")),
        ((2018,), D("8.97"), D("7.87"), D("2.42")),
        ((2018, 2019), D("10.58"), D("8.38"), D("2.72")),
    ]
    assert (
        table.cost_per_10k_calls_growth_vs_mean,
        table.unit_labour_cost_growth_vs_mean,
        table.turnover_reduction_vs_mean,
    ) == (D("-15.03"), D("19.45"), D("59.56"))


def test_panjin_five_rates_are_reproduced_exactly(panjin: Organisation) -> None:
    actual = actual_values(organisation=panjin, year=2023)
    assert {
        code: (actual[code].value, actual[code].numerator, actual[code].denominator)
        for code in (
            "call-answer-rate",
            "positive-rating-rate",
            "direct-resolution-rate",
            "completion-rate",
            "satisfaction-rate",
        )
    } == {
        "call-answer-rate": (D("98.01"), D("294030"), D("300000")),
        "positive-rating-rate": (D("98.33"), D("58998"), D("60000")),
        "direct-resolution-rate": (D("75.53"), D("244717"), D("324000")),
        "completion-rate": (D("99.88"), D("323611"), D("324000")),
        "satisfaction-rate": (D("91.43"), D("91430"), D("100000")),
    }
    assert (actual["accepted-volume"].value, actual["accepted-volume"].unit) == (
        D("32.4"),
        "万件",
    )
    assert (
        actual["platform-staff-count"].value,
        actual["platform-staff-count"].unit,
    ) == (D("52"), "人")


def test_panjin_workbook_says_its_counts_are_reconstructed() -> None:
    workbook = load_workbook(
        io.BytesIO((FIXTURES / "panjin-12345-2023.xlsx").read_bytes())
    )
    notes = "\n".join(
        str(r[0]) for r in workbook["填写说明"].iter_rows(values_only=True) if r[0]
    )
    assert "是由这些比率反推的计数" in notes
    assert "不是热线的原始数据" in notes
    data = list(workbook["运行数据"].iter_rows(values_only=True))
    assert data[4][1] == "接听量"
    assert data[4][5] == "由报告比率反推的计数（非原始数据）：接通率 98.01% × 300000"


def _rows(code: str) -> list[tuple[str, str, str, str, str]]:
    """运行监控's full-year column: the uploaded figure against the target."""
    rows = monitored_indicators(TargetForm.objects.get(code=code))
    return [
        (
            r.indicator.name,
            r.indicator.value_text,
            r.full.operating.display if r.full.operating else "",
            r.full.label,
            r.full.judgement.rule,
        )
        for r in rows
    ]


def test_tianjin_monitoring_shows_each_indicator_against_its_target() -> None:
    rows = _rows("tianjin-2020")
    assert rows[:7] == [
        (
            "设置坐席数",
            "560 个",
            "560 个",
            "达成",
            "实际值 ≥ 560 个（目标未写比较符，按“达到”读作“不低于”）",
        ),
        (
            # "1030 人" to hire, read from the text: not a ceiling that 865 meets
            "录用合同制员工人数",
            "1030 人",
            "865 人",
            "未达成",
            "实际值 ≥ 1030 人（目标未写比较符，按“达到”读作“不低于”）",
        ),
        (
            # the catalogue's 咨询类受理量, which Tianjin's data lacks: not the total
            "全年受理(咨询)量",
            "750 万件",
            "",
            "尚未填报",
            "尚无可用的运行数据",
        ),
        (
            "租赁中继线路、专线链路",
            "30 条",
            "30 条",
            "达成",
            "实际值 ≥ 30 条（目标未写比较符，按“达到”读作“不低于”）",
        ),
        (
            "开展培训人次",
            "8000 人次",
            "33478 人次",
            "达成",
            "实际值 ≥ 8000 人次（目标未写比较符，按“达到”读作“不低于”）",
        ),
        ("接通率", "大于 90%", "96.12%", "达成", "实际值 > 90%"),
        (
            "中继线开通率",
            "100%",
            "100.00%",
            "达成",
            "实际值 ≥ 100%（目标未写比较符，按“达到”读作“不低于”）",
        ),
    ]
    assert (
        "营商环境相关问题受理数量",
        "20000 个",
        "10.42 万件",
        "达成",
        "实际值 ≥ 20000 个（目标未写比较符，按“达到”读作“不低于”）",
    ) in rows
    assert (
        "群众对坐席满意率",
        "大于 80%",
        "",
        "尚未填报",
        "尚无可用的运行数据",
    ) in rows
    assert len(rows) == 19


def test_panjin_monitoring_meets_its_reconstructed_targets() -> None:
    assert _rows("panjin-2023") == [
        (
            "平台人员数量",
            "52人",
            "52 人",
            "达成",
            "实际值 ≥ 52 人（目标未写比较符，按“达到”读作“不低于”）",
        ),
        ("话务接通率", "≥80%", "98.01%", "达成", "实际值 ≥ 80%"),
        ("话务好评率", "≥80%", "98.33%", "达成", "实际值 ≥ 80%"),
        ("话务直接办复率", "≥60%", "75.53%", "达成", "实际值 ≥ 60%"),
        ("办结率", "≥90%", "99.88%", "达成", "实际值 ≥ 90%"),
        ("满意率", "≥80%", "91.43%", "达成", "实际值 ≥ 80%"),
    ]


def test_a_year_without_data_has_no_actual_values(tianjin: Organisation) -> None:
    assert actual_values(organisation=tianjin, year=2017) == {}

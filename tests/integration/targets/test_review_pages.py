"""Reasonableness review and monitoring of the Tianjin 2020 form (seeds 000/001), with the
exact flags and the data each cites."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from budgets.models import BudgetLine
from budgets.services import budget_adjustment_decide, budget_adjustment_request
from targets.models import TargetForm
from targets.monitoring import (
    Light,
    Thresholds,
    elapsed_share,
    execution,
    overspend,
)
from targets.reasonableness import FlagKind, review
from targets.review_data import budget_year_of, review_input

pytestmark = pytest.mark.django_db

SOURCE = "运行数据上传“tianjin-8890-2018-2020.xlsx”"


def tianjin_flags() -> list:  # type: ignore[type-arg]
    return review(review_input(TargetForm.objects.get(code="tianjin-2020")))


def test_a_2020_target_is_compared_only_with_the_years_before_2020() -> None:
    # reviewed in early 2020, the form cannot be held to 2020's 1036.39 万件
    form = TargetForm.objects.get(code="tianjin-2020")
    leaf = form.indicators.get(name="全年受理(咨询)量")
    leaf.name = "全年受理量"  # the catalogue's 受理量 (one of its aliases)
    leaf.save()
    flags = review(review_input(form))
    (flag,) = [f for f in flags if f.kind == FlagKind.BELOW_PREVIOUS_ACTUAL]
    assert flag.message == (
        "“全年受理量”目标 750 万件 低于 2019 年实际 751.92 万件："
        "目标应不低于上年已达到的水平。"
    )
    (evidence,) = flag.evidence
    assert evidence.startswith(f"2019 年受理量实际 751.92 万件（来源：{SOURCE}")
    assert not [e for f in flags for e in f.evidence if e.startswith("2020 年")]


def test_consultation_volume_is_not_compared_with_the_total_volume() -> None:
    # 全年受理(咨询)量 is the catalogue's 咨询类受理量 (受理量（咨询）), which Tianjin's
    # data does not have: no flag, rather than one against the total 受理量
    flags = tianjin_flags()
    assert [f for f in flags if "全年受理(咨询)量" in f.message] == []


def test_staff_target_far_from_the_monthly_averages_621_777() -> None:
    flags = [f for f in tianjin_flags() if f.kind == FlagKind.FAR_FROM_HISTORY]
    (staff,) = flags
    assert staff.message == (
        "“录用合同制员工人数”目标 1030 人 高于最近一年实际 777 人 32.56%"
        "（历年月均人数：2018 年 621 人、2019 年 777 人），"
        "与实际需要和能力差距较大。"
    )
    assert [e.split("（")[0] for e in staff.evidence] == [
        "2018 年月均人数实际 621 人",
        "2019 年月均人数实际 777 人",
    ]


def test_recommended_hotline_indicators_missing() -> None:
    flags = [f for f in tianjin_flags() if f.kind == FlagKind.MISSING_RECOMMENDED]
    assert [f.message for f in flags] == [
        "未设置热线项目推荐指标“办结率”。",
        "未设置热线项目推荐指标“满意率”。表中同类指标 “群众对坐席满意率” "
        "衡量的不是同一事项，不能代替。",
    ]
    assert flags[1].evidence == (
        "指标库：热线项目推荐设置“满意率”",
        "同类指标：“群众对坐席满意率”",
    )


def test_qualitative_values_where_a_number_is_possible() -> None:
    flags = [f for f in tianjin_flags() if f.kind == FlagKind.QUALITATIVE_VALUE]
    assert [f.evidence for f in flags] == [
        ("指标值原文：显著降低",),
        ("指标值原文：明显提升",),
    ]


def test_cost_indicators_add_up_to_the_project_funds_so_no_flag() -> None:
    # 9878.2 + 111.8 + 10 = 10000.0 万元 = 项目资金
    assert [f for f in tianjin_flags() if f.kind == FlagKind.COSTS_VS_BUDGET] == []


def test_cost_indicators_that_do_not_add_up_are_flagged() -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    leaf = form.indicators.get(name="开展培训", parent__name="成本指标")
    leaf.set_values(full_year="20 万")
    leaf.save()
    (flag,) = [
        f for f in review(review_input(form)) if f.kind == FlagKind.COSTS_VS_BUDGET
    ]
    assert flag.message == (
        "成本指标合计 10010.00 万元，与项目资金 10000.00 万元 不一致（相差 10.00 万元）。"
    )
    assert flag.evidence == (
        "成本指标：9878.2 万元 + 111.8 万元 + 20 万元",
        "项目资金：10000.00 万元",
    )


def test_answer_rate_below_the_national_standard() -> None:
    (flag,) = [f for f in tianjin_flags() if f.kind == FlagKind.BELOW_STANDARD]
    assert flag.message == "“接通率”目标 大于 90% 低于公开标准 ≥95%。"
    assert flag.evidence == (
        "GB/T 33358-2016《政府热线服务规范》：连续 24 小时内呼叫接通率应大于等于 95%",
    )


def test_the_seed_structure_is_well_formed() -> None:
    assert [f for f in tianjin_flags() if f.kind == FlagKind.STRUCTURE] == []


def test_malformed_levels_are_flagged() -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    form.indicators.filter(level="level1", name="满意度指标").update(name="群众指标")
    form.indicators.filter(level="level2", name="成本指标").update(name="经费指标")
    messages = [
        f.message for f in review(review_input(form)) if f.kind == FlagKind.STRUCTURE
    ]
    assert messages == [
        "缺少一级指标“满意度指标”。",
        "二级指标“经费指标”不属于一级指标“产出指标”。",
        "一级指标“群众指标”不是规定的一级指标。",
    ]


# --------------------------------------------------------------------------- monitoring


def test_budget_execution_lights_against_the_time_elapsed() -> None:
    budget_year = budget_year_of(TargetForm.objects.get(code="tianjin-2020"))
    assert budget_year is not None
    mid_year = elapsed_share(2020, date(2020, 7, 1))  # 183 of 366 days
    assert mid_year == Decimal(183) / Decimal(366)
    result = execution(
        label="项目合计",
        budget=budget_year.adjusted,
        expenditure=budget_year.expenditure,
        elapsed=mid_year,
        thresholds=Thresholds(),
    )
    assert (result.execution_percent, result.light) == (Decimal("99.86"), Light.GREEN)
    lines = {
        line.category: execution(
            label=line.category,
            budget=line.budget,
            expenditure=line.expenditure,
            elapsed=Decimal(1),
            thresholds=Thresholds(),
        )
        for line in budget_year.lines.all()
    }
    assert {c: (e.ratio, e.light) for c, e in lines.items()} == {
        "工资福利支出": (Decimal("99.83"), Light.GREEN),
        "商品和服务支出": (Decimal("100.45"), Light.GREEN),
        "资本性支出": (Decimal("0.00"), Light.RED),
    }


@pytest.mark.parametrize(
    ("spent", "light"),
    [
        ("29.99", Light.RED),
        ("30", Light.YELLOW),
        ("39.99", Light.YELLOW),
        ("40", Light.GREEN),
    ],
)
def test_light_thresholds_at_half_the_year(spent: str, light: Light) -> None:
    # half the year elapsed: 30 % spent is 60 % of the pace, 40 % is 80 %
    assert (
        execution(
            label="x",
            budget=Decimal(100),
            expenditure=Decimal(spent),
            elapsed=Decimal("0.5"),
            thresholds=Thresholds(),
        ).light
        == light
    )


def test_goods_and_services_over_budget_without_an_adjustment_is_flagged() -> None:
    line = BudgetLine.objects.get(
        budget_year__project__code="tianjin-2020", category="商品和服务支出"
    )
    found = overspend(
        category=line.category,
        budget=line.budget,
        expenditure=line.expenditure,
        approved_adjustments=Decimal(0),
        unit="万元",
    )
    assert found is not None
    assert (
        found.message
        == "商品和服务支出执行率 100.45%，超预算 8.93 万元，未履行预算调整程序。"
    )


def test_an_approved_adjustment_covering_the_excess_clears_the_flag() -> None:
    line = BudgetLine.objects.get(
        budget_year__project__code="tianjin-2020", category="商品和服务支出"
    )
    user = User.objects.create_user("finance")
    adjustment = budget_adjustment_request(
        line=line, user=user, amount=Decimal("8.93"), reason="物业费上涨"
    )
    budget_adjustment_decide(adjustment=adjustment, user=user, approve=True)
    form = TargetForm.objects.get(code="tianjin-2020")
    budget_year = budget_year_of(form)
    assert budget_year is not None
    goods = next(x for x in budget_year.lines.all() if x.category == "商品和服务支出")
    approved = sum((a.amount for a in goods.approved_adjustments), Decimal(0))  # type: ignore[attr-defined]
    assert approved == Decimal("8.93")
    assert (
        overspend(
            category=goods.category,
            budget=goods.budget,
            expenditure=goods.expenditure,
            approved_adjustments=approved,
            unit="万元",
        )
        is None
    )

"""结果应用 (issue 15 §4): the grade → recommendation rule as data, next year's budget page
with the recommendation, its source and the bureau's decision (a form; bad input refused
in Chinese, nothing changed), and next year's target review citing last year's result."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budgets.models import BudgetYear, Organisation, Project
from core.access import Role
from evaluations.models import Evaluation, EvaluationIndicator, Finding, Framework
from evaluations.self_evaluations import self_evaluation_quality
from evaluations.services.self_evaluation import self_evaluation_start
from kernel.decimals import as_written
from rectifications.services import item_from_finding
from results_use.models import BudgetAction, BudgetDecision, GradeRule
from targets.models import TargetForm, TargetFormStatus
from targets.reasonableness import FlagKind, review
from targets.review_data import review_input
from targets.services import (
    target_form_approve,
    target_form_carry_forward,
    target_form_submit,
)
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db

SOURCE = (
    "2020年天津市便民专线服务中心运行经费项目绩效评价报告（第三方重点评价，2020 年度，"
    "编号 tianjin-2020）：92.37 分，等级“优”（评价报告所载得分）"
)


@pytest.fixture
def budget_2021() -> BudgetYear:
    return BudgetYear.objects.create(
        project=Project.objects.get(code="tianjin-2020"),
        year=2021,
        initial=Decimal("10200.59"),
    )


def _page(client: Client, year: int = 2021) -> str:
    response = client.get(reverse("budgets:detail", args=["tianjin-2020", year]))
    assert response.status_code == 200
    return response.content.decode()


def _cell(page: str, cell_id: str) -> str:
    import re

    match = re.search(rf'<td id="{cell_id}">(.*?)</td>', page, re.S)
    assert match, cell_id
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_next_years_budget_shows_the_recommendation_and_its_source(
    budget_2021: BudgetYear,
) -> None:
    unit = log_in_as("tj-centre", "tj-8890", Role.UNIT)
    page = _page(unit)
    assert 'data-grade="优" data-action="increase"' in page
    assert _cell(page, "recommendation-text") == "可适当增加预算安排"
    assert " ".join(_cell(page, "recommendation-source").split()) == (
        "2020年天津市便民专线服务中心运行经费项目绩效评价报告（第三方重点评价，2020）："
        "92.37 分，等级“优” · 评价报告所载得分"
    )
    assert _cell(page, "recommendation-decision") == "尚未决定。"
    assert "decision-form" not in page  # the unit sees it; the bureau decides
    refused = unit.post(
        reverse("results_use:decision", args=["tianjin-2020", 2021]),
        {"decision": "follow"},
    )
    assert refused.status_code == 403
    assert not BudgetDecision.objects.exists()


def test_the_year_evaluated_itself_has_no_recommendation() -> None:
    finance = log_in_as("tj-finance", "tj-czj", Role.FINANCE)
    assert 'id="result-recommendation"' not in _page(finance, 2020)


def test_the_bureau_records_its_decision_and_bad_input_changes_nothing(
    budget_2021: BudgetYear,
) -> None:
    finance = log_in_as("tj-finance", "tj-czj", Role.FINANCE)
    url = reverse("results_use:decision", args=["tianjin-2020", 2021])
    missing_note = finance.post(url, {"decision": "adjust", "note": "  "})
    assert missing_note.status_code == 400
    assert "未完全按建议执行时，请写明实际决定。" in missing_note.content.decode()
    assert not BudgetDecision.objects.exists()
    done = finance.post(
        url, {"decision": "adjust", "note": "增加 300 万元，用于 12345 热线归并"}
    )
    assert done.status_code == 302
    decision = BudgetDecision.objects.get(budget_year=budget_2021)
    assert (
        decision.evaluation.code,
        decision.total,
        decision.grade,
        decision.recommendation,
        decision.decision,
        decision.note,
    ) == (
        "tianjin-2020",
        Decimal("92.37"),
        "优",
        "可适当增加预算安排",
        "adjust",
        "增加 300 万元，用于 12345 热线归并",
    )
    page = _page(finance)
    assert _cell(page, "recommendation-decision").startswith(
        "调整后执行：增加 300 万元，用于 12345 热线归并"
    )
    # a page drawn before that decision: refused, naming what differs
    stale = finance.post(url, {"decision": "decline", "note": "不采纳", "version": 0})
    assert stale.status_code in (400, 409)
    decision.refresh_from_db()
    assert decision.decision == "adjust"


def test_the_rule_is_data_a_bureaus_own_row_wins_and_a_share_gives_the_amount(
    budget_2021: BudgetYear,
) -> None:
    assert [
        (r.grade, r.action, r.share, r.text)
        for r in GradeRule.objects.filter(bureau=None).order_by("pk")
    ] == [
        ("优", BudgetAction.INCREASE, None, "可适当增加预算安排"),
        ("良", BudgetAction.KEEP, None, "原则上维持预算规模"),
        ("中", BudgetAction.REDUCE, Decimal("10.00"), "按10%比例压减预算"),
        ("差", BudgetAction.REDUCE_OR_STOP, None, "压减预算或取消项目"),
    ]
    finance = log_in_as("tj-finance", "tj-czj", Role.FINANCE)
    GradeRule.objects.create(
        bureau=Organisation.objects.get(code="tj-czj"),
        grade="优",
        action=BudgetAction.KEEP,
        text="优秀项目原则上维持上年规模",
    )
    assert _cell(_page(finance), "recommendation-text") == "优秀项目原则上维持上年规模"
    Evaluation.objects.filter(code="tianjin-2020").update(
        source_total=Decimal("72.50"), source_grade="中"
    )
    page = _page(finance)
    # 10 % of 年初预算 10200.59 万元 = 1020.059 → 1020.06 (half-up, two places)
    assert _cell(page, "recommendation-text") == (
        "按10%比例压减预算（年初预算的 10%：1,020.06 万元）"
    )
    assert 'data-grade="中" data-action="reduce"' in page


def _form_2021() -> TargetForm:
    form = TargetForm.objects.get(code="tianjin-2020")
    if form.status != TargetFormStatus.APPROVED:
        user = User.objects.create_user("approver")
        target_form_submit(form=form, user=user)
        form = target_form_approve(form=form, user=user)
    return target_form_carry_forward(source=form, code="tianjin-2021")


def test_next_years_target_review_cites_last_years_result() -> None:
    form = _form_2021()
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="坐席电话接听率"
    )
    leaf.actual_text, leaf.actual_number = "88.5%", Decimal("88.5")
    leaf.save()
    deadline = timezone.localdate() + timedelta(days=60)
    item = item_from_finding(
        finding=Finding.objects.get(evaluation__code="tianjin-2020", position=2),
        responsible=Organisation.objects.get(code="tj-8890"),
        measures="补办预算调整手续",
        deadline=deadline,
        user=None,
    )
    flags = [
        f
        for f in review(review_input(form))
        if f.kind
        in (
            FlagKind.LAST_EVALUATION,
            FlagKind.UNMET_INDICATOR,
            FlagKind.SELF_VS_THIRD_PARTY,
            FlagKind.OPEN_RECTIFICATION,
        )
    ]
    assert [(f.kind, f.message, f.evidence) for f in flags] == [
        (
            FlagKind.LAST_EVALUATION,
            "2020 年度绩效评价得分 92.37 分，等级“优”：请据此设定本年度目标。",
            (SOURCE,),
        ),
        (
            FlagKind.UNMET_INDICATOR,
            "2020 年度“坐席电话接听率”未达成：目标 大于 90%，实际 88.5%。",
            (
                "2020年天津市便民专线服务中心运行经费项目绩效评价报告，"
                "指标“坐席电话接听率”（实际值 > 90%）",
            ),
        ),
        (
            FlagKind.OPEN_RECTIFICATION,
            "整改事项“预算调整未履程序，预算执行约束力不强”尚未销号（未整改；"
            f"责任单位：天津市便民专线服务中心，完成时限 {deadline.isoformat()}）。",
            (
                f"整改事项 {item.pk}："
                "2020年天津市便民专线服务中心运行经费项目绩效评价报告，问题 2",
            ),
        ),
    ]


def test_the_review_cites_the_self_evaluation_against_the_third_party_one() -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    user = User.objects.create_user("approver")
    target_form_submit(form=form, user=user)
    form = target_form_approve(form=form, user=user)
    self_evaluation = self_evaluation_start(
        form=form, framework=Framework.objects.get(code="national-self-evaluation")
    )
    carried = target_form_carry_forward(source=form, code="tianjin-2021")
    (flag,) = [
        f
        for f in review(review_input(carried))
        if f.kind == FlagKind.SELF_VS_THIRD_PARTY
    ]
    quality = self_evaluation_quality(self_evaluation)
    assert quality is not None
    assert quality.other_total == Decimal("92.37")  # the engine's total of the seed
    # a self-evaluation just started scores what its data gives (S's engine)
    assert quality.self_total < quality.other_total
    assert flag.message == (
        f"2020 年度自评得分 {as_written(quality.self_total)} 分，"
        "第三方评价得分 92.37 分："
        f"自评低 {as_written(quality.other_total - quality.self_total)} 分。"
    )
    assert flag.evidence == (f"自评 {self_evaluation.code} 与 tianjin-2020 对比",)
    # higher by more than the margin (10 by default): said so
    Framework.objects.filter(evaluations=self_evaluation).update(
        quality_margin=Decimal("-60")
    )
    (flag,) = [
        f
        for f in review(review_input(carried))
        if f.kind == FlagKind.SELF_VS_THIRD_PARTY
    ]
    assert flag.message.endswith("，超过 -60 分的允许差距。")

"""Data reach scores (issue 13 items 3 and 10): after the operating data or the budget
move, the evaluation says which indicators they affect (old → new) and one refresh brings
the actuals, and the scores that followed the rule, to the data's, the history keeping
both; a typed actual keeps its source; 清单 points are ticked; the 指标值 follow the
approved, adjusted target form when the evaluator adopts them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.models import BudgetYear, Organisation
from evaluations.data_changes import data_changes, data_token, target_links
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.scoring import NodeResult
from evaluations.selectors import evaluation_score
from evaluations.services.data import (
    evaluation_actuals_refresh,
    evaluation_indicator_actual,
    evaluation_indicator_points,
    evaluation_targets_adopt,
)
from operations.services import operating_data_import
from targets.models import TargetForm, TargetIndicator
from targets.services import (
    target_adjustment_decide,
    target_adjustment_request,
    target_form_approve,
    target_form_submit,
)
from tests.integration.operations.files import row, xlsx
from tests.personas import member

pytestmark = pytest.mark.django_db

D = Decimal


def _leaves(evaluation: Evaluation) -> list[EvaluationIndicator]:
    return list(
        evaluation.indicators.filter(children__isnull=True)
        .select_related("library_indicator", "target_indicator__form")
        .order_by("position")
    )


def _leaf(name: str, code: str = "tianjin-2020") -> EvaluationIndicator:
    return EvaluationIndicator.objects.get(evaluation__code=code, name=name)


def _total(code: str = "tianjin-2020") -> Decimal | None:
    return evaluation_score(Evaluation.objects.get(code=code)).result.total


def upload_answered(value: object, unit: str = "万次") -> None:
    outcome = operating_data_import(
        organisation=Organisation.objects.get(code="tj-8890"),
        name="2020年接听量更正.xlsx",
        content=xlsx([row("接听量", 2020, value, unit)]),
    )
    assert outcome.committed, outcome


def adjust_tianjin_form() -> TargetForm:
    """The Tianjin form approved, then adjusted to 1050 万件 / ≥95% / 30000 人次."""
    form = TargetForm.objects.get(code="tianjin-2020")
    unit = member("tj-unit-b", "tj-8890", "unit")
    finance = member("tj-finance-b", "tj-czj", "finance")
    target_form_submit(form=form, user=unit)
    target_form_approve(form=form, user=finance)
    for name, value in (
        ("全年受理(咨询)量", "1050 万件"),
        ("接通率", "≥95%"),
        ("开展培训人次", "30000 人次"),
    ):
        indicator = form.indicators.get(level="level3", name=name)
        adjustment = target_adjustment_request(
            indicator=indicator, user=unit, value=value, reason="年中调整"
        )
        target_adjustment_decide(adjustment=adjustment, user=finance, approve=True)
    return form


def test_the_seeds_follow_their_data_so_nothing_is_affected() -> None:
    for code in ("tianjin-2020", "panjin-2023"):
        evaluation = Evaluation.objects.get(code=code)
        assert data_changes(evaluation, _leaves(evaluation)) == []
        assert [
            link.indicator.name
            for link in target_links(evaluation, _leaves(evaluation))
            if link.differs
        ] == []


def test_an_upload_of_900_wan_answered_calls_shows_old_to_new_then_refreshes() -> None:
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    upload_answered("900")
    changes = data_changes(evaluation, _leaves(evaluation))
    assert [
        (c.indicator.name, c.old_text, c.new.text, c.old_score, c.new_score)
        for c in changes
    ] == [
        # 900 / 1053.2 = 85.45% of a target above 90%: 85.45 / 90 × 5 = 4.747 → 4.75
        ("坐席电话接听率", "96.12%", "85.45%", D("5.00"), D("4.75")),
        # 9098.24 / 900 = 10.11 per 万次; scored by judgment, the evaluator's 4 stays
        ("单位接听量占用人工成本", "8.99 万元", "10.11 万元", D("4.00"), D("4.00")),
    ]
    assert _total() == D("92.37")  # nothing moves before the evaluator refreshes

    evaluation_actuals_refresh(evaluation=evaluation, token=data_token(changes))

    rate = _leaf("坐席电话接听率")
    assert (rate.actual_text, rate.actual_number, rate.final_score) == (
        "85.45%",
        D("85.45"),
        D("4.75"),
    )
    assert (rate.actual_numerator, rate.actual_denominator) == (D("900"), D("1053.2"))
    assert rate.actual_source.startswith("运行数据上传“2020年接听量更正.xlsx”")
    assert _leaf("单位接听量占用人工成本").actual_number == D("10.11")
    scored = evaluation_score(evaluation)
    assert [
        (n.name, n.score) for n in scored.result.nodes if isinstance(n, NodeResult)
    ] == [
        ("项目决策", D("15")),
        ("项目过程", D("19.5")),
        ("项目产出", D("37.75")),
        ("项目效益", D("19.87")),
    ]
    assert scored.result.total == D("92.12")
    # the history keeps both: the seed's 96.12 / 5.00 and the refreshed 85.45 / 4.75
    history = [
        (h.actual_number, h.final_score) for h in rate.history.order_by("history_id")
    ]
    assert history[-2:] == [(D("96.12"), D("5.00")), (D("85.45"), D("4.75"))]
    assert data_changes(evaluation, _leaves(evaluation)) == []


def test_a_refresh_from_a_page_drawn_before_the_data_moved_again_writes_nothing() -> (
    None
):
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    upload_answered("900")
    seen = data_token(data_changes(evaluation, _leaves(evaluation)))
    upload_answered("950")
    with pytest.raises(ValidationError) as refused:
        evaluation_actuals_refresh(evaluation=evaluation, token=seen)
    assert "数据在本页显示后又有变化" in refused.value.messages[0]
    assert _leaf("坐席电话接听率").actual_number == D("96.12")


def test_a_budget_change_to_11000_reaches_the_fund_arrival_rate() -> None:
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    budget = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    budget.received = D("11000.00")
    budget.save()
    changes = data_changes(evaluation, _leaves(evaluation))
    # 11000.00 / 11092.40 = 99.17%: one started step of 10 points below 100% costs 1
    assert [
        (c.indicator.name, c.old_text, c.new.text, c.old_score, c.new_score)
        for c in changes
    ] == [("资金到位率", "资金到位率为 100%", "99.17%", D("3.00"), D("2.00"))]
    evaluation_actuals_refresh(evaluation=evaluation, token=data_token(changes))
    assert _leaf("资金到位率").actual_source == "项目预算 2020 年度（tianjin-2020）"
    assert _total() == D("91.37")


def test_a_typed_actual_keeps_its_source_and_no_longer_follows_the_data() -> None:
    indicator = _leaf("坐席电话接听率")
    evaluation_indicator_actual(
        indicator=indicator,
        text="88.5%",
        source="话务系统 2020 年报表（评价组现场核查）",
        version=indicator.version,
    )
    indicator.refresh_from_db()
    assert (
        indicator.actual_text,
        indicator.actual_number,
        indicator.actual_unit,
        indicator.actual_source,
        indicator.actual_typed,
        indicator.final_score,
    ) == (
        "88.5%",
        D("88.5"),
        "%",
        "话务系统 2020 年报表（评价组现场核查）",
        True,
        D("4.92"),  # 88.5 / 90 × 5 = 4.9167 → 4.92
    )
    upload_answered("900")
    evaluation = indicator.evaluation
    assert [
        c.indicator.name for c in data_changes(evaluation, _leaves(evaluation))
    ] == ["单位接听量占用人工成本"]


def test_a_typed_actual_needs_its_source_and_changes_nothing_without() -> None:
    indicator = _leaf("坐席电话接听率")
    with pytest.raises(ValidationError) as refused:
        evaluation_indicator_actual(indicator=indicator, text="88.5%", source=" ")
    assert refused.value.messages == ["请注明所填实际完成值的来源。"]
    indicator.refresh_from_db()
    assert (indicator.actual_number, indicator.actual_typed) == (D("96.12"), False)


def test_checklist_points_ticked_reach_the_score() -> None:
    indicator = _leaf("立项依据充分性")
    indicator.rule_kind = "checklist"
    indicator.rule_params = {
        "points": [{"label": f"要点{i}", "points": "0.6"} for i in range(1, 6)]
    }
    indicator.final_score = None
    indicator.save()
    evaluation_indicator_points(indicator=indicator, points=[0, 2, 4])
    indicator.refresh_from_db()
    assert (indicator.satisfied_points, indicator.final_score) == ([0, 2, 4], D("1.80"))
    with pytest.raises(ValidationError) as refused:
        evaluation_indicator_points(indicator=indicator, points=[5])
    assert refused.value.messages == ["该清单只有第 1 至 5 个评分要点。"]
    indicator.refresh_from_db()
    assert indicator.satisfied_points == [0, 2, 4]


def test_targets_follow_the_approved_adjusted_form_when_adopted() -> None:
    adjust_tianjin_form()
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    differing = [
        link for link in target_links(evaluation, _leaves(evaluation)) if link.differs
    ]
    assert [
        (k.indicator.name, k.indicator.target_text, k.form_text) for k in differing
    ] == [
        ("年度受理咨询数量", "750 万件", "1050 万件"),
        ("开展培训人次", "8000 人次", "30000 人次"),
        ("坐席电话接听率", "大于 90%", "≥95%"),
    ]
    evaluation_targets_adopt(
        evaluation=evaluation,
        indicator_ids={k.indicator.pk for k in differing},
        token=data_token(differing),
    )
    volume = _leaf("年度受理咨询数量")
    assert (volume.target_text, volume.target_number, volume.final_score) == (
        "1050 万件",
        D("1050"),
        D("2.96"),  # 1036.39 / 1050 × 3 = 2.9611 → 2.96
    )
    assert volume.target_source == "绩效目标表 tianjin-2020"
    assert _leaf("坐席电话接听率").target_text == "≥95%"
    assert _total() == D("92.33")
    history = [h.target_text for h in volume.history.order_by("history_id")]
    assert history[-2:] == ["750 万件", "1050 万件"]


def test_a_draft_forms_value_is_shown_but_not_adopted() -> None:
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    TargetIndicator.objects.filter(form__code="tianjin-2020", name="接通率").update(
        value_text="≥95%", value_number=D("95")
    )
    (link,) = [k for k in target_links(evaluation, _leaves(evaluation)) if k.differs]
    assert (link.indicator.name, link.form_approved) == ("坐席电话接听率", False)
    with pytest.raises(ValidationError) as refused:
        evaluation_targets_adopt(
            evaluation=evaluation,
            indicator_ids={link.indicator.pk},
            token=data_token([link]),
        )
    assert "目标表尚未批复" in refused.value.messages[0]
    assert _leaf("坐席电话接听率").target_text == "大于 90%"

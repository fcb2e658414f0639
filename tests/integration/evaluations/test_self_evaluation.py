"""The self-evaluation (单位自评) of Tianjin 2020 from its approved form, its budget year and
its operating data, scored as the national 项目支出绩效自评表 defines (预算执行率 10 by the
proportional rule + 产出 50 + 效益 30 + 满意度 10, each part shared among the form's
indicators), every indicator's score written out."""

from __future__ import annotations

import json
from decimal import Decimal as D
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from evaluations.models import Evaluation, EvaluationIndicator, Framework
from evaluations.self_evaluations import self_evaluation_quality
from evaluations.services.scores import ActualChange, RowsRefused, ScoreChange
from evaluations.services.self_evaluation import (
    SelfRowEdit,
    self_evaluation_rows_save,
    self_evaluation_start,
)
from evaluations.services.self_review import (
    self_evaluation_accept,
    self_evaluation_forward,
    self_evaluation_return,
    self_evaluation_submit,
)
from targets.models import TargetForm
from targets.services import target_form_approve, target_form_submit

pytestmark = pytest.mark.django_db

UNIT = "天津市便民专线服务中心"


def approved(code: str = "tianjin-2020") -> TargetForm:
    form = TargetForm.objects.get(code=code)
    user = User.objects.create_user(f"approver-{code}")
    target_form_submit(form=form, user=user)
    return target_form_approve(form=form, user=user)


def started() -> Evaluation:
    return self_evaluation_start(
        form=approved(),
        framework=Framework.objects.get(code="national-self-evaluation"),
    )


def leaf(evaluation: Evaluation, name: str, target: str = "") -> EvaluationIndicator:
    rows = evaluation.indicators.filter(name=name, children__isnull=True)
    if target:
        rows = rows.filter(target_text=target)
    return rows.get()


def evaluate(code: str) -> dict[str, object]:
    out = StringIO()
    call_command("evaluate", code, "--json", stdout=out)
    data: dict[str, object] = json.loads(out.getvalue())
    return data


def leaves_of(tree: list[dict[str, object]]) -> list[tuple[str, str, str | None]]:
    found: list[tuple[str, str, str | None]] = []
    for node in tree:
        children = node.get("children")
        if children:
            found += leaves_of(children)  # type: ignore[arg-type]
        else:
            found.append((str(node["name"]), str(node["weight"]), node["score"]))  # type: ignore[arg-type]
    return found


def test_started_from_the_approved_form_each_value_with_its_source() -> None:
    evaluation = started()
    assert evaluation.code == "tianjin-2020-2020-self-1"
    assert evaluation.target_form is not None
    assert evaluation.target_form.code == "tianjin-2020"
    budget = leaf(evaluation, "预算执行率")
    assert (budget.weight, budget.rule_kind, budget.actual_number) == (
        D("10.00"),
        "proportional",
        D("99.86"),
    )
    assert budget.actual_source == "项目预算 2020 年度（tianjin-2020）"
    seats = leaf(evaluation, "设置坐席数")
    assert (seats.target_text, seats.target_source) == (
        "560 个",
        "绩效目标表 tianjin-2020",
    )
    assert (seats.actual_text, seats.actual_number) == ("560 个", D("560"))
    assert seats.actual_source.startswith("运行数据上传“tianjin-8890-2018-2020.xlsx”")
    # 10.42 万件 of the data against a target of “20000 个”: compared as 104200 个
    business = leaf(evaluation, "营商环境相关问题受理数量")
    assert (business.actual_text, business.actual_number, business.actual_unit) == (
        "10.42 万件",
        D("104200"),
        "个",
    )
    # a count of lines is not the actual of a qualitative target nor of a sum of money
    assert leaf(evaluation, "租赁中继线路、专线链路", "2020 年底完成").actual_text == ""
    assert leaf(evaluation, "租赁中继线路、专线链路", "111.8万").actual_text == ""
    assert leaf(evaluation, "租赁中继线路、专线链路", "30 条").actual_number == D("30")
    # the form prints its goal as 总体目标 (no separate 年度目标)
    assert evaluation.annual_goal.startswith(
        "1. 保障 1030 名合同员工薪酬支出和 7000 平米"
    )


def fill_in(evaluation: Evaluation) -> None:
    """The unit types what the data do not give, its scores of the 定性 rows with their
    explanation, and 偏差原因 where a target is missed or over-achieved."""
    edits = []

    def row(name: str, target: str = "", **parts: Any) -> None:
        indicator = leaf(evaluation, name, target)
        edits.append(
            SelfRowEdit(indicator=indicator, version=indicator.version, **parts)
        )

    def judged(score: str) -> ScoreChange:
        return ScoreChange(D(score), "按年度工作完成情况自评", True)

    row(
        "录用合同制员工人数",
        deviation_reason="实际在岗865人，低于定额上限1030人；下年度按实际需求设定。",
    )
    row(
        "全年受理(咨询)量",
        deviation_reason="疫情期间咨询量激增；下年度参考历史数据设定目标。",
    )
    row("开展培训人次", deviation_reason="线上培训扩大了覆盖面；下年度调高目标值。")
    row(
        "招聘新员工",
        score=judged("3.50"),
        deviation_reason="分阶段招录，年底仍有缺员。",
    )
    row("租赁中继线路、专线链路", "2020 年底完成", score=judged("3.85"))
    row(
        "对新员工开展入职培训、对老员工开展在岗培训、对班组长开展专项培训",
        score=judged("3.85"),
    )
    row(
        "运营成本",
        actual=ActualChange("9850万", ""),
        deviation_reason="节约支出28.2万元。",
    )
    row("租赁中继线路、专线链路", "111.8万", actual=ActualChange("111.8万", ""))
    row("开展培训", actual=ActualChange("10万", ""))
    row(
        "营商环境相关问题受理数量",
        deviation_reason="营商环境专席受理量远超预期；下年度调高目标值。",
    )
    row("群众咨询成本", score=judged("5.00"), deviation_reason="部分咨询仍需转派。")
    row("天津 8890 微博影响力", score=judged("6.00"))
    row("对于企业群众的方便性、便利度", score=judged("6.00"))
    row("为我市有关工作的科学决策提供数据支撑", score=judged("6.00"))
    row("群众对坐席满意率", actual=ActualChange("99.47%", ""))
    self_evaluation_rows_save(evaluation=evaluation, edits=edits, unit_name=UNIT)


def test_tianjin_2020_scores_as_the_national_framework_defines() -> None:
    evaluation = started()
    fill_in(evaluation)
    data = evaluate(evaluation.code)
    assert leaves_of(data["tree"]) == [  # type: ignore[arg-type]
        ("预算执行率", "10.00", "9.99"),  # 10 × 99.86% = 9.986
        ("设置坐席数", "3.85", "3.85"),  # 560 of 560 个
        ("录用合同制员工人数", "3.85", "3.23"),  # 865 / 1030 × 3.85 = 3.2333
        ("全年受理(咨询)量", "3.85", "3.85"),  # 1036.39 ≥ 750 万件
        ("租赁中继线路、专线链路", "3.85", "3.85"),  # 30 of 30 条
        ("开展培训人次", "3.85", "3.85"),  # 33478 ≥ 8000
        ("接通率", "3.85", "3.85"),  # 96.12% > 90%
        ("中继线开通率", "3.85", "3.85"),  # 100%
        ("招聘新员工", "3.85", "3.50"),  # the unit's, 达成 band
        ("租赁中继线路、专线链路", "3.85", "3.85"),
        (
            "对新员工开展入职培训、对老员工开展在岗培训、对班组长开展专项培训",
            "3.85",
            "3.85",
        ),
        ("运营成本", "3.85", "3.85"),  # a cost is a ceiling (反向): 9850 ≤ 9878.2 万
        ("租赁中继线路、专线链路", "3.85", "3.85"),  # 111.8 of 111.8 万
        ("开展培训", "3.80", "3.80"),  # the rest of 50 after 12 × 3.85
        ("营商环境相关问题受理数量", "6.00", "6.00"),  # 104200 ≥ 20000 个
        ("群众咨询成本", "6.00", "5.00"),
        ("天津 8890 微博影响力", "6.00", "6.00"),
        ("对于企业群众的方便性、便利度", "6.00", "6.00"),
        ("为我市有关工作的科学决策提供数据支撑", "6.00", "6.00"),
        ("群众对坐席满意率", "10.00", "10.00"),  # 99.47% > 80%
    ]
    # 9.99 + 产出 49.03 + 效益 29.00 + 满意度 10.00
    tree: Any = data["tree"]
    assert [(n["name"], n["score"]) for n in tree] == [
        ("预算执行率", "9.99"),
        ("产出指标", "49.03"),
        ("效益指标", "29.00"),
        ("满意度指标", "10.00"),
    ]
    assert (data["total"], data["grade"]) == ("98.02", "优")
    assert data["flags"] == []
    typed = leaf(evaluation, "运营成本")
    assert (typed.actual_source, typed.actual_override_reason) == (f"{UNIT}填报", "")


def test_overriding_a_value_from_the_data_needs_a_reason_and_changes_nothing() -> None:
    evaluation = started()
    seats = leaf(evaluation, "设置坐席数")
    edit = SelfRowEdit(
        indicator=seats, version=seats.version, actual=ActualChange("550 个", "")
    )
    with pytest.raises(RowsRefused) as refused:
        self_evaluation_rows_save(evaluation=evaluation, edits=[edit], unit_name=UNIT)
    assert refused.value.messages == ["请说明“设置坐席数”的实际完成值为何与数据不同。"]
    seats.refresh_from_db()
    assert (seats.actual_text, seats.actual_typed) == ("560 个", False)
    edit = SelfRowEdit(
        indicator=seats,
        version=seats.version,
        actual=ActualChange("550 个", ""),
        override_reason="10个坐席年中停用",
    )
    self_evaluation_rows_save(evaluation=evaluation, edits=[edit], unit_name=UNIT)
    seats.refresh_from_db()
    assert (seats.actual_number, seats.actual_source, seats.actual_override_reason) == (
        D("550"),
        f"{UNIT}填报",
        "10个坐席年中停用",
    )
    # handed back to the data: the data's value and source again
    edit = SelfRowEdit(
        indicator=seats, version=seats.version, actual=ActualChange("", "")
    )
    self_evaluation_rows_save(evaluation=evaluation, edits=[edit], unit_name=UNIT)
    seats.refresh_from_db()
    assert (seats.actual_number, seats.actual_typed, seats.actual_override_reason) == (
        D("560"),
        False,
        "",
    )
    assert seats.actual_source.startswith("运行数据上传")


def test_weights_move_within_their_group_only() -> None:
    evaluation = started()
    seats = leaf(evaluation, "设置坐席数")
    staff = leaf(evaluation, "录用合同制员工人数")
    edits = [SelfRowEdit(indicator=seats, version=seats.version, weight=D("4.85"))]
    with pytest.raises(RowsRefused) as refused:
        self_evaluation_rows_save(evaluation=evaluation, edits=edits, unit_name=UNIT)
    assert refused.value.messages == ["“产出指标”下的分值合计为 51.00，而不是 50.00。"]
    edits.append(SelfRowEdit(indicator=staff, version=staff.version, weight=D("2.85")))
    self_evaluation_rows_save(evaluation=evaluation, edits=edits, unit_name=UNIT)
    seats.refresh_from_db()
    assert seats.weight == D("4.85")
    assert leaf(evaluation, "录用合同制员工人数").weight == D("2.85")
    assert evaluation.indicators.get(name="数量指标").weight == D("19.25")
    data = evaluate(evaluation.code)
    assert ("设置坐席数", "4.85", "4.85") in leaves_of(data["tree"])  # type: ignore[arg-type]
    assert ("录用合同制员工人数", "2.85", "2.39") in leaves_of(data["tree"])  # type: ignore[arg-type]


def test_a_score_above_its_weight_is_refused() -> None:
    evaluation = started()
    row = leaf(evaluation, "招聘新员工")
    edit = SelfRowEdit(
        indicator=row, version=row.version, score=ScoreChange(D("4"), "理由", True)
    )
    with pytest.raises(RowsRefused) as refused:
        self_evaluation_rows_save(evaluation=evaluation, edits=[edit], unit_name=UNIT)
    assert refused.value.messages == ["得分须在 0 至分值 3.85 之间。"]
    row.refresh_from_db()
    assert row.final_score is None


def test_review_submit_return_resubmit_forward_accept() -> None:
    evaluation = started()
    unit = User.objects.create_user("unit")
    department = User.objects.create_user("department")
    finance = User.objects.create_user("finance")
    with pytest.raises(ValidationError) as refused:
        self_evaluation_submit(evaluation=evaluation, user=unit)
    assert refused.value.messages[0] == "请填写年度总体目标的实际完成情况。"
    assert "“录用合同制员工人数”未达到或大幅超过目标" in " ".join(
        refused.value.messages
    )
    evaluation.refresh_from_db()
    assert (evaluation.review_stage, evaluation.status, evaluation.submissions) == (
        "",
        "draft",
        0,
    )
    fill_in(evaluation)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        goal_achieved="全面完成年度目标。"
    )
    evaluation.refresh_from_db()
    self_evaluation_submit(evaluation=evaluation, user=unit, total_seen=D("98.02"))
    evaluation.refresh_from_db()
    assert (
        evaluation.review_stage,
        evaluation.is_locked,
        evaluation.published_total,
    ) == (
        "department",
        True,
        D("98.02"),
    )
    with pytest.raises(ValidationError):
        self_evaluation_return(evaluation=evaluation, user=department, comment="  ")
    self_evaluation_return(evaluation=evaluation, user=department, comment="补充佐证")
    evaluation.refresh_from_db()
    assert (
        evaluation.review_stage,
        evaluation.is_locked,
        evaluation.published_total,
    ) == (
        "returned",
        False,
        None,
    )
    self_evaluation_submit(evaluation=evaluation, user=unit)
    self_evaluation_forward(evaluation=evaluation, user=department)
    with pytest.raises(ValidationError):
        self_evaluation_forward(evaluation=evaluation, user=department)
    self_evaluation_accept(evaluation=evaluation, user=finance)
    evaluation.refresh_from_db()
    assert (evaluation.review_stage, evaluation.submissions, evaluation.is_locked) == (
        "accepted",
        2,
        True,
    )
    assert [
        (s.round, s.action, s.by.username, s.comment, s.total)
        for s in evaluation.review_steps.order_by("at", "pk")
    ] == [
        (1, "submitted", "unit", "", D("98.02")),
        (1, "returned", "department", "补充佐证", None),
        (2, "submitted", "unit", "", D("98.02")),
        (2, "forwarded", "department", "", None),
        (2, "accepted", "finance", "", D("98.02")),
    ]


def test_quality_against_the_third_party_evaluation_of_the_same_year() -> None:
    evaluation = started()
    fill_in(evaluation)
    quality = self_evaluation_quality(evaluation)
    assert quality is not None
    assert quality.other.code == "tianjin-2020"
    assert (quality.self_total, quality.other_total, quality.margin) == (
        D("98.02"),
        D("92.37"),
        D("10.00"),
    )
    assert (quality.difference, quality.flagged) == (D("5.65"), False)
    lines = {line.name: line for line in quality.lines}
    assert (lines["产出"].self_rate, lines["产出"].other_rate) == (
        D("98.06"),
        D("100.00"),
    )
    assert lines["产出"].rate_difference == D("-1.94")
    assert lines["决策"].self_score is None
    Framework.objects.filter(code="national-self-evaluation").update(
        quality_margin=D("5")
    )
    evaluation.refresh_from_db()
    flagged = self_evaluation_quality(evaluation)
    assert flagged is not None and flagged.flagged


def test_start_command_prints_the_code_last_and_refuses_a_draft_form() -> None:
    with pytest.raises(CommandError) as refused:
        call_command("start_self_evaluation", "tianjin-2020", stdout=StringIO())
    assert "草稿" in str(refused.value)
    assert not Evaluation.objects.filter(
        kind="self", project__code="tianjin-2020"
    ).exists()
    approved()
    out = StringIO()
    call_command("start_self_evaluation", "tianjin-2020", stdout=out)
    assert out.getvalue().splitlines()[-1] == "tianjin-2020-2020-self-1"
    assert evaluate("tianjin-2020-2020-self-1")["total"] is not None
    with pytest.raises(CommandError) as again:
        call_command("start_self_evaluation", "tianjin-2020", stdout=StringIO())
    assert "tianjin-2020-2020-self-1" in str(again.value)

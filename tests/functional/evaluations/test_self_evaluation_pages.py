"""The self-evaluation pages by the client: bad input gets a Chinese message and changes
nothing (a score above its weight, a missing deviation reason, another organisation's
self-evaluation), a stale tab is refused naming who saved what, and the 待办 lists."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from core.access import Role
from core.inbox import inbox
from evaluations.models import Evaluation, EvaluationIndicator, Framework
from evaluations.services.self_evaluation import self_evaluation_start
from targets.models import TargetForm
from targets.services import target_form_approve, target_form_submit
from tests.personas import log_in_as, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation() -> Evaluation:
    form = TargetForm.objects.get(code="tianjin-2020")
    user = User.objects.create_user("approver")
    target_form_submit(form=form, user=user)
    target_form_approve(form=form, user=user)
    return self_evaluation_start(
        form=form, framework=Framework.objects.get(code="national-self-evaluation")
    )


def page_rows(client: Client, code: str) -> dict[str, Any]:
    """The table's form as the page draws it: every row's fields as stored."""
    response = client.get(f"/evaluations/{code}/self/")
    assert response.status_code == 200
    data: dict[str, Any] = {"goal_achieved": "", "goal_seen": ""}
    for form in response.context["row_forms"].values():
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            data[f"{form.prefix}-{name}"] = "" if value is None else value
    return data


def row_key(evaluation: Evaluation, name: str) -> str:
    return f"row-{evaluation.indicators.get(name=name).pk}"


def test_a_score_above_its_weight_is_refused_in_chinese(evaluation: Evaluation) -> None:
    client = log_in_as("centre", "tj-8890", Role.UNIT)
    data = page_rows(client, evaluation.code)
    key = row_key(evaluation, "招聘新员工")
    data[f"{key}-final_score"] = "4"
    data[f"{key}-reason"] = "全部完成"
    data["goal_achieved"] = "全面完成。"
    response = client.post(f"/evaluations/{evaluation.code}/self/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "得分须在 0 至分值 3.85 之间。" in html
    assert "未保存任何内容：请修改下方标出的行。" in html
    row = evaluation.indicators.get(name="招聘新员工")
    assert row.final_score is None
    evaluation.refresh_from_db()
    assert evaluation.goal_achieved == ""  # the goal was in the same save: not kept


def test_a_missing_deviation_reason_refuses_the_submission(
    evaluation: Evaluation,
) -> None:
    client = log_in_as("centre", "tj-8890", Role.UNIT)
    Evaluation.objects.filter(pk=evaluation.pk).update(goal_achieved="全面完成。")
    response = client.post(f"/evaluations/{evaluation.code}/self/submit/", {})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "“录用合同制员工人数”未达到或大幅超过目标：请填写偏差原因分析及改进措施。"
        in html
    )
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.review_stage, evaluation.submissions) == (
        "draft",
        "",
        0,
    )
    assert not evaluation.review_steps.exists()


def test_another_organisations_self_evaluation_is_not_found(
    evaluation: Evaluation,
) -> None:
    client = log_in_as("panjin", "pj-yshj", Role.UNIT)
    assert client.get(f"/evaluations/{evaluation.code}/self/").status_code == 404
    response = client.post(
        f"/evaluations/{evaluation.code}/self/", {"goal_achieved": "x"}
    )
    assert response.status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.goal_achieved == ""


def test_a_stale_tab_is_refused_naming_the_other_save(evaluation: Evaluation) -> None:
    first = log_in_as("centre", "tj-8890", Role.UNIT)
    second = log_in_as("centre2", "tj-8890", Role.UNIT)
    stale = page_rows(second, evaluation.code)
    data = page_rows(first, evaluation.code)
    key = row_key(evaluation, "录用合同制员工人数")
    data[f"{key}-deviation_reason"] = "第一位填写的原因"
    assert first.post(f"/evaluations/{evaluation.code}/self/", data).status_code == 302
    stale[f"{key}-weight"] = "2.85"
    stale[row_key(evaluation, "设置坐席数") + "-weight"] = "4.85"
    response = second.post(f"/evaluations/{evaluation.code}/self/", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "centre" in html and "第一位填写的原因" in html
    row = EvaluationIndicator.objects.get(pk=int(key.removeprefix("row-")))
    assert (row.weight, row.deviation_reason) == (D("3.85"), "第一位填写的原因")


def test_the_department_and_finance_find_it_in_their_todo(
    evaluation: Evaluation,
) -> None:
    department = member("dept", "tj-zwfw", Role.DEPARTMENT)
    finance = member("fin", "tj-czj", Role.FINANCE)
    assert "self-evaluations-to-decide" not in [t.key for t in inbox(department)]
    Evaluation.objects.filter(pk=evaluation.pk).update(
        review_stage="department", status="submitted"
    )
    lists = {t.key: t for t in inbox(department)}
    assert [t.url for t in lists["self-evaluations-to-decide"].tasks] == [
        f"/evaluations/{evaluation.code}/self/"
    ]
    assert "self-evaluations-to-decide" not in [t.key for t in inbox(finance)]
    Evaluation.objects.filter(pk=evaluation.pk).update(review_stage="finance")
    assert [t.key for t in inbox(finance)].count("self-evaluations-to-decide") == 1

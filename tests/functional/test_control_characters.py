"""Control characters in what users type are refused with a Chinese message naming the
field, and nothing is written; text stored before that rule is cleaned when exported
(issue 10, Low 7: ``\\x01`` in a stored name made every later xlsx export a 500, a NUL in a
reason or comment was a 500 on PostgreSQL). Run on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from accounts.models import ExpertAssignment, ExpertComment, Membership, Role
from budgets.models import BudgetAdjustment, BudgetYear, Organisation
from evaluations.models import Evaluation
from operations.models import OperatingValue
from targets.models import TargetAdjustment, TargetForm, TargetIndicator

pytestmark = pytest.mark.django_db

REFUSED = "含有不可见的控制字符（{char}），多由从其他程序复制粘贴带入：请删除该字符后重新提交。"


def login(organisation: str, role: str) -> tuple[Client, User]:
    user = User.objects.create_user(f"{organisation}-{role}", password="x" * 12)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code=organisation), role=role
    )
    client = Client()
    client.force_login(user)
    return client, user


def messages_of(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def test_a_control_character_in_an_indicator_name_is_refused() -> None:
    unit, _user = login("tj-8890", Role.UNIT)
    form = TargetForm.objects.get(code="tianjin-2020")
    leaf = form.indicators.filter(level="level3").order_by("position")[0]
    response = unit.post(
        f"/targets/{form.code}/indicators/{leaf.pk}/",
        {"name": "接通率\x01", "value": "≥96%"},
    )
    assert response.status_code == 400
    assert "“名称”" + REFUSED.format(char="U+0001") in response.content.decode()
    stored = TargetIndicator.objects.get(pk=leaf.pk)
    assert (stored.name, stored.value_text) == (leaf.name, leaf.value_text)


def test_a_nul_in_a_budget_adjustment_reason_is_refused() -> None:
    unit, _user = login("tj-8890", Role.UNIT)
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    line = budget_year.lines.order_by("position")[0]
    before = BudgetAdjustment.objects.count()
    response = unit.post(
        "/budgets/tianjin-2020/2020/adjustments/",
        {"line": line.pk, "amount": "8.93", "reason": "物业费\x00上涨"},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == ["“理由”" + REFUSED.format(char="U+0000")]
    assert BudgetAdjustment.objects.count() == before


def test_a_nul_in_an_expert_comment_is_refused() -> None:
    expert, user = login("tj-czj", Role.EXPERT)
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    ExpertAssignment.objects.create(user=user, evaluation=evaluation)
    response = expert.post(
        f"/reviews/evaluations/{evaluation.code}/",
        {"text": "得分依据\x00充分"},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == ["“意见”" + REFUSED.format(char="U+0000")]
    assert not ExpertComment.objects.filter(evaluation=evaluation).exists()
    # the same comment without the NUL is taken
    expert.post(f"/reviews/evaluations/{evaluation.code}/", {"text": "得分依据充分"})
    assert list(
        ExpertComment.objects.filter(evaluation=evaluation).values_list(
            "text", flat=True
        )
    ) == ["得分依据充分"]


def test_a_nul_in_a_decision_comment_is_refused() -> None:
    finance, user = login("tj-czj", Role.FINANCE)
    form = TargetForm.objects.get(code="tianjin-2020")
    leaf = form.indicators.filter(level="level3").order_by("position")[0]
    adjustment = TargetAdjustment.objects.create(
        form=form,
        indicator=leaf,
        value_text="≥95%",
        reason="国家标准",
        requested_by=user,
    )
    response = finance.post(
        f"/targets/{form.code}/adjustments/{adjustment.pk}/decide/",
        {"decision": "reject", "comment": "理由\x00不足"},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == ["“意见”" + REFUSED.format(char="U+0000")]
    adjustment.refresh_from_db()
    assert (adjustment.status, adjustment.decision_comment) == ("pending", "")


def test_a_control_character_in_a_return_comment_is_refused() -> None:
    finance, _user = login("tj-czj", Role.FINANCE)
    form = TargetForm.objects.get(code="tianjin-2020")
    status = form.status
    response = finance.post(
        f"/targets/{form.code}/return/", {"comment": "请补充\x1f办结率"}, follow=True
    )
    assert "“对整张表的意见”" + REFUSED.format(char="U+001F") in messages_of(response)
    form.refresh_from_db()
    assert form.status == status


def _cells(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    return [
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def test_a_stored_control_character_does_not_break_the_target_form_export() -> None:
    """Data stored before the rule: the export drops the character instead of failing."""
    reader, _user = login("tj-8890", Role.UNIT)
    form = TargetForm.objects.get(code="tianjin-2020")
    leaf = form.indicators.filter(level="level3").order_by("position")[0]
    TargetIndicator.objects.filter(pk=leaf.pk).update(name="热线\x01接通率")
    response = reader.get(f"/targets/{form.code}/export.xlsx")
    assert response.status_code == 200
    cells = _cells(response.content)
    assert "热线接通率" in cells
    assert not [c for c in cells if "\x01" in c]


def test_a_stored_control_character_does_not_break_the_operating_data_workbook() -> (
    None
):
    reader, _user = login("tj-8890", Role.UNIT)
    value = OperatingValue.objects.filter(
        organisation__code="tj-8890", year=2020
    ).order_by("pk")[0]
    OperatingValue.objects.filter(pk=value.pk).update(note="夜间\x01来电")
    response = reader.get("/operations/tj-8890/2020/workbook.xlsx")
    assert response.status_code == 200
    assert "夜间来电" in _cells(response.content)

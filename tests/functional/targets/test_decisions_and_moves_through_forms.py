"""A reviewer's decision and an indicator's move are read through forms: a request that
names no valid choice is refused with a Chinese message and changes nothing (before, a
missing or unknown ``decision`` was read as a rejection and any ``direction`` but "up" as
down)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Role
from budgets.models import BudgetAdjustment, BudgetYear
from core.models import AdjustmentStatus
from targets.models import TargetAdjustment, TargetForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_request() -> BudgetAdjustment:
    year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    return BudgetAdjustment.objects.create(
        line=year.lines.order_by("position")[0],
        amount="8.93",
        reason="物业费上涨",
        requested_by=User.objects.create_user("requester"),
    )


@pytest.mark.parametrize("data", [{}, {"decision": "maybe"}])
def test_a_budget_decision_without_a_valid_choice_changes_nothing(
    login: Callable[..., Client],
    budget_request: BudgetAdjustment,
    data: dict[str, str],
) -> None:
    finance = login("tj-czj", Role.FINANCE, "tj-finance")
    response = finance.post(
        f"/budgets/tianjin-2020/2020/adjustments/{budget_request.pk}/decide/",
        data,
        follow=True,
    )
    budget_request.refresh_from_db()
    assert budget_request.status == AdjustmentStatus.PENDING
    assert budget_request.decided_by is None
    texts = [str(m) for m in response.context["messages"]]
    assert texts == [
        "这个字段是必填项。"
        if not data
        else "选择一个有效的选项。 maybe 不在可用的选项中。"
    ]


def test_a_budget_decision_approves_through_the_form(
    login: Callable[..., Client], budget_request: BudgetAdjustment
) -> None:
    finance = login("tj-czj", Role.FINANCE, "tj-finance")
    finance.post(
        f"/budgets/tianjin-2020/2020/adjustments/{budget_request.pk}/decide/",
        {"decision": "approve"},
    )
    budget_request.refresh_from_db()
    assert budget_request.status == AdjustmentStatus.APPROVED


def test_a_target_decision_without_a_choice_changes_nothing(
    login: Callable[..., Client],
) -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    leaf = form.indicators.filter(level="level3").order_by("position")[0]
    adjustment = TargetAdjustment.objects.create(
        form=form,
        indicator=leaf,
        value_text="≥95%",
        reason="测试",
        requested_by=User.objects.create_user("requester"),
    )
    finance = login("tj-czj", Role.FINANCE, "tj-finance")
    response = finance.post(
        f"/targets/tianjin-2020/adjustments/{adjustment.pk}/decide/",
        {"comment": "同意"},
        follow=True,
    )
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.PENDING
    assert [str(m) for m in response.context["messages"]] == ["这个字段是必填项。"]


@pytest.mark.parametrize("direction", ["", "sideways"])
def test_a_move_without_up_or_down_is_refused_and_moves_nothing(
    login: Callable[..., Client], direction: str
) -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    leaf = form.indicators.filter(level="level3").order_by("position")[1]
    before = list(form.indicators.order_by("position").values_list("pk", flat=True))
    unit = login("tj-8890", Role.UNIT, "tj-centre")
    response = unit.post(
        f"/targets/tianjin-2020/indicators/{leaf.pk}/move/", {"direction": direction}
    )
    assert response.status_code == 400
    assert response.content.decode() == "请选择把指标上移还是下移。"
    after = list(form.indicators.order_by("position").values_list("pk", flat=True))
    assert after == before


def test_a_move_up_moves_the_indicator_one_place(login: Callable[..., Client]) -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    first, second = form.indicators.filter(level="level3").order_by("position")[:2]
    if first.parent_id != second.parent_id:  # pragma: no cover - seed layout guard
        pytest.fail("the first two 三级 of the seed form should be siblings")
    unit = login("tj-8890", Role.UNIT, "tj-centre")
    unit.post(
        f"/targets/tianjin-2020/indicators/{second.pk}/move/", {"direction": "up"}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.position < first.position

"""Bad budget input gets a clear Chinese message and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budgets.models import BudgetLine, BudgetYear, Project
from budgets.services import BudgetLineData, budget_year_create

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


def test_a_negative_amount_is_refused_and_nothing_is_written() -> None:
    project = Project.objects.get(code="tianjin-2020")
    with pytest.raises(ValidationError) as error:
        budget_year_create(project=project, year=2021, initial=Decimal("-1"))
    assert _messages(error.value)[0] == "金额和数量不能为负数。"
    assert not BudgetYear.objects.filter(project=project, year=2021).exists()


def test_a_negative_line_rolls_back_the_whole_budget_year() -> None:
    project = Project.objects.get(code="tianjin-2020")
    with pytest.raises(ValidationError):
        budget_year_create(
            project=project,
            year=2021,
            initial=Decimal("100"),
            lines=[
                BudgetLineData(category="工资福利支出", budget=Decimal("80")),
                BudgetLineData(category="商品和服务支出", budget=Decimal("-20")),
            ],
        )
    assert not BudgetYear.objects.filter(project=project, year=2021).exists()
    assert not BudgetLine.objects.filter(budget_year__year=2021).exists()


def test_a_second_budget_for_the_same_project_year_is_refused() -> None:
    project = Project.objects.get(code="tianjin-2020")
    with pytest.raises(ValidationError) as error:
        budget_year_create(project=project, year=2020, initial=Decimal("1"))
    assert _messages(error.value) == ["该项目该年度已有预算。"]
    assert BudgetYear.objects.filter(project=project, year=2020).count() == 1


def test_a_reduction_larger_than_the_budget_is_refused() -> None:
    project = Project.objects.get(code="tianjin-2020")
    with pytest.raises(ValidationError) as error:
        budget_year_create(
            project=project, year=2021, initial=Decimal("10"), reduction=Decimal("11")
        )
    assert _messages(error.value) == ["调减金额不能超过年初预算与追加预算之和。"]


def test_the_database_refuses_a_negative_amount_that_bypasses_validation() -> None:
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(
            budget_year=budget_year, category="其他支出", budget=Decimal("-5")
        )

"""A request decided twice (issue 11, item 5): the second decision, made on a page drawn
before the first, is refused — it is not written over the first. The services re-read the
request under a row lock, so two decisions at the same moment take turns the same way."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from budgets.models import BudgetAdjustment, BudgetYear
from budgets.services import budget_adjustment_decide, budget_adjustment_request
from core.models import AdjustmentStatus
from targets.models import TargetAdjustment, TargetIndicator
from targets.services import (
    target_adjustment_decide,
    target_adjustment_request,
    target_form_approve,
    target_form_submit,
)

pytestmark = pytest.mark.django_db


def test_a_budget_adjustment_decided_on_a_stale_page_is_refused() -> None:
    unit, first, second = (User.objects.create_user(n) for n in ("u", "f1", "f2"))
    line = BudgetYear.objects.get(project__code="tianjin-2020").lines.first()
    assert line is not None
    request = budget_adjustment_request(
        line=line, user=unit, amount=Decimal("10.00"), reason="话务量增长"
    )
    seen_by_second = BudgetAdjustment.objects.get(pk=request.pk)  # before the first
    budget_adjustment_decide(adjustment=request, user=first, approve=True)
    with pytest.raises(ValidationError) as refused:
        budget_adjustment_decide(adjustment=seen_by_second, user=second, approve=False)
    assert refused.value.messages == ["该调整申请已处理。"]
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", first)


def test_a_target_adjustment_decided_on_a_stale_page_is_refused() -> None:
    unit, first, second = (User.objects.create_user(n) for n in ("u", "f1", "f2"))
    leaf = TargetIndicator.objects.get(form__code="panjin-2023", name="话务接通率")
    form = leaf.form
    target_form_submit(form=form, user=unit)
    target_form_approve(form=form, user=first)
    leaf.refresh_from_db()
    request = target_adjustment_request(
        indicator=leaf, user=unit, value="≥85%", reason="新的考核口径"
    )
    seen_by_second = TargetAdjustment.objects.get(pk=request.pk)
    target_adjustment_decide(adjustment=request, user=first, approve=False)
    with pytest.raises(ValidationError) as refused:
        target_adjustment_decide(adjustment=seen_by_second, user=second, approve=True)
    assert refused.value.messages == ["该调整申请已处理。"]
    request.refresh_from_db()
    leaf.refresh_from_db()
    assert (request.status, request.decided_by) == (AdjustmentStatus.REJECTED, first)
    assert leaf.value_text != "≥85%"

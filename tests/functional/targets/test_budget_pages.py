"""The budget year companion page: figures, edits recorded in the history, adjustments;
and the history of evaluation scores on the expert review page."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import ExpertAssignment, Role
from budgets.models import BudgetLine, BudgetYear
from evaluations.models import Evaluation, EvaluationIndicator

pytestmark = pytest.mark.django_db


def figures(budget_year: BudgetYear, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "initial": budget_year.initial,
        "addition": budget_year.addition,
        "reduction": budget_year.reduction,
        "received": budget_year.received,
        "expenditure": budget_year.expenditure,
    }
    for line in budget_year.lines.all():
        data[f"line_{line.pk}_budget"] = line.budget
        data[f"line_{line.pk}_received"] = line.received
        data[f"line_{line.pk}_expenditure"] = line.expenditure
    data.update(changes)
    return data


def test_the_budget_page_shows_the_figures_of_seed_001(
    login: Callable[..., Client],
) -> None:
    html = (
        login("tj-8890", Role.UNIT).get("/budgets/tianjin-2020/2020/").content.decode()
    )
    assert '<td class="num" id="adjusted">11092.40</td>' in html
    assert "11076.79（99.86%）" in html
    assert "100.45%" in html and "超支 8.93" in html


def test_a_budget_change_is_recorded_with_who_before_and_after(
    login: Callable[..., Client],
) -> None:
    finance = login("tj-czj", Role.FINANCE, "tj-finance")
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    goods = budget_year.lines.get(category="商品和服务支出")
    response = finance.post(
        "/budgets/tianjin-2020/2020/",
        figures(
            budget_year, addition="921.93", **{f"line_{goods.pk}_budget": "1978.55"}
        ),
    )
    assert response.status_code == 302
    budget_year.refresh_from_db()
    assert budget_year.adjusted == Decimal("11101.33")
    html = finance.get("/budgets/tianjin-2020/2020/").content.decode()
    assert (
        '<td>追加</td><td class="before">913.00</td><td class="after">921.93</td>'
        in html
    )
    assert (
        '<td>预算</td><td class="before">1969.62</td><td class="after">1978.55</td>'
        in html
    )
    record = BudgetLine.history.filter(id=goods.pk).latest()  # type: ignore[attr-defined]
    assert record.history_user.username == "tj-finance"


def test_a_department_reads_but_cannot_change_the_budget(
    login: Callable[..., Client],
) -> None:
    department = login("tj-zwfw", Role.DEPARTMENT)
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    assert department.get("/budgets/tianjin-2020/2020/").status_code == 200
    assert (
        department.post("/budgets/tianjin-2020/2020/", figures(budget_year)).status_code
        == 403
    )


def test_inline_validation_of_the_budget_in_chinese(
    login: Callable[..., Client],
) -> None:
    unit = login("tj-8890", Role.UNIT)
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    response = unit.post(
        "/budgets/tianjin-2020/2020/", figures(budget_year, reduction="20000")
    )
    assert response.status_code == 400
    assert "调减金额不能超过年初预算与追加预算之和。" in response.content.decode()


def test_score_changes_and_expert_comments_on_the_review_page(
    login: Callable[..., Client],
) -> None:
    evaluator = login("tj-evaluator", Role.EVALUATOR, "evaluator")
    expert = login("tj-czj", Role.EXPERT, "expert-li")
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    ExpertAssignment.objects.create(
        user=User.objects.get(username="expert-li"), evaluation=evaluation
    )
    leaf = EvaluationIndicator.objects.filter(
        evaluation=evaluation, children__isnull=True
    ).order_by("position")[0]
    before = leaf.final_score
    evaluator.post(
        f"/evaluations/{evaluation.code}/indicators/{leaf.pk}/score/",
        {"final_score": "1.5", "reason": "依据不足", "applicable": "on"},
    )
    record = leaf.history.latest()  # type: ignore[attr-defined]
    assert (
        record.history_user.username,
        record.prev_record.final_score,
        record.final_score,
    ) == (
        "evaluator",
        before,
        Decimal("1.50"),
    )
    assert (
        expert.post(
            f"/reviews/evaluations/{evaluation.code}/",
            {"text": "立项依据的扣分理由充分", "indicator": leaf.pk},
        ).status_code
        == 302
    )
    html = expert.get(f"/reviews/evaluations/{evaluation.code}/").content.decode()
    assert "立项依据的扣分理由充分" in html
    assert '<td class="num">1.50</td><td>依据不足</td>' in html
    # the evaluator reads the comments but does not write them
    assert (
        evaluator.post(
            f"/reviews/evaluations/{evaluation.code}/", {"text": "x"}
        ).status_code
        == 403
    )

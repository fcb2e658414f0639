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
    assert '<td class="num" id="adjusted">11,092.40</td>' in html
    assert "11,076.79（99.86%）" in html
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
    finance = login("tj-czj", Role.FINANCE)
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    response = finance.post(
        "/budgets/tianjin-2020/2020/", figures(budget_year, reduction="20000")
    )
    assert response.status_code == 400
    assert "调减金额不能超过年初预算与追加预算之和。" in response.content.decode()


def _stored(budget_year: BudgetYear) -> list[tuple[Decimal | None, ...]]:
    """Every figure of the year and its lines, as stored."""
    budget_year.refresh_from_db()
    return [
        (
            budget_year.initial,
            budget_year.addition,
            budget_year.reduction,
            budget_year.received,
            budget_year.expenditure,
        ),
        *BudgetLine.objects.filter(budget_year=budget_year)
        .order_by("position")
        .values_list("budget", "received", "expenditure"),
    ]


def test_a_unit_cannot_set_its_own_budget(login: Callable[..., Client]) -> None:
    """The penetration test's request (issue 10, Medium 4): the budget is the finance
    bureau's; the whole request is refused and nothing is written."""
    unit = login("tj-8890", Role.UNIT)
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    goods = budget_year.lines.get(category="商品和服务支出")
    before = _stored(budget_year)
    response = unit.post(
        "/budgets/tianjin-2020/2020/",
        {"initial": "99999", f"line_{goods.pk}_budget": "99999", "received": "1"},
    )
    assert response.status_code == 403
    assert (
        "您无权修改以下数字：年初预算、商品和服务支出预算。"
        "预算由财政部门核定；如需调整，请提交预算调整申请。"
    ) in response.content.decode()
    assert _stored(budget_year) == before
    assert before[0][0] == Decimal("10200.59")
    # the whole form as the unit's own page would send it, with the budget fields added
    response = unit.post(
        "/budgets/tianjin-2020/2020/",
        figures(budget_year, addition="5000", expenditure="1"),
    )
    assert response.status_code == 403
    assert _stored(budget_year) == before


def test_a_unit_reports_receipts_and_expenditure(
    login: Callable[..., Client],
) -> None:
    unit = login("tj-8890", Role.UNIT)
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    goods = budget_year.lines.get(category="商品和服务支出")
    response = unit.post(
        "/budgets/tianjin-2020/2020/",
        {
            "received": "11000.00",
            "expenditure": "11000.50",
            f"line_{goods.pk}_expenditure": "1970.00",
        },
    )
    assert response.status_code == 302
    budget_year.refresh_from_db()
    goods.refresh_from_db()
    assert (
        budget_year.initial,
        budget_year.adjusted,
        budget_year.received,
        budget_year.expenditure,
    ) == (
        Decimal("10200.59"),
        Decimal("11092.40"),
        Decimal("11000.00"),
        Decimal("11000.50"),
    )
    # the line's budget and the figures not sent stay as they were
    assert (goods.budget, goods.expenditure) == (Decimal("1969.62"), Decimal("1970.00"))
    first = BudgetLine.history.filter(id=goods.pk).earliest()  # type: ignore[attr-defined]
    assert goods.received == first.received


def test_the_unit_page_offers_only_the_execution_figures(
    login: Callable[..., Client],
) -> None:
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    goods = budget_year.lines.get(category="商品和服务支出")
    html = (
        login("tj-8890", Role.UNIT).get("/budgets/tianjin-2020/2020/").content.decode()
    )
    assert 'name="initial" value="10200.59"' in html
    for name in ("initial", "addition", "reduction", f"line_{goods.pk}_budget"):
        tag = html[html.index(f'name="{name}"') :]
        assert "disabled" in tag[: tag.index(">")].split(), name
    for name in ("received", "expenditure", f"line_{goods.pk}_expenditure"):
        tag = html[html.index(f'name="{name}"') :]
        assert "disabled" not in tag[: tag.index(">")].split(), name
    finance = login("tj-czj", Role.FINANCE).get("/budgets/tianjin-2020/2020/")
    assert "disabled" not in finance.content.decode().split('id="budget-form"')[1]


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
        f"/evaluations/{evaluation.code}/scores/",
        {
            f"row-{leaf.pk}-final_score": "1.5",
            f"row-{leaf.pk}-reason": "依据不足",
            f"row-{leaf.pk}-applicable": "on",
            f"row-{leaf.pk}-version": str(leaf.version),
        },
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

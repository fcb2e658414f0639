"""Every list and detail page of the targets, budgets, dashboards, operating data and
evaluations uses a number of queries that does not grow with the rows it shows: each page
is requested with 5 and with 50 rows under the same ``django_assert_max_num_queries``
bound."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from budgets.models import BudgetYear, Organisation, Project
from budgets.services import (
    BudgetLineData,
    GoodsServicesLineData,
    PayrollLineData,
    budget_year_create,
    project_create,
)
from targets.models import TargetForm
from targets.services import target_form_create, target_indicator_add

pytestmark = pytest.mark.django_db


def make_projects(count: int) -> None:
    """``count`` Tianjin projects, each with a budget year and a small 2022 form."""
    unit = Organisation.objects.get(code="tj-8890")
    department = Organisation.objects.get(code="tj-zwfw")
    for number in range(count):
        project = project_create(
            code=f"bench-{number}",
            name=f"热线项目{number:03d}",
            department=department,
            unit=unit,
        )
        budget_year_create(
            project=project,
            year=2022,
            initial=Decimal(100),
            expenditure=Decimal(50),
            lines=[BudgetLineData("商品和服务支出", Decimal(100), None, Decimal(50))],
        )
        form = target_form_create(
            code=f"bench-{number}", layout="project", year=2022, project=project
        )
        root = target_indicator_add(form=form, level="level1", name="产出指标")
        branch = target_indicator_add(
            form=form, level="level2", name="数量指标", parent=root
        )
        target_indicator_add(
            form=form, level="level3", name="受理量", parent=branch, value="100 万件"
        )


def make_form(leaves: int) -> TargetForm:
    form = TargetForm.objects.get(code="tianjin-2020")
    root = target_indicator_add(form=form, level="level1", name="产出指标")
    branch = target_indicator_add(
        form=form, level="level2", name="质量指标", parent=root
    )
    form.indicators.exclude(pk__in=[root.pk, branch.pk]).delete()
    for number in range(leaves):
        leaf = target_indicator_add(
            form=form,
            level="level3",
            name=f"指标{number}",
            parent=branch,
            value=f"≥{number}%",
        )
        leaf.half_year_actual_text = f"{number}%"
        leaf.save()
    return form


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


LIST_PAGES = [
    "/",
    "/targets/",
    "/targets/?sort=project&year=2022",
    "/budgets/",
    "/dashboards/projects/?year=2022",
    "/operations/",
    "/operations/monitoring/",
    "/operations/monitoring/?year=2022&q=热线",
    "/evaluations/",
]
DETAIL_PAGES = [
    "/targets/tianjin-2020/",
    "/targets/tianjin-2020/monitoring/",
    "/targets/tianjin-2020/history/",
    "/targets/tianjin-2020/adjustments/",
]
MAX_QUERIES = 40


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_do_not_grow_with_rows(
    url: str,
    login: Callable[..., Client],
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    client = login("tj-czj", Role.FINANCE)
    make_projects(5)
    few = count(client, url)
    _more(45)
    many = count(client, url)
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):  # type: ignore[operator]
        client.get(url)


def _more(count_: int) -> None:
    unit = Organisation.objects.get(code="tj-8890")
    department = Organisation.objects.get(code="tj-zwfw")
    for number in range(1000, 1000 + count_):
        project = project_create(
            code=f"bench-{number}",
            name=f"热线项目{number}",
            department=department,
            unit=unit,
        )
        budget_year_create(project=project, year=2022, initial=Decimal(100))
        target_form_create(
            code=f"bench-{number}", layout="project", year=2022, project=project
        )


@pytest.mark.parametrize("url", DETAIL_PAGES)
def test_detail_pages_do_not_grow_with_rows(
    url: str,
    login: Callable[..., Client],
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    client = login("tj-8890", Role.UNIT)
    form = make_form(5)
    few = count(client, url)
    branch = form.indicators.get(level="level2")
    for number in range(5, 50):
        target_indicator_add(
            form=form,
            level="level3",
            name=f"指标{number}",
            parent=branch,
            value=f"≥{number}%",
        )
    many = count(client, url)
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):  # type: ignore[operator]
        client.get(url)


@pytest.mark.parametrize(
    "url",
    [
        "/budgets/bench-budget/2022/",
        "/dashboards/units/tj-8890/",
        "/reviews/evaluations/tianjin-2020/",
    ],
)
def test_budget_dashboard_and_review_pages_do_not_grow_with_rows(
    url: str,
    login: Callable[..., Client],
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    unit = Organisation.objects.get(code="tj-8890")
    department = Organisation.objects.get(code="tj-zwfw")

    def budget(rows: int, code: str) -> None:
        project = project_create(
            code=code, name="热线项目", department=department, unit=unit
        )
        budget_year_create(
            project=project,
            year=2022,
            initial=Decimal(100),
            payroll=[
                PayrollLineData(
                    f"岗位{n}", Decimal(1), Decimal(1), Decimal(0), Decimal(0), 1, 1
                )
                for n in range(rows)
            ],
            goods_services=[
                GoodsServicesLineData(f"项目{n}", Decimal(1)) for n in range(rows)
            ],
        )

    client = login("tj-8890", Role.UNIT)
    budget(5, "bench-budget")
    few = count(client, url)
    BudgetYear.objects.filter(project__code="bench-budget").delete()
    Project.objects.filter(code="bench-budget").delete()
    budget(50, "bench-budget")
    many = count(client, url)
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):  # type: ignore[operator]
        client.get(url)

"""ListPaginator gives the same pages as Django's Paginator over a total order, from
either end of the list, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.test import RequestFactory

from budgets.models import Organisation, Project
from core.pagination import ListPaginator, paginate

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects() -> list[Project]:
    unit = Organisation.objects.create(
        code="page-unit", name="分页测试中心", kind=Organisation.Kind.UNIT
    )
    # 53 projects, names repeating every 4: the ordering ties on the name
    return Project.objects.bulk_create(
        Project(
            code=f"page-{n:02d}", name=f"热线项目{n % 4}", department=unit, unit=unit
        )
        for n in range(53)
    )


def _ordered() -> object:
    return Project.objects.filter(code__startswith="page-").order_by("name")


def test_every_page_matches_django_paginator_over_the_same_total_order(
    projects: list[Project],
) -> None:
    ours = ListPaginator(_ordered(), 10)
    theirs = Paginator(_ordered().order_by("name", "pk"), 10)
    assert ours.num_pages == theirs.num_pages == 6
    seen = []
    for number in ours.page_range:
        page = [p.code for p in ours.page(number)]
        assert page == [p.code for p in theirs.page(number)]
        seen += page
    # every row once, none repeated where names tie
    assert sorted(seen) == sorted(p.code for p in projects)


def test_the_last_page_is_read_from_the_end(projects: list[Project]) -> None:
    page = ListPaginator(_ordered(), 10).page(6)
    assert [p.code for p in page] == ["page-43", "page-47", "page-51"]
    assert (page.start_index(), page.end_index()) == (51, 53)


def test_a_unique_ordering_key_is_not_extended(projects: list[Project]) -> None:
    paginator = ListPaginator(
        Project.objects.filter(code__startswith="page-").order_by("-code"), 25
    )
    assert paginator.object_list.query.order_by == ("-code",)
    assert [p.code for p in paginator.page(3)] == ["page-02", "page-01", "page-00"]


def test_a_page_keeps_select_related_in_a_fixed_number_of_queries(
    projects: list[Project], django_assert_num_queries: object
) -> None:
    request = RequestFactory().get("/", {"page": "2"})
    queryset = _ordered().select_related("unit")
    with django_assert_num_queries(3):  # type: ignore[operator]
        page = paginate(request, queryset, 25)  # count, keys, rows
        names = [p.unit.name for p in page]
    assert names == ["分页测试中心"] * 25


@pytest.mark.parametrize("asked", ["", "abc", "0", "99"])
def test_malformed_or_out_of_range_numbers_fall_back_like_get_page(
    projects: list[Project], asked: str
) -> None:
    page = paginate(RequestFactory().get("/", {"page": asked}), _ordered(), 25)
    assert page.number == (3 if asked in ("0", "99") else 1)  # as get_page does

"""A search finds a name whatever the case of what was typed; a query without letters that
have case is matched without upper-casing (the same rows)."""

from __future__ import annotations

import pytest

from budgets.models import Organisation, Project
from core.lists import name_contains

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects() -> None:
    unit = Organisation.objects.create(
        code="search-unit", name="检索测试中心", kind=Organisation.Kind.UNIT
    )
    for code, name in [
        ("s-1", "Excel 报表热线项目"),
        ("s-2", "excel 热线运维"),
        ("s-3", "12345热线平台"),
        ("s-4", "便民专线"),
    ]:
        Project.objects.create(code=code, name=name, department=unit, unit=unit)


def found(query: str) -> list[str]:
    return sorted(
        Project.objects.filter(code__startswith="s-")
        .filter(name_contains("name", query))
        .values_list("code", flat=True)
    )


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("热线", ["s-1", "s-2", "s-3"]),
        ("EXCEL", ["s-1", "s-2"]),
        ("excel 热线", ["s-2"]),
        ("Excel 报表", ["s-1"]),
        ("12345", ["s-3"]),
        ("专线", ["s-4"]),
        ("%", []),  # a wildcard typed is a character, not a pattern
    ],
)
def test_found_whatever_the_case(projects: None, query: str, codes: list[str]) -> None:
    assert found(query) == codes


def test_caseless_queries_skip_upper_casing() -> None:
    assert "icontains" not in str(name_contains("name", "热线"))
    assert "icontains" in str(name_contains("name", "Excel"))

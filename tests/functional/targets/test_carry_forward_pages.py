"""从上年复制 (issue 13 item 5): next year's form from last year's approved one, and form
codes that read ``<project>-<year>``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import Role
from targets.models import TargetForm
from targets.services import (
    next_form_code,
    target_form_approve,
    target_form_carry_forward,
    target_form_submit,
)
from targets.views.entry import previous_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved() -> TargetForm:
    """Tianjin's 2020 form (seed 000) as it ends its review: approved."""
    form = TargetForm.objects.get(code="tianjin-2020")
    target_form_submit(form=form, user=User.objects.create_user("unit-2020"))
    return target_form_approve(form=form, user=User.objects.create_user("finance-2020"))


def tree(form: TargetForm) -> list[tuple[object, ...]]:
    return list(
        form.indicators.order_by("position").values_list(
            "level",
            "parent__name",
            "position",
            "name",
            "source_text",
            "value_text",
            "value_comparator",
            "value_number",
            "value_unit",
            "half_year_text",
            "library_indicator__code",
        )
    )


@pytest.mark.parametrize(
    ("subject", "year", "code"),
    [
        ("tianjin-2020", 2021, "tianjin-2021"),  # the tianjin-2020-2021
        ("tianjin-2020", 2020, "tianjin-2020-2"),  # taken by the seed form
        ("sz-bmfw", 2024, "sz-bmfw-2024"),
        ("city-hotline", 2025, "city-hotline-2025"),
    ],
)
def test_codes_read_project_then_year(subject: str, year: int, code: str) -> None:
    assert next_form_code(subject, year) == code


def test_the_copy_has_every_indicator_at_its_place_with_its_link(
    approved: TargetForm,
) -> None:
    copy = target_form_carry_forward(
        source=approved,
        code="tianjin-2021",
        funds_total=Decimal("11000.00"),
        funds_fiscal=Decimal("11000.00"),
        overall_goal="2021 年总体目标",
    )
    assert (copy.year, copy.status, copy.layout, copy.project) == (
        2021,
        "draft",
        approved.layout,
        approved.project,
    )
    assert (copy.funds_total, copy.overall_goal, copy.title) == (
        Decimal("11000.00"),
        "2021 年总体目标",
        approved.title,
    )
    assert tree(copy) == tree(approved)
    assert len(tree(copy)) == 30  # 3 一级, 8 二级, 19 三级, each at its place
    sources = [
        (i.position, i.carried_from.form_id, i.carried_from.position)
        for i in copy.indicators.select_related("carried_from").order_by("position")
        if i.carried_from
    ]
    assert sources == [
        (position, approved.pk, position)
        for position in approved.indicators.order_by("position").values_list(
            "position", flat=True
        )
    ]
    # facts of 2020 stay with 2020
    assert not copy.indicators.exclude(actual_text="").exists()
    assert copy.review_comments.count() == 0


def test_only_an_approved_form_is_copied() -> None:
    draft = TargetForm.objects.get(code="tianjin-2020")
    with pytest.raises(ValidationError) as refused:
        target_form_carry_forward(source=draft, code="tianjin-2021")
    assert refused.value.messages == [
        "只有已批复的目标表才能复制到下一年度：2020 年度目标表的状态为“草稿”。"
    ]
    assert not TargetForm.objects.filter(code="tianjin-2021").exists()


def test_the_page_copies_and_the_grid_shows_last_years_target_and_actual(
    approved: TargetForm, login: Callable[..., Client]
) -> None:
    unit = login("tj-8890", Role.UNIT)
    page = unit.get("/targets/new/").content.decode()
    assert 'href="/targets/tianjin-2020/carry-forward/"' in page
    page = unit.get("/targets/tianjin-2020/carry-forward/").content.decode()
    assert 'name="funds_total" value="10000.00"' in page or "10000" in page
    response = unit.post(
        "/targets/tianjin-2020/carry-forward/",
        {"funds_total": "11000", "funds_fiscal": "", "overall_goal": "保障运行"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/targets/tianjin-2021/"
    copy = TargetForm.objects.get(code="tianjin-2021")
    assert (copy.funds_total, copy.funds_fiscal, copy.overall_goal) == (
        Decimal("11000.00"),
        None,
        "保障运行",
    )
    html = unit.get("/targets/tianjin-2021/").content.decode()
    assert "2020 年指标值 / 实际完成值（供参考）" in html
    answer = copy.indicators.get(name="接通率")
    row = html.split(f'id="row-{answer.pk}"')[1].split("</tr>")[0]
    assert (
        '<td class="previous"><span class="previous-target">目标 大于 90%</span>' in row
    )
    assert "实际 96.12%" in row
    # the offer is gone, and a second copy is refused with nothing written
    assert "carry-forward/" not in unit.get("/targets/new/").content.decode()
    again = unit.post("/targets/tianjin-2020/carry-forward/", {})
    assert again.status_code == 400
    assert "2021 年度目标表已存在：请从目标表列表中打开。" in again.content.decode()
    assert TargetForm.objects.filter(project=copy.project).count() == 2


def test_a_form_without_carried_rows_reads_nothing_more(
    approved: TargetForm,
    login: Callable[..., Client],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    """The previous-year column costs queries only on a carried-forward form (the grid
    save, the slowest page of the load benchmark, re-renders it): none on the seed form,
    8 on its copy (the 2020 indicators, then 2020's operating figures, as 运行监控 reads
    them)."""
    unit = login("tj-8890", Role.UNIT)
    html = unit.get("/targets/tianjin-2020/").content.decode()
    assert "previous-col" not in html
    leaves = list(approved.indicators.all())
    with django_assert_num_queries(0):
        assert previous_year(leaves) == {}
    copy = target_form_carry_forward(source=approved, code="tianjin-2021")
    carried = list(copy.indicators.all())
    with django_assert_num_queries(8) as captured:
        found = previous_year(carried)
    assert len(found) == 19
    assert len(captured) == 8

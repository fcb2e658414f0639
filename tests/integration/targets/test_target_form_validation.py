"""Bad input to target forms gets a clear Chinese message and changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budgets.models import Organisation, Project
from targets.models import IndicatorLevel, TargetForm, TargetIndicator
from targets.services import target_form_create, target_indicator_add

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


def test_a_fourth_level_under_a_project_form_is_refused() -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    leaf = form.indicators.get(name="设置坐席数")
    before = form.indicators.count()
    with pytest.raises(ValidationError) as error:
        target_indicator_add(
            form=form, parent=leaf, level=IndicatorLevel.LEVEL3, name="子指标"
        )
    assert _messages(error.value) == ["该层级的指标不能放在“三级指标”之下。"]
    assert form.indicators.count() == before


def test_a_key_task_is_refused_on_a_project_form() -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    group = form.indicators.get(name="数量指标")
    with pytest.raises(ValidationError) as error:
        target_indicator_add(
            form=form, parent=group, level=IndicatorLevel.KEY_TASK, name="重点"
        )
    assert _messages(error.value) == ["该表样没有这一层级的指标。"]


def test_a_second_form_for_the_same_project_year_is_refused() -> None:
    project = Project.objects.get(code="tianjin-2020")
    with pytest.raises(ValidationError) as error:
        target_form_create(
            code="tianjin-2020-b", layout="project", year=2020, project=project
        )
    assert _messages(error.value) == ["该项目该年度已有绩效目标表。"]
    assert TargetForm.objects.filter(project=project, year=2020).count() == 1


def test_the_database_itself_refuses_a_second_form_for_a_project_year() -> None:
    project = Project.objects.get(code="tianjin-2020")
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetForm.objects.create(
            code="dup", layout="project", year=2020, project=project
        )


def test_a_half_year_value_on_a_form_without_half_year_values_is_refused() -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    group = form.indicators.get(name="数量指标")
    before = form.indicators.count()
    with pytest.raises(ValidationError) as error:
        target_indicator_add(
            form=form,
            parent=group,
            level=IndicatorLevel.LEVEL3,
            name="接听量",
            value="≥1000万次",
            half_year_value="≥500万次",
        )
    assert _messages(error.value) == ["该表没有半年指标值。"]
    assert form.indicators.count() == before


def test_a_half_year_value_is_accepted_on_a_department_form() -> None:
    form = TargetForm.objects.get(code="suzhou-2023")
    group = form.indicators.get(name="预算执行")
    indicator = target_indicator_add(
        form=form,
        parent=group,
        level=IndicatorLevel.LEVEL3,
        name="新增指标",
        value="≥95%",
        half_year_value="≥40%",
    )
    assert (indicator.half_year_comparator, indicator.half_year_number) == ("≥", 40)


def test_a_project_form_without_a_project_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        target_form_create(
            code="orphan",
            layout="project",
            year=2021,
            organisation=Organisation.objects.get(code="sz-bmfw"),
        )
    assert "项目绩效目标表须关联项目；部门整体绩效目标表须关联单位。" in _messages(
        error.value
    )
    assert not TargetForm.objects.filter(code="orphan").exists()


def test_target_values_on_a_group_row_are_refused_by_the_database() -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetIndicator.objects.create(
            form=form, level=IndicatorLevel.LEVEL1, name="产出", value_text="100%"
        )


def test_an_unknown_level_is_refused_by_the_database() -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    root = form.indicators.get(name="产出指标")
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetIndicator.objects.create(
            form=form, parent=root, level="level4", name="四级"
        )

"""Every model has an admin page; a whole target form or budget year edits on one page."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from budgets.models import BudgetYear, DepartmentBudget, Project
from targets.models import TargetForm

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "budgets", "targets", "evaluations")


@pytest.fixture
def staff_client(client: Client) -> Client:
    user = User.objects.create_superuser(
        "admin", "admin@example.com", "pw-for-tests-only"
    )
    client.force_login(user)
    return client


def test_every_model_of_our_apps_is_registered_in_the_admin() -> None:
    models = [m for name in OUR_APPS for m in apps.get_app_config(name).get_models()]
    unregistered = [m.__name__ for m in models if not admin.site.is_registered(m)]
    assert unregistered == []


@pytest.mark.parametrize(
    "model", [m for name in OUR_APPS for m in apps.get_app_config(name).get_models()]
)
def test_every_changelist_opens_in_chinese(staff_client: Client, model: type) -> None:
    meta = model._meta  # type: ignore[attr-defined]
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"


def test_target_form_page_holds_every_indicator_inline(staff_client: Client) -> None:
    form = TargetForm.objects.get(code="suzhou-2023")
    response = staff_client.get(
        reverse("admin:targets_targetform_change", args=[form.pk])
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.total_form_count() == form.indicators.count() == 79
    content = response.content.decode()
    assert "劳动合同制座席人员数量" in content
    assert "≤114人" in content


def test_budget_year_page_holds_lines_and_detail_tables(staff_client: Client) -> None:
    budget_year = BudgetYear.objects.get(project__code="tianjin-2020", year=2020)
    response = staff_client.get(
        reverse("admin:budgets_budgetyear_change", args=[budget_year.pk])
    )
    assert response.status_code == 200
    counts = [
        f.formset.total_form_count() for f in response.context["inline_admin_formsets"]
    ]
    assert counts == [3, 0, 11, 12]  # lines, sub-projects, payroll, goods and services


def test_filters_by_year_and_city_narrow_the_lists(staff_client: Client) -> None:
    url = reverse("admin:targets_targetform_changelist")
    response = staff_client.get(url, {"year": "2023"})
    assert [f.code for f in response.context["cl"].result_list] == [
        "panjin-2023",
        "suzhou-2023",
    ]
    url = reverse("admin:budgets_project_changelist")
    response = staff_client.get(url, {"department__city": "天津市"})
    assert [p.code for p in response.context["cl"].result_list] == ["tianjin-2020"]
    assert Project.objects.count() == 3
    assert DepartmentBudget.objects.count() == 1


def test_editing_a_value_in_the_admin_reparses_it(staff_client: Client) -> None:
    form = TargetForm.objects.get(code="tianjin-2020")
    leaf = form.indicators.get(name="接通率")
    url = reverse("admin:targets_targetindicator_change", args=[leaf.pk])
    response = staff_client.post(
        url,
        {
            "parent": leaf.parent_id,
            "level": leaf.level,
            "position": leaf.position,
            "name": leaf.name,
            "value_text": "≥95%",
            "half_year_text": "",
        },
    )
    assert response.status_code == 302
    leaf.refresh_from_db()
    assert (
        leaf.value_text,
        leaf.value_comparator,
        leaf.value_number,
        leaf.value_unit,
    ) == (
        "≥95%",
        "≥",
        95,
        "%",
    )


def test_a_whole_evaluation_edits_on_one_page(staff_client: Client) -> None:
    from evaluations.models import Evaluation

    evaluation = Evaluation.objects.get(code="tianjin-2020")
    response = staff_client.get(
        reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])
    )
    assert response.status_code == 200
    counts = [
        f.formset.total_form_count() for f in response.context["inline_admin_formsets"]
    ]
    assert counts == [evaluation.indicators.count(), 4, 4]

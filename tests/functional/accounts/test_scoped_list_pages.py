"""List pages show only the rows the user's role permits (accounts.scoping)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import ExpertAssignment, Membership, Role
from budgets.models import Organisation
from evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def client(organisation: str, role: str) -> Client:
    user = User.objects.create_user(f"{organisation}-{role}")
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code=organisation), role=role
    )
    if role == Role.EXPERT:
        ExpertAssignment.objects.create(
            user=user, evaluation=Evaluation.objects.get(code="panjin-2023")
        )
    c = Client()
    c.force_login(user)
    return c


def links(c: Client, url: str, prefix: str) -> list[str]:
    html = c.get(url).content.decode()
    found = re.findall(rf'href="{prefix}([a-z0-9-]+/(?:\d+/)?)"', html)
    return [link for link in found if link != "new/"]


@pytest.mark.parametrize(
    ("organisation", "role", "forms", "budgets"),
    [
        ("tj-czj", Role.FINANCE, ["tianjin-2020/"], ["tianjin-2020/2020/"]),
        ("tj-zwfw", Role.DEPARTMENT, ["tianjin-2020/"], ["tianjin-2020/2020/"]),
        ("tj-8890", Role.UNIT, ["tianjin-2020/"], ["tianjin-2020/2020/"]),
        ("sz-bmfw", Role.UNIT, ["suzhou-2023/"], []),
        ("pj-czj", Role.FINANCE, ["panjin-2023/"], ["panjin-2023/2023/"]),
        ("tj-evaluator", Role.EVALUATOR, [], []),
        ("tj-czj", Role.EXPERT, [], []),
        (
            "tj-czj",
            Role.ADMINISTRATOR,
            ["panjin-2023/", "suzhou-2023/", "tianjin-2020/", "shanghai-2019/"],
            ["panjin-2023/2023/", "tianjin-2020/2020/", "shanghai-2019/2019/"],
        ),
    ],
)
def test_lists_show_only_permitted_rows(
    organisation: str, role: str, forms: list[str], budgets: list[str]
) -> None:
    c = client(organisation, role)
    assert links(c, "/targets/", "/targets/") == forms
    assert links(c, "/budgets/", "/budgets/") == budgets


def test_experts_see_only_the_evaluations_assigned_to_them() -> None:
    c = client("tj-czj", Role.EXPERT)
    html = c.get("/evaluations/").content.decode()
    assert re.findall(r'href="/evaluations/([a-z0-9-]+)/"', html) == ["panjin-2023"]


def test_projects_dashboard_compares_only_visible_projects() -> None:
    c = client("tj-czj", Role.FINANCE)
    html = c.get("/dashboards/projects/?year=2020").content.decode()
    assert "天津市便民专线服务中心运行经费" in html
    assert "12345热线平台运营及人员外包" not in html

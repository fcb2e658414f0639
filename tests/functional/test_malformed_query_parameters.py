"""A malformed query parameter is ignored, never a server error: '²' is a digit to
``str.isdigit`` but not a number to ``int``, and full-width digits are numbers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

LISTS = [
    "/targets/",
    "/budgets/",
    "/evaluations/",
    "/dashboards/projects/",
    "/operations/monitoring/",
    "/comparisons/",
    "/comparisons/export.xlsx",
    "/overview/",
    "/overview/export/",
]


@pytest.fixture
def admin(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("params-admin"))
    return client


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        "year=²&page=²",
        "year=-1&page=-1&sort=-",
        "year=99999999999999999999&page=99999999999999999999",
        "year=2020&status=%00&q=%25%27%22",
        "year=%00&kpi=%00%27",
    ],
)
def test_a_malformed_parameter_shows_the_list(
    admin: Client, url: str, query: str
) -> None:
    assert admin.get(f"{url}?{query}").status_code == 200


@pytest.mark.parametrize("url", ["/targets/", "/evaluations/"])
def test_full_width_digits_are_a_year(admin: Client, url: str) -> None:
    html = admin.get(f"{url}?year=２０２０").content.decode()
    assert "2020" in html and "2023" not in html.split("<tbody>")[1]

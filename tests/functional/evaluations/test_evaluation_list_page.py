"""The list of evaluations filters by year, kind, status and title, sorts, and ignores a
malformed filter rather than failing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("list-admin"))
    return client


def codes(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/evaluations/{query}")
    assert response.status_code == 200
    table = response.content.decode().split('id="evaluation-list"')[1]
    return re.findall(r'href="/evaluations/([\w-]+)/"', table.split("</table>")[0])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["panjin-2023", "tianjin-2020"]),  # newest year first
        ("?sort=year", ["tianjin-2020", "panjin-2023"]),
        ("?year=2020", ["tianjin-2020"]),
        ("?kind=third_party", ["tianjin-2020"]),
        ("?kind=department&status=draft", ["panjin-2023"]),
        ("?status=submitted", []),
        ("?q=12345热线", ["panjin-2023"]),
        (
            "?year=二〇二〇&kind=bogus&status=x&sort=nonsense",
            ["panjin-2023", "tianjin-2020"],
        ),
    ],
)
def test_filters_and_sorts(admin: Client, query: str, expected: list[str]) -> None:
    assert codes(admin, query) == expected


def test_the_filters_keep_their_values_on_the_page(admin: Client) -> None:
    html = admin.get("/evaluations/?year=2023&q=热线&kind=department").content.decode()
    assert 'name="year" value="2023"' in html
    assert 'name="q" value="热线"' in html
    assert '<option value="department" selected>' in html

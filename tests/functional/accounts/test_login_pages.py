"""Failed logins are throttled (django-axes) with a Chinese message; every page carries a
Content Security Policy without inline scripts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


def test_fifth_failed_login_locks_the_account_with_a_chinese_message() -> None:
    User.objects.create_user("clerk", password="correct-horse-battery")
    client = Client()
    statuses = [
        client.post(
            "/accounts/login/", {"username": "clerk", "password": "wrong"}
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(
        "/accounts/login/", {"username": "clerk", "password": "correct-horse-battery"}
    )
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "登录失败次数过多，该账号已锁定一小时" in text
    assert "_auth_user_id" not in client.session


def test_a_correct_password_before_the_limit_logs_in() -> None:
    User.objects.create_user("clerk", password="correct-horse-battery")
    client = Client()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "clerk", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_pages_carry_a_content_security_policy_without_inline_scripts() -> None:
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(([*part.split(" ", 1), ""])[:2] for part in policy.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/targets/",
        "/targets/tianjin-2020/",
        "/targets/tianjin-2020/monitoring/",
        "/budgets/tianjin-2020/2020/",
        "/dashboards/projects/",
        "/dashboards/units/tj-8890/",
    ],
)
def test_pages_have_no_inline_script(admin_client: Client, path: str) -> None:
    html = admin_client.get(path).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert all("src=" in attrs and body.strip() == "" for attrs, body in scripts)
    assert re.search(r"\son[a-z]+=", html) is None  # no inline event handlers

"""create_demo_user: local demo accounts only. Production refuses it; a weak password is
refused by Django's validators; an existing account keeps its password unless asked."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from accounts.models import Membership
from evaluations.management.commands.create_demo_user import (
    DEMO_PASSWORD,
    DEMO_USERNAMES,
)

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_demo_user", *args, stdout=out)
    return out.getvalue()


def test_creates_every_demo_account_with_the_demo_password() -> None:
    output = run()
    users = User.objects.filter(username__in=DEMO_USERNAMES)
    assert sorted(users.values_list("username", flat=True)) == sorted(DEMO_USERNAMES)
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    assert User.objects.get(username="demo").is_superuser
    assert Membership.objects.get(user__username="tj-finance").organisation.code == (
        "tj-czj"
    )
    assert (
        f"  tj-finance（财政局工作人员，天津市财政局）  密码 {DEMO_PASSWORD}"
        in output.splitlines()
    )


def test_refused_under_production_settings(settings: Any) -> None:
    settings.HOTLINE_PERF_PRODUCTION = True
    with pytest.raises(CommandError) as refused:
        run()
    assert str(refused.value) == (
        "生产环境不能创建演示账号：它们的密码是公开的。请在管理后台为真实用户建账号。"
    )
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("1", "此密码太短，至少要包含 8 个字符。 这个密码太常见了。 密码只包含数字。"),
        ("password", "这个密码太常见了。"),
        ("8271649305", "密码只包含数字。"),
    ],
)
def test_a_weak_password_is_refused_and_nothing_is_created(
    password: str, reason: str
) -> None:
    with pytest.raises(CommandError) as refused:
        run("--password", password)
    assert str(refused.value) == f"密码不可用（账号 demo）：{reason}"
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()


def test_an_existing_accounts_password_is_kept() -> None:
    User.objects.create_user("tj-finance", password="the-clerks-own-2026")
    output = run()
    assert User.objects.get(username="tj-finance").check_password("the-clerks-own-2026")
    assert "tj-finance（" in output
    line = next(line for line in output.splitlines() if "tj-finance（" in line)
    assert line.endswith("已有账号，密码未改")


def test_reset_passwords_is_explicit() -> None:
    User.objects.create_user("tj-finance", password="the-clerks-own-2026")
    run("--reset-passwords", "--password", "another-demo-2027")
    assert User.objects.get(username="tj-finance").check_password("another-demo-2027")

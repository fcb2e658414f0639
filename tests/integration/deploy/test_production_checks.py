"""Production refuses to start with a bad configuration, one clear message each
(core/checks.py), and only production: the same settings elsewhere say nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError

from core.checks import refuse_misconfigured_production

STRONG_KEY = "k7Hq2-vN9xR4tLp8Zs1WcYb6Jd3MfGa5Ue0Oi_TnQrXyVwEhBj"  # 51 characters


@pytest.fixture
def production(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A good production configuration: every check passes."""
    settings.HOTLINE_PERF_PRODUCTION = True
    settings.SECRET_KEY = STRONG_KEY
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(
        settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql"
    )
    return settings


def messages(*, database: bool = False) -> list[tuple[str, str]]:
    return [
        (str(message.id), message.msg)
        for message in run_checks(
            tags=["production"], databases=["default"] if database else []
        )
    ]


@pytest.mark.django_db
def test_a_good_configuration_passes(production: Any) -> None:
    assert messages(database=True) == []


def test_no_secret_key(production: Any) -> None:
    production.SECRET_KEY = ""
    assert messages() == [
        ("hotline_perf.E001", "DJANGO_SECRET_KEY 未设置：生产环境必须有自己的密钥。")
    ]


@pytest.mark.parametrize(
    "weak",
    [
        "x",
        "a" * 60,  # long, one character
        STRONG_KEY[:49],  # one short of Django's 50
        "django-insecure-" + STRONG_KEY,
    ],
)
def test_a_weak_secret_key(production: Any, weak: str) -> None:
    production.SECRET_KEY = weak
    assert messages() == [
        (
            "hotline_perf.E002",
            "DJANGO_SECRET_KEY 太弱：至少 50 个字符、5 种不同字符，且不以 django-insecure- 开头。",
        )
    ]


def test_sqlite_in_production(production: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        production.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3"
    )
    assert messages() == [
        (
            "hotline_perf.E003",
            "生产环境须使用 PostgreSQL，当前数据库是 sqlite3（DATABASE_URL 未设置或不是 postgres://）。",
        )
    ]


@pytest.mark.django_db
def test_an_empty_database_url_is_one_message(
    production: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``DATABASE_URL=`` (empty) leaves no engine at all: one message, the database
    checks do not try to connect."""
    monkeypatch.delitem(production.DATABASES["default"], "ENGINE")
    assert messages(database=True) == [
        (
            "hotline_perf.E003",
            "生产环境须使用 PostgreSQL，当前数据库是 未配置（DATABASE_URL 未设置或不是 postgres://）。",
        )
    ]


def test_unwritable_media_root(production: Any, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("in the way")
    production.MEDIA_ROOT = tmp_path / "a-file" / "media"
    [(check_id, message)] = messages()
    assert check_id == "hotline_perf.E004"
    assert message == (
        f"上传与生成文件的目录 {tmp_path / 'a-file' / 'media'} 不可写（Not a directory）。"
    )


def test_a_missing_media_root_is_created(production: Any, tmp_path: Path) -> None:
    production.MEDIA_ROOT = tmp_path / "new" / "media"
    assert messages() == []
    assert (tmp_path / "new" / "media").is_dir()


def test_media_root_is_not_checked_for_a_bucket(
    production: Any, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("in the way")
    production.MEDIA_ROOT = tmp_path / "a-file" / "media"
    production.STORAGES = {
        **production.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    assert messages() == []


@pytest.mark.django_db
def test_demo_accounts_present(production: Any) -> None:
    User.objects.create_user("tj-finance", password="x" * 12)
    User.objects.create_user("demo", password="x" * 12)
    User.objects.create_user("tj-centre", password="x" * 12, is_active=False)
    User.objects.create_user("finance-wang", password="x" * 12)
    assert messages(database=True) == [
        ("hotline_perf.E006", "数据库中有演示账号（公开密码）：demo、tj-finance。")
    ]
    # Without the database, as the WSGI guard runs, the check is not run at all.
    assert messages() == []


@pytest.mark.django_db
def test_unreachable_database(production: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    class Introspection:
        def table_names(self) -> list[str]:
            raise OperationalError('connection to server at "127.0.0.1" refused\nmore')

    class Connection:
        introspection = Introspection()

    monkeypatch.setattr("evaluations.checks.connections", {"default": Connection()})
    assert messages(database=True) == [
        (
            "hotline_perf.E005",
            '无法连接数据库：connection to server at "127.0.0.1" refused',
        )
    ]


def test_outside_production_nothing_is_refused(settings: Any) -> None:
    settings.HOTLINE_PERF_PRODUCTION = False
    settings.SECRET_KEY = "x"
    assert messages() == []


def test_the_wsgi_guard_names_every_error(production: Any) -> None:
    production.SECRET_KEY = "x"
    with pytest.raises(ImproperlyConfigured) as refused:
        refuse_misconfigured_production()
    assert str(refused.value) == (
        "配置错误，未启动：\n"
        "  ?: (hotline_perf.E002) DJANGO_SECRET_KEY 太弱：至少 50 个字符、5 种不同字符，"
        "且不以 django-insecure- 开头。\n"
        "\tHINT: 生成一个：python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

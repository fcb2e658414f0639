"""What production refuses to start with, as Django system checks.

Under ``settings.prod`` (``HOTLINE_PERF_PRODUCTION = True``) each bad configuration is one
error with one clear message: no secret key, a weak one (Django's own rule for
``security.W009``: at least 50 characters, 5 different, not ``django-insecure-``), a
database that is not PostgreSQL, a media root the process cannot write, and — a check that
needs the database, so it runs with ``check --database default`` and is registered by the app
that makes them (evaluations/checks.py) — the demo accounts of ``create_demo_user`` (public
password) present. Errors stop ``migrate``, ``runserver``,
``check`` and ``scripts/serve``; ``hotline_perf.wsgi`` refuses to load with them too (the
checks that need no database), so a web server started by hand stops as well. In every
other environment these checks say nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

PRODUCTION = "production"


def secret_key_is_strong(secret_key: str) -> bool:
    """Django's rule for ``security.W009``, which production makes an error."""
    return (
        len(secret_key) >= SECRET_KEY_MIN_LENGTH
        and len(set(secret_key)) >= SECRET_KEY_MIN_UNIQUE_CHARACTERS
        and not secret_key.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


def in_production() -> bool:
    return bool(getattr(settings, "HOTLINE_PERF_PRODUCTION", False))


@register(PRODUCTION)
def check_secret_key(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    if not in_production():
        return []
    try:
        secret_key = str(settings.SECRET_KEY)
    except ImproperlyConfigured:
        secret_key = ""
    if not secret_key:
        return [
            Error(
                "DJANGO_SECRET_KEY 未设置：生产环境必须有自己的密钥。",
                hint="生成一个：python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="hotline_perf.E001",
            )
        ]
    if not secret_key_is_strong(secret_key):
        return [
            Error(
                "DJANGO_SECRET_KEY 太弱：至少 50 个字符、5 种不同字符，"
                "且不以 django-insecure- 开头。",
                hint="生成一个：python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="hotline_perf.E002",
            )
        ]
    return []


def database_is_postgresql() -> bool:
    engine = settings.DATABASES["default"].get("ENGINE", "")
    return engine == "django.db.backends.postgresql"


@register(PRODUCTION)
def checkdatabase_is_postgresql(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    if not in_production():
        return []
    if database_is_postgresql():
        return []
    engine = str(settings.DATABASES["default"].get("ENGINE", ""))
    current = engine.rsplit(".", 1)[-1] if engine else "未配置"
    return [
        Error(
            f"生产环境须使用 PostgreSQL，当前数据库是 {current}"
            "（DATABASE_URL 未设置或不是 postgres://）。",
            hint="设置 DATABASE_URL=postgres://用户:密码@主机:5432/库名",
            id="hotline_perf.E003",
        )
    ]


def media_root_problem(media_root: Path) -> str:
    """Why files cannot be stored under ``media_root`` ("" when they can): the folder is
    created if missing, then a file is written and removed in it."""
    try:
        media_root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=media_root, prefix=".write-test-"):
            pass
    except OSError as error:
        return error.strerror or type(error).__name__
    return ""


def stored_files_are_local() -> bool:
    """Whether stored files live in MEDIA_ROOT (not in an S3 bucket: settings/storage.py)."""
    backend = str(settings.STORAGES["default"]["BACKEND"])
    return backend == "django.core.files.storage.FileSystemStorage"


@register(PRODUCTION)
def check_media_root_writable(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    if not in_production() or not stored_files_are_local():
        return []
    media_root = Path(settings.MEDIA_ROOT)
    problem = media_root_problem(media_root)
    if not problem:
        return []
    return [
        Error(
            f"上传与生成文件的目录 {media_root} 不可写（{problem}）。",
            hint="设置 HOTLINE_PERF_MEDIA_ROOT 为运行服务的用户可写的目录。",
            id="hotline_perf.E004",
        )
    ]


def refuse_misconfigured_production() -> None:
    """Raise ``ImproperlyConfigured`` naming every production error that needs no database
    (for ``hotline_perf.wsgi``: a web server started without ``scripts/serve``)."""
    if not in_production():
        return
    from django.core.checks import run_checks

    errors = [
        message
        for message in run_checks(tags=[PRODUCTION], databases=[])
        if message.is_serious()
    ]
    if errors:
        raise ImproperlyConfigured(
            "配置错误，未启动：\n" + "\n".join(f"  {error}" for error in errors)
        )

"""Production refuses to start while a demo account of ``create_demo_user`` (public
password) is active: a check that needs the database (``check --database default``), with
the production refusals of core/checks.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError, connections

from core.checks import PRODUCTION, database_is_postgresql, in_production
from evaluations.management.commands.create_demo_user import DEMO_USERNAMES


@register(PRODUCTION, Tags.database)
def check_no_demo_accounts(
    app_configs: Sequence[AppConfig] | None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    if not in_production() or not databases or "default" not in databases:
        return []
    if not database_is_postgresql():
        return []  # refused already (E003), and possibly no database to ask at all
    user_model = get_user_model()
    try:
        if (
            user_model._meta.db_table
            not in connections["default"].introspection.table_names()
        ):
            return []  # a database not migrated yet has no accounts at all
        present = sorted(
            user_model.objects.filter(
                username__in=DEMO_USERNAMES, is_active=True
            ).values_list("username", flat=True)
        )
    except DatabaseError as error:
        return [
            Error(
                f"无法连接数据库：{str(error).strip().splitlines()[0]}",
                hint="检查 DATABASE_URL 与 PostgreSQL 服务。",
                id="hotline_perf.E005",
            )
        ]
    if not present:
        return []
    return [
        Error(
            f"数据库中有演示账号（公开密码）：{'、'.join(present)}。",
            hint="在管理后台删除或停用这些账号后再启动。",
            id="hotline_perf.E006",
        )
    ]

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "hotline-demo-2026"


class Command(BaseCommand):
    help = "创建（或重置）本地演示用的管理员账号，并打印登录信息。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default=DEMO_USERNAME)
        parser.add_argument(
            "--password",
            default=os.environ.get("HOTLINE_PERF_DEMO_PASSWORD", DEMO_PASSWORD),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        user, _created = user_model.objects.get_or_create(username=options["username"])
        user.is_staff = user.is_superuser = True
        user.set_password(options["password"])
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"演示账号：用户名 {options['username']}  密码 {options['password']}  "
                "→ http://127.0.0.1:8000/admin/"
            )
        )

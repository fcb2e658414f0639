from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from api.forms import MAX_DAYS
from api.services import api_token_create


class Command(BaseCommand):
    help = "为一个用户创建个人 API 令牌并打印（只打印这一次；库中只存摘要）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", default="命令行创建", help="令牌名称")
        parser.add_argument(
            "--days", type=int, default=30, help=f"有效天数（1–{MAX_DAYS}）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["days"] <= MAX_DAYS:
            raise CommandError(f"有效天数应在 1 到 {MAX_DAYS} 之间")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为 {options['username']} 的用户")
        try:
            created = api_token_create(
                user=user,
                name=options["name"],
                expires_at=timezone.now() + timedelta(days=options["days"]),
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(created.key)

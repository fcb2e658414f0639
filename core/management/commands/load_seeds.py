from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.seeding import SeedError, SeedsAlreadyLoaded, seeds_load


class Command(BaseCommand):
    help = "加载五份种子文件（fixtures/）：组织、项目、预算、绩效目标表和指标库。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--replace", action="store_true", help="先删除已加载的种子数据再重新加载"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="已加载时不报错，直接跳过"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="校验并回滚，不写入数据库"
        )
        parser.add_argument(
            "--as-drafts",
            action="store_true",
            help="绩效目标表一律作为草稿加载（默认：来源文件表明已审核通过的，加载为已通过）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                report = seeds_load(
                    replace=options["replace"], approve=not options["as_drafts"]
                )
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except SeedsAlreadyLoaded as exc:
            if options["if_empty"]:
                self.stdout.write("种子数据已加载，跳过。")
                return
            raise CommandError(str(exc)) from exc
        except (SeedError, ValidationError) as exc:
            raise CommandError(f"种子数据未加载（未做任何更改）：{exc}") from exc
        prefix = "校验通过（未写入）" if options["dry_run"] else "已加载"
        # each app says what it loaded, in layer order (core/seeding.py)
        self.stdout.write(self.style.SUCCESS(f"{prefix}：{'、'.join(report.parts)}。"))

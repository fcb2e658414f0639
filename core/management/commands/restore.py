from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import (
    ArchiveError,
    DatabaseBackupError,
    RestoreFilesError,
    RestorePlan,
    backup_restore,
    restore_check,
)


def _warning(plan: RestorePlan) -> str:
    manifest = plan.manifest
    lines = [
        f"备份 {plan.archive}（{manifest.created_at} 创建，已校验：清单、格式版本和 "
        f"{len(manifest.files) + 1} 个成员的 SHA-256 均无误）。",
        "恢复将用备份中的内容替换现有的数据库和文件：",
        f"  - {plan.database}：其中现有的全部数据将被删除，换成备份时的数据；",
        f"  - {plan.storage}：写回备份中的 {len(manifest.files)} 个文件，"
        f"删除备份中没有的 {len(plan.removed_files)} 个文件。",
        "恢复前请先停止网站和任务进程（db_worker）。",
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "从 manage.py backup 生成的备份文件恢复：先完整校验（清单、格式版本、每个成员的 "
        "SHA-256），再替换数据库和所有存储的文件。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="备份文件（manage.py backup -o 生成的）")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="不询问确认，直接恢复",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只校验备份并说明将替换什么，不做更改",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = restore_check(archive=Path(options["archive"]))
        except ArchiveError as exc:
            problems = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(f"备份文件不能恢复，未做任何更改：\n{problems}") from exc
        except DatabaseBackupError as exc:
            raise CommandError(f"{exc}（未做任何更改）") from exc
        self.stdout.write(_warning(plan))
        if options["dry_run"]:
            self.stdout.write("校验通过（--dry-run：未做任何更改）。")
            return
        if options["interactive"]:
            answer = input("输入 yes 继续恢复，其他任何输入取消：")
            if answer.strip() != "yes":
                raise CommandError("已取消，未做任何更改。")
        try:
            backup_restore(plan=plan)
        except (ArchiveError, DatabaseBackupError) as exc:
            raise CommandError(f"恢复失败，未做任何更改：{exc}") from exc
        except RestoreFilesError as exc:
            raise CommandError(
                f"数据库已恢复，但写回文件时出错：{exc}。请解决后重新运行恢复。"
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复：数据库和 {len(plan.manifest.files)} 个文件；"
                f"删除了 {len(plan.removed_files)} 个备份中没有的文件。"
            )
        )
        if plan.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"备份早于当前程序（缺少 {len(plan.pending_migrations)} 个数据库迁移）："
                    "请运行 manage.py migrate。"
                )
            )

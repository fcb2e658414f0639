from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import DatabaseBackupError, backup_create, inside_storage
from core.backup.archive import VENDOR_NAMES


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count} 字节"


class Command(BaseCommand):
    help = (
        "备份全部数据：数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份）和所有存储的文件"
        "（运行数据原件、佐证材料、生成的文档），写成一个带 SHA-256 清单的 tar 文件。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, help="备份文件，如 backup-2026-12-04.tar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"目录 {output.parent} 不存在")
        if inside_storage(output):
            raise CommandError(f"备份文件 {output} 不能放在存储文件的目录之内")
        try:
            manifest = backup_create(output=output)
        except (DatabaseBackupError, OSError) as exc:
            raise CommandError(f"备份失败（未生成备份文件）：{exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {output}：数据库（{VENDOR_NAMES[manifest.vendor]} "
                f"{manifest.server_version}，{_size(manifest.database.size)}）和 "
                f"{len(manifest.files)} 个文件（{_size(manifest.files_size)}）。"
            )
        )

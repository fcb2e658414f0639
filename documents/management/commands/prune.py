"""``manage.py prune``: rendered files no longer current, expired sessions, finished task
results and dead workers' rows, older than the retention age (``documents.retention``)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.leases import worker_settings
from documents.retention import prune


class Command(BaseCommand):
    help = (
        "Delete rendered files no longer current (never a submitted or approved "
        "version's), expired sessions and finished task results older than the "
        "retention age."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            help="Retention age in days (default: DOCUMENTS_WORKERS['retention_days']).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only list what would be deleted.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than_days"]
        age = worker_settings().retention if days is None else timedelta(days=days)
        if age < timedelta(days=1):
            raise CommandError("保留天数至少为 1 天。")
        dry_run = options["dry_run"]
        report = prune(older_than=age, dry_run=dry_run)
        verb = "将删除" if dry_run else "已删除"
        for name in report.files_removed:
            self.stdout.write(f"{verb}文件 {name}")
        self.stdout.write(
            f"{verb}：{len(report.files_removed)} 个生成文件（{report.jobs_removed} 条生成"
            f"记录）、{report.sessions_removed} 个过期会话、"
            f"{report.task_results_removed} 条已完成任务记录、"
            f"{report.heartbeats_removed} 条任务进程心跳；保留 "
            f"{len(report.files_kept_current)} 个当前文件、"
            f"{len(report.files_kept_frozen)} 个已提交或已审核版本的文件"
            f"（保留期 {age.days} 天）。"
        )

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from evaluations.services import evaluation_snapshots_take_missing
from targets.services import target_form_snapshots_take_missing


class Command(BaseCommand):
    help = (
        "为没有快照的已提交绩效评价和已审核通过的绩效目标表生成快照（按现有数据），"
        "此后报告、导出文件和页面按快照显示。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将生成快照的对象，不写入"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            evaluations = evaluation_snapshots_take_missing()
            forms = target_form_snapshots_take_missing()
            if options["dry_run"]:
                transaction.set_rollback(True)
        verb = "将生成" if options["dry_run"] else "已生成"
        for code in evaluations:
            self.stdout.write(f"{verb}快照：绩效评价 {code}")
        for code in forms:
            self.stdout.write(f"{verb}快照：绩效目标表 {code}")
        self.stdout.write(
            f"{verb} {len(evaluations)} 项绩效评价、{len(forms)} 张绩效目标表的快照。"
        )

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from budgets.models import Organisation
from operations.services import operating_data_import


class Command(BaseCommand):
    help = (
        "导入热线运行数据文件（.xlsx 或 .csv，按填报模板），与网页上传同一流程："
        "先校验，全部无误才一次性导入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="运行数据文件")
        parser.add_argument(
            "--organisation", required=True, help="填报单位的代码或全称（如 tj-8890）"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只校验，不写入任何数据"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}") from error
        key = options["organisation"].strip()
        try:
            organisation = Organisation.objects.get(Q(code=key) | Q(name=key))
        except Organisation.DoesNotExist:
            raise CommandError(f"找不到单位“{key}”（请填写单位代码或全称）") from None
        outcome = operating_data_import(
            organisation=organisation,
            name=path.name,
            content=content,
            dry_run=options["dry_run"],
        )
        if not outcome.ok:
            for problem in outcome.problems:
                where = f"第 {problem.row} 行" if problem.row else "整个文件"
                if problem.column:
                    where += f" {problem.column} 列"
                self.stderr.write(f"{where}：{problem.message}")
            raise CommandError(
                f"未导入（数据未作任何更改）：发现 {len(outcome.problems)} 处错误"
            )
        prefix = "校验通过（未写入）" if options["dry_run"] else "已导入"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}：{organisation.name}，{outcome.rows_total} 行，"
                f"新增 {outcome.created}、更新 {outcome.updated}、"
                f"未变化 {len(outcome.unchanged)}、未填数值 {len(outcome.blank_rows)}。"
            )
        )

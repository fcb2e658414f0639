from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluations.models import Evaluation
from evaluations.workbooks import workbook_export


class Command(BaseCommand):
    help = (
        "把一项绩效评价导出为 Excel 工作簿（评分表、评价信息、预算执行、存在问题与建议），"
        "供离线填写后用 import_evaluation 导入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="评价代码，如 panjin-2023")
        parser.add_argument(
            "-o", "--output", required=True, type=Path, help="写入的 .xlsx 文件"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code: str = options["code"]
        output: Path = options["output"]
        try:
            evaluation = Evaluation.objects.select_related("project").get(code=code)
        except Evaluation.DoesNotExist:
            raise CommandError(f"没有代码为 {code} 的绩效评价") from None
        try:
            output.write_bytes(workbook_export(evaluation))
        except OSError as exc:
            raise CommandError(f"无法写入 {output}：{exc.strerror}") from None
        self.stdout.write(f"已导出 {evaluation.title}（{evaluation.code}）→ {output}")

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluations.workbooks import (
    ParsedWorkbook,
    WorkbookRefused,
    evaluation_of_workbook,
    read_workbook,
    scores_import,
    workbook_create,
)


class Command(BaseCommand):
    help = (
        "导入评价工作簿：按“评价信息”的评价代码导入评分表的得分和评分说明（与网页导入相同，"
        "全部成功或全部不导入）；--create 则由工作簿新建一项单位自评，最后一行打印新评价的代码。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="评价工作簿 .xlsx")
        parser.add_argument(
            "--create",
            action="store_true",
            help="由工作簿（项目、年度、预算、指标、得分）新建一项单位自评",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查并列出修改，不写入"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc.strerror}") from None
        try:
            parsed = read_workbook(content)
            if options["create"]:
                self._create(parsed, dry_run=options["dry_run"])
            else:
                self._import(parsed, dry_run=options["dry_run"])
        except WorkbookRefused as exc:
            raise CommandError("\n".join(exc.messages)) from None

    def _import(self, parsed: ParsedWorkbook, *, dry_run: bool) -> None:
        evaluation = evaluation_of_workbook(parsed)
        report = scores_import(evaluation=evaluation, parsed=parsed, dry_run=dry_run)
        if not report.ok:
            raise CommandError("未导入任何数据：\n" + "\n".join(report.errors))
        self.stdout.write(f"{evaluation.title}（{evaluation.code}）")
        for change in report.changes:
            self.stdout.write(
                f"第{change.row}行 {change.indicator} {change.column}："
                f"{change.old} → {change.new}"
            )
        for note in report.notes:
            self.stdout.write(self.style.WARNING(f"未导入：{note}"))
        totals = (
            f"总分 {report.total_before}（{report.grade_before}）→ "
            f"{report.total_after}（{report.grade_after}）"
        )
        if not report.changes:
            self.stdout.write(f"没有修改。{totals}")
        elif dry_run:
            self.stdout.write(f"试运行：{len(report.changes)} 处修改，未写入。{totals}")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"已导入 {len(report.changes)} 处修改。{totals}")
            )

    def _create(self, parsed: ParsedWorkbook, *, dry_run: bool) -> None:
        report = workbook_create(parsed=parsed, dry_run=dry_run)
        if not report.ok:
            raise CommandError("未创建评价：\n" + "\n".join(report.errors))
        budget = "，并按“预算执行”创建了该年度预算" if report.budget_created else ""
        summary = f"{report.indicators} 个三级指标，总分 {report.total}，等级 {report.grade}{budget}"
        if dry_run:
            self.stdout.write(
                f"试运行：将创建单位自评 {report.code}：{summary}；未写入。"
            )
            return
        for note in report.notes:
            self.stdout.write(self.style.WARNING(f"未采用：{note}"))
        assert report.evaluation is not None
        self.stdout.write(
            self.style.SUCCESS(
                f"已创建单位自评“{report.evaluation.title}”：{summary}。"
            )
        )
        self.stdout.write(report.code)

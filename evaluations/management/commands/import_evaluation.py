from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluations.models import EvaluationKind
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
            "--create-project",
            action="store_true",
            help="与 --create 同用：项目代码不存在时，按“评价信息”的项目名称、主管部门、"
            "实施单位新建项目（单位按名称查找，没有则新建）",
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
                self._create(
                    parsed,
                    dry_run=options["dry_run"],
                    create_project=options["create_project"],
                )
            elif options["create_project"]:
                raise CommandError("--create-project 只能与 --create 一起使用。")
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

    def _create(
        self, parsed: ParsedWorkbook, *, dry_run: bool, create_project: bool
    ) -> None:
        report = workbook_create(
            parsed=parsed, dry_run=dry_run, create_project=create_project
        )
        if not report.ok:
            raise CommandError("未创建评价：\n" + "\n".join(report.errors))
        kind = EvaluationKind(report.kind).label
        budget = "，并按“预算执行”创建了该年度预算" if report.budget_created else ""
        summary = (
            f"{report.indicators} 个三级指标，总分 {report.total}，等级 {report.grade}"
        )
        if report.source_total is not None or report.source_grade:
            published = "" if report.source_total is None else f" {report.source_total}"
            grade = f"，等级 {report.source_grade}" if report.source_grade else ""
            summary += f"；公布总分{published}{grade}"
        summary += budget
        if report.created:
            verb = "将新建" if dry_run else "已新建"
            self.stdout.write(f"{verb}：{'、'.join(report.created)}")
        for line in report.defaulted_rules:
            self.stdout.write(f"评分规则按指标值确定：{line}")
        if report.unlisted:
            self.stdout.write(
                f"未列示分值：{report.unlisted} 分（表中一级指标合计 "
                f"{100 - report.unlisted} 分）"
            )
        for flag in report.flags:
            self.stdout.write(self.style.WARNING(f"标记：{flag}"))
        if dry_run:
            self.stdout.write(
                f"试运行：将创建{kind} {report.code}：{summary}；未写入。"
            )
            return
        for note in report.notes:
            self.stdout.write(self.style.WARNING(f"未采用：{note}"))
        assert report.evaluation is not None
        self.stdout.write(
            self.style.SUCCESS(f"已创建{kind}“{report.evaluation.title}”：{summary}。")
        )
        self.stdout.write(report.code)

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from evaluations.models import Framework
from evaluations.services.self_evaluation import self_evaluation_start
from targets.models import TargetForm

DEFAULT_FRAMEWORK = "national-self-evaluation"


class Command(BaseCommand):
    help = (
        "从已审核通过的绩效目标表开始该年度的绩效自评（单位自评），"
        "最后一行打印自评代码。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("form", help="绩效目标表代码，如 tianjin-2020")
        parser.add_argument(
            "--framework",
            default=DEFAULT_FRAMEWORK,
            help=f"自评指标体系代码（默认 {DEFAULT_FRAMEWORK}）",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="校验并回滚，不写入数据库"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            form = TargetForm.objects.get(code=options["form"])
        except TargetForm.DoesNotExist:
            raise CommandError(f"没有代码为 {options['form']} 的绩效目标表") from None
        try:
            framework = Framework.objects.get(code=options["framework"])
        except Framework.DoesNotExist:
            raise CommandError(
                f"没有代码为 {options['framework']} 的评价指标体系"
            ) from None
        try:
            with transaction.atomic():
                evaluation = self_evaluation_start(form=form, framework=framework)
                leaves = evaluation.indicators.filter(children__isnull=True).count()
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        prefix = "校验通过（未写入）：" if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{evaluation.title}：{framework.name}，{leaves} 个计分指标。"
        )
        self.stdout.write(evaluation.code)

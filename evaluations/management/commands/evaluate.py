from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluations.models import Evaluation
from evaluations.scoring import ScoringError
from evaluations.selectors import evaluation_as_dict, evaluation_rows, scored_evaluation


class Command(BaseCommand):
    help = "计算并打印一项绩效评价的评分树（总分、等级、各级得分和得分率、提示）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="评价代码，如 tianjin-2020")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            scored = scored_evaluation(options["code"])
        except Evaluation.DoesNotExist:
            raise CommandError(f"没有代码为 {options['code']} 的绩效评价") from None
        except ScoringError as exc:
            raise CommandError(f"评分失败：{exc}") from exc
        if options["json"]:
            data = evaluation_as_dict(scored)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        result = scored.result
        self.stdout.write(f"{scored.evaluation.title}（{scored.evaluation.code}）")
        self.stdout.write(f"{'指标':<36}{'分值':>8}{'得分':>8}{'得分率':>9}  计算得分")
        for row in evaluation_rows(scored):
            mark = " *" if row.indicator.weight_reconstructed else ""
            name = "  " * row.depth + row.indicator.name + mark
            rate = f"{row.rate}%" if row.rate is not None else "—"
            computed = "" if not row.is_leaf else str(row.computed_score or "—")
            score = "—" if row.score is None else str(row.score)
            self.stdout.write(
                f"{name:<36}{row.indicator.weight:>8}{score:>8}{rate:>9}  {computed}"
            )
        self.stdout.write(f"总分 {result.total}，等级 {result.grade}")
        if any(i.weight_reconstructed for i in scored.indicators):
            self.stdout.write("* 报告未公布该分值，为重构值。")
        for flag in result.flags:
            self.stdout.write(self.style.WARNING(f"提示［{flag.kind}］{flag.message}"))

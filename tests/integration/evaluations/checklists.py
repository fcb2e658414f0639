"""The Tianjin evaluation's 立项依据充分性 scored as a 清单 of five 0.6-point review points,
and the 清单要点 cells a workbook may not hold, with the message each gets: shared by the tests
of the score import and of ``import_evaluation --create``."""

from __future__ import annotations

from evaluations.models import EvaluationIndicator

BAD_POINTS = [
    (
        "立项依据充分性",
        "一、三",
        "第4行“清单要点”列：“一、三”不是评分要点的编号：请填写如 1、3、5，或留空。",
    ),
    (
        "立项依据充分性",
        "2、6",
        "第4行“清单要点”列：该清单只有第 1 至 5 个评分要点。",
    ),
    (
        "立项程序规范性",
        "1",
        "第5行“清单要点”列：该指标不按清单评分，清单要点请留空。",
    ),
]
"""(三级 indicator, 清单要点 cell, the message), the 评分表 rows of the Tianjin workbook."""


def tianjin_checklist(points: list[int]) -> EvaluationIndicator:
    """立项依据充分性 of ``tianjin-2020`` as a 清单, ``points`` ticked (0-based), its
    score the rule's."""
    indicator = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="立项依据充分性"
    )
    indicator.rule_kind = "checklist"
    indicator.rule_params = {
        "points": [{"label": f"要点{i}", "points": "0.6"} for i in range(1, 6)]
    }
    indicator.satisfied_points = points
    indicator.final_score = None
    indicator.reason = ""
    indicator.save()
    return indicator

"""Evaluation pages: the evaluator's scoring page (``scoring``)."""

from __future__ import annotations

from evaluations.views.scoring import (
    evaluation_detail,
    evaluation_list,
    evaluation_submit_view,
    indicator_score_view,
)

__all__ = [
    "evaluation_detail",
    "evaluation_list",
    "evaluation_submit_view",
    "indicator_score_view",
]

"""Evaluation pages: the evaluator's scoring page (``scoring``)."""

from __future__ import annotations

from evaluations.views.evidence import evidence_download, indicator_evidence
from evaluations.views.scoring import (
    evaluation_detail,
    evaluation_list,
    evaluation_submit_view,
    indicator_score_view,
)

__all__ = [
    "evaluation_detail",
    "evidence_download",
    "indicator_evidence",
    "evaluation_list",
    "evaluation_submit_view",
    "indicator_score_view",
]

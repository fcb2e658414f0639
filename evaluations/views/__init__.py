"""Evaluation pages: scoring (``scoring``), evidence, the Excel workbook (``workbooks``)."""

from __future__ import annotations

from evaluations.views.evidence import evidence_download, indicator_evidence
from evaluations.views.report import (
    report_accept_view,
    report_section_view,
    report_sections_view,
    report_start_view,
)
from evaluations.views.scoring import (
    evaluation_detail,
    evaluation_list,
    evaluation_scores_view,
    evaluation_submit_view,
)
from evaluations.views.workbooks import workbook_export_view, workbook_import_view

__all__ = [
    "evaluation_detail",
    "evaluation_list",
    "evaluation_scores_view",
    "evaluation_submit_view",
    "evidence_download",
    "indicator_evidence",
    "report_accept_view",
    "report_section_view",
    "report_sections_view",
    "report_start_view",
    "workbook_export_view",
    "workbook_import_view",
]

"""Evaluation reports (绩效评价报告) as documents, in the structure of seeds 001 and 004.

The report is laid out once, in this package, as a sequence of plain blocks (headings,
paragraphs, numbered lists, tables built with ``kernel.grids``, SVG figures from
``documents.charts`` and the analysis of each indicator); ``templates/reports/
evaluation_report.html`` formats them. ``blocks`` holds the blocks, the figure formatting and
the numbering; ``project`` writes 一、, ``evaluation`` 二、 to 五、, ``costs`` 表3 and 图2;
this module is the document kind and puts the report together. Every figure comes from stored data through code: scores, 得分率, total and grade from
the scoring engine (``evaluations.selectors.evaluation_score``, through
``evaluations.selectors.evaluation_report_data``), budget totals and rates from
``budgets.selectors.budget_year_figures``, the cost table (Tianjin's 表3) from the uploaded
operating data (``operations.selectors.cost_table``, which applies
``kernel.metrics``). A submitted evaluation prints all of these as submitted:
from its snapshot (``evaluations.snapshots``), whatever the live data has become since. Figures are printed as the seed reports print them:
rounded half-up to two places, a whole number without decimals (15, 19.50, 100%, 0%).

Structure: title; opening paragraph (the stored one, completed with the engine's score and
grade when it does not state them); 一、项目基本情况; 二、绩效评价工作开展情况; 三、评价结论及
分析 (表2 and 图1, then every indicator under its 一级/二级 headings, 表3 and 图2 after the
cost group); 四、存在的主要问题; 五、相关建议; signature and date. A heading whose text the
evaluation lacks is left out and the numbering closes up. Weights and scores the published
report does not state (``weight_reconstructed``, ``score_reconstructed``) carry a ※, and
the first one the footnote that explains it.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from documents.evaluation_reports.blocks import (
    CONTENTS_FROM_PAGES,
    FOOTNOTE,
    Block,
    Builder,
    ContentsEntry,
    EvaluationReport,
    FigureBlock,
    Heading,
    IndicatorBlock,
    NumberedList,
    Paragraphs,
    TableBlock,
    chinese_number,
    estimated_pages,
    figure,
    lines_of,
    name_of,
    percent,
)
from documents.evaluation_reports.evaluation import (
    conclusions,
    evaluation_work,
    findings,
    grade_band_sentence,
    indicator_system_sentence,
    recommendations,
    score_sentence,
)
from documents.evaluation_reports.project import basic_information
from documents.kinds import Document
from documents.models import DocumentFormat, DocumentKind
from evaluations.models import Evaluation, EvaluationKind
from evaluations.scoping import evaluations_for
from evaluations.selectors import (
    EvaluationReportData,
    evaluation_figures,
    evaluation_report_data,
    evaluation_snapshot_notes,
)

__all__ = [
    "CONTENTS_FROM_PAGES",
    "FOOTNOTE",
    "Block",
    "ContentsEntry",
    "EvaluationReport",
    "EvaluationReportDocuments",
    "FigureBlock",
    "Heading",
    "IndicatorBlock",
    "NumberedList",
    "Paragraphs",
    "TableBlock",
    "chinese_number",
    "estimated_pages",
    "evaluation_report_document",
    "figure",
    "grade_band_sentence",
    "indicator_system_sentence",
    "percent",
]

TEMPLATE = "reports/evaluation_report.html"


class EvaluationReportDocuments:
    kind: DocumentKind = DocumentKind.EVALUATION_REPORT
    formats: tuple[DocumentFormat, ...] = (DocumentFormat.PDF,)

    def visible(self, user: AbstractBaseUser | AnonymousUser, code: str) -> bool:
        return evaluations_for(user).filter(code=code).exists()

    def build(self, code: str) -> Document:
        return evaluation_report_document(code=code)

    def export(self, document: Document, format: DocumentFormat) -> bytes:
        raise ValueError(f"Evaluation reports have no {format} export.")

    def notes(self, code: str) -> list[str]:
        return evaluation_snapshot_notes(Evaluation.objects.get(code=code))


# --- the document -----------------------------------------------------------------------


def evaluation_report_document(*, code: str) -> Document:
    """Evaluation ``code`` laid out as its report (raises ``Evaluation.DoesNotExist``)."""
    data = evaluation_report_data(code)
    evaluation = data.evaluation
    project = evaluation.project
    subject = project.name if project else name_of(evaluation.organisation)
    # As submitted once the evaluation is submitted (its snapshot), live before.
    figures = evaluation_figures(evaluation)
    builder = Builder()
    basic_information(builder, data, figures.budget)
    evaluation_work(builder, data)
    conclusions(builder, data, figures.costs)
    findings(builder, data)
    recommendations(builder, data)
    blocks = tuple(builder.blocks)
    contents = tuple(
        ContentsEntry(b.level, b.anchor, f"{b.number}{b.text}")
        for b in blocks
        if isinstance(b, Heading) and b.anchor
    )
    opening = _opening(data)
    report = EvaluationReport(
        title=evaluation.title,
        opening=opening,
        blocks=blocks,
        signature=_signature(evaluation),
        date=_date(evaluation),
        contents=(
            contents if estimated_pages(opening, blocks) > CONTENTS_FROM_PAGES else ()
        ),
    )
    return Document(
        kind=DocumentKind.EVALUATION_REPORT,
        code=evaluation.code,
        title=evaluation.title,
        template_name=TEMPLATE,
        context={
            "report": report,
            "running_header": f"{subject}　{evaluation.year}年度绩效评价报告",
        },
    )


def _opening(data: EvaluationReportData) -> tuple[str, ...]:
    """The stored opening; when it does not state the engine's total, the score sentence
    is added (generated alone when there is no stored opening)."""
    stored = lines_of(data.evaluation.opening)
    total = figure(data.scored.result.total)
    if any(re.search(rf"{re.escape(total)}\s*分", line) for line in stored):
        return stored
    return (*stored, score_sentence(data))


def _evaluator_name(evaluation: Evaluation) -> str:
    return evaluation.evaluator_name or name_of(evaluation.evaluator)


def _signature(evaluation: Evaluation) -> tuple[str, ...]:
    lines = []
    if name := _evaluator_name(evaluation):
        role = (
            "评价机构" if evaluation.kind == EvaluationKind.THIRD_PARTY else "评价单位"
        )
        lines.append(f"{role}：{name}")
    if evaluation.commissioned_by is not None:
        lines.append(f"委托单位：{evaluation.commissioned_by.name}")
    return tuple(lines)


def _date(evaluation: Evaluation) -> str:
    day = evaluation.report_date
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"

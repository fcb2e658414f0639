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
    TextBlock,
    chinese_number,
    estimated_pages,
    figure,
    name_of,
    percent,
)
from documents.evaluation_reports.sections import lay_out
from documents.kinds import Document
from documents.models import DocumentFormat, DocumentKind
from evaluations.models import Evaluation
from evaluations.reports.context import evaluated_unit, report_context
from evaluations.reports.template import report_sections
from evaluations.scoping import evaluations_for
from evaluations.selectors import evaluation_snapshot_notes
from records.selectors import report_appendix

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
    "TextBlock",
    "chinese_number",
    "estimated_pages",
    "evaluation_report_document",
    "figure",
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
    """Evaluation ``code`` laid out as its report (raises ``Evaluation.DoesNotExist``):
    its sections as the evaluator wrote them (the template's before they start), the data
    placed where the sections say."""
    context = report_context(code)
    evaluation = context.evaluation
    project = evaluation.project
    subject = project.name if project else name_of(evaluation.organisation)
    unit = evaluated_unit(evaluation)
    builder = Builder()
    laid = lay_out(builder, context, report_sections(context))
    blocks = tuple(builder.blocks)
    contents = tuple(
        ContentsEntry(b.level, b.anchor, f"{b.number}{b.text}")
        for b in blocks
        if isinstance(b, Heading) and b.anchor
    )
    opening = tuple(laid.opening)
    report = EvaluationReport(
        title=evaluation.title,
        opening=opening,
        blocks=blocks,
        signature=tuple(laid.signature),
        date="",
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
            # 数据核验情况 (issue 16): only when the year's hotline records are stored
            "data_verification": (
                report_appendix(organisation=unit, year=evaluation.year)
                if unit is not None
                else None
            ),
        },
    )

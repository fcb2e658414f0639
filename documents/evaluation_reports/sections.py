"""The report's sections laid out as blocks: each heading as the evaluator typed it, each
paragraph with its ``{{figures}}`` computed from the data, and each ``[[…]]`` placement
replaced by the table, figure or indicator paragraph built from the data
(``evaluations.reports.text`` describes the grammar)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from documents.charts import Point, bar_chart
from documents.evaluation_reports.blocks import (
    Block,
    Builder,
    FigureBlock,
    Heading,
    IndicatorBlock,
    Mark,
    TableBlock,
    TextBlock,
    figure,
    percent,
)
from documents.evaluation_reports.costs import cost_chart_block, cost_table_block
from documents.evaluation_reports.evaluation import score_table
from documents.evaluation_reports.project import (
    execution_table,
    goods_table,
    payroll_table,
)
from evaluations.models import EvaluationIndicator, ReportSection
from evaluations.reports.context import ReportContext
from evaluations.reports.sentences import indicator_values_sentence
from evaluations.reports.text import (
    Paragraph,
    Placement,
    TextError,
    lines_of,
    printable,
    tokens_of,
)
from evaluations.scoring import LeafResult

MISSING = "-"


@dataclass
class Laid:
    """What the sections give the report besides its blocks."""

    opening: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    # names of ``{{figures}}`` and ``[[blocks]]`` the data does not hold (the page lists them)
    missing: list[str] = field(default_factory=list)


def lay_out(
    builder: Builder, context: ReportContext, sections: Sequence[ReportSection]
) -> Laid:
    laid = Laid()
    anchors = 0
    for index, section in enumerate(sections):
        try:
            lines = lines_of(section.body)
        except TextError as error:
            laid.missing.append(str(error))
            lines = ()
        if section.kind == ReportSection.Kind.SIGNATURE:
            laid.signature += [
                _plain(builder, context, line.text, laid)
                for line in lines
                if isinstance(line, Paragraph)
            ]
            continue
        if index == 0 and not section.heading and section.level == 0:
            laid.opening += [
                _plain(builder, context, line.text, laid)
                for line in lines
                if isinstance(line, Paragraph)
            ]
            continue
        if section.heading:
            level = max(1, min(section.level, 4))
            anchor = ""
            if level <= 2:
                anchors += 1
                anchor = f"sec-{anchors}"
            heading = _plain(builder, context, section.heading, laid)
            builder.add(Heading(level, "", heading, anchor))
        _body(builder, context, section, lines, laid)
    return laid


def _body(
    builder: Builder,
    context: ReportContext,
    section: ReportSection,
    lines: Sequence[Paragraph | Placement],
    laid: Laid,
) -> None:
    pending: list[tuple[tuple[str, Mark], ...]] = []
    counter = 0

    def flush() -> None:
        if pending:
            builder.add(TextBlock(tuple(pending)))
            pending.clear()

    for line in lines:
        if isinstance(line, Paragraph):
            pending.append(_pieces(builder, context, line.text, laid))
            continue
        flush()
        block: Block | None
        if line.kind == "指标":
            counter += 1
            block = _indicator(builder, context, line.argument, counter, section)
        else:
            block = _placed(context, line)
        if block is None:
            counter -= line.kind == "指标"
            laid.missing.append(line.source)
            continue
        builder.add(block)
    flush()


def _pieces(
    builder: Builder,
    context: ReportContext,
    text: str,
    laid: Laid,
    *,
    footnote: bool = True,
) -> tuple[tuple[str, Mark], ...]:
    """A paragraph as runs of text, each figure followed by its mark (``footnote``
    False: a plain ※, the footnote left to the first mark in a paragraph)."""
    text = printable(text)
    pieces: list[tuple[str, Mark]] = []
    at = 0
    for token in tokens_of(text):
        value = context.values.get(token.name)
        if value is None:
            laid.missing.append(f"{{{{{token.name}}}}}")
            printed, mark = MISSING, ""
        else:
            printed = value.printed(token.modifiers)
            if not value.reconstructed:
                mark = ""
            elif footnote:
                mark = builder.mark(True)
            else:
                mark = "mark"
        pieces.append((text[at : token.start] + printed, mark))
        at = token.end
    if at < len(text) or not pieces:
        pieces.append((text[at:], ""))
    return tuple(pieces)


def _plain(builder: Builder, context: ReportContext, text: str, laid: Laid) -> str:
    """Text without marks (headings, the opening, the signature): a reconstructed figure
    is followed by ※ as text."""
    return "".join(
        piece + ("※" if mark else "")
        for piece, mark in _pieces(builder, context, text, laid, footnote=False)
    )


def _placed(context: ReportContext, placement: Placement) -> Block | None:
    block: TableBlock | FigureBlock | None = None
    budget, costs = context.budget, context.costs
    match placement.kind:
        case "表1-1":
            block = execution_table(budget) if budget else None
        case "表1-2":
            block = payroll_table(budget) if budget and budget.payroll else None
        case "表1-3":
            block = goods_table(budget) if budget and budget.goods_services else None
        case "表2":
            block = score_table(context.data)
        case "表3":
            block = cost_table_block(costs) if costs else None
        case "图1":
            block = _score_chart(context)
        case "图2":
            block = cost_chart_block(costs) if costs else None
    if isinstance(block, TableBlock):
        if placement.title is not None:
            block = replace(block, title=placement.title)
        if placement.unit is not None:
            block = replace(block, unit=placement.unit)
    elif isinstance(block, FigureBlock) and placement.title:
        block = replace(block, title=placement.title)
    return block


def _score_chart(context: ReportContext) -> FigureBlock:
    scored = context.data.scored
    roots = scored.children.get(None, [])
    return FigureBlock(
        number="图1",
        title="各一级指标得分率",
        chart=bar_chart(
            [
                Point(
                    root.name,
                    scored.result_for(root).rate or Decimal(0),
                    percent(scored.result_for(root).rate),
                )
                for root in roots
            ],
            axis_maximum=Decimal(100),
            axis_step=Decimal(25),
            axis_suffix="%",
            description="各一级指标得分率",
        ),
    )


# A reason's own closing score sentence: “…依据评分细则，得10分。” / “…得10分。”
_STATED_SCORE = re.compile(
    r"[，,；;]?(?:依据评分细则[，,])?得\s*(\d+(?:\.\d+)?)\s*分[。.]?$"
)


def _indicator(
    builder: Builder,
    context: ReportContext,
    name: str,
    number: int,
    section: ReportSection,
) -> IndicatorBlock | None:
    """The paragraph of one 三级 indicator, from its own target, actual, reason and score.

    A reason that closes by stating a score other than the indicator's (the score was
    changed after the reason was written) loses that closing sentence, and the score is
    stated from the data: the printed reason never contradicts the score beside it."""
    scored = context.data.scored
    indicator = _leaf_named(scored.indicators, name)
    if indicator is None:
        return None
    result = scored.result_for(indicator)
    assert isinstance(result, LeafResult)
    level = max(1, min(section.level + 1, 4))
    weight_mark = builder.mark(indicator.weight_reconstructed)
    reason = [printable(line.strip()) for line in indicator.reason.splitlines()]
    reason = [line for line in reason if line]
    score_mark: Mark = ""
    if not result.applicable:
        score_text = "该指标不适用，不计分，其分值按比例分配至其他适用指标"
    elif result.final_score is None:
        score_text = "该指标尚未评分"
    else:
        score = figure(result.final_score)
        stated = _STATED_SCORE.search(reason[-1]) if reason else None
        if (
            stated
            and Decimal(stated.group(1)) == result.final_score
            and not indicator.score_reconstructed
        ):
            score_text = ""
        else:
            if stated:
                reason[-1] = reason[-1][: stated.start()].rstrip("，,；;")
                if reason[-1] and reason[-1][-1] not in "。！？":
                    reason[-1] += "。"
                reason = [line for line in reason if line]
            score_text = f"依据评分细则，得{score}分"
            score_mark = builder.mark(indicator.score_reconstructed)
    return IndicatorBlock(
        number=f"（{number}）",
        name=indicator.name,
        weight=f"{figure(indicator.weight)}分",
        weight_mark=weight_mark,
        values=indicator_values_sentence(indicator),
        reason=tuple(reason),
        score_text=score_text,
        score_mark=score_mark,
        heading_level=level,
    )


def _leaf_named(
    indicators: Sequence[EvaluationIndicator], name: str
) -> EvaluationIndicator | None:
    parents = {i.parent_id for i in indicators}
    for indicator in indicators:
        if indicator.name == name and indicator.pk not in parents:
            return indicator
    return None

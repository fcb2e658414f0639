"""Evaluation reports (绩效评价报告) as documents, in the structure of seeds 001 and 004.

The report is laid out once, here, as a sequence of plain blocks (headings, paragraphs,
numbered lists, tables built with ``documents.grids``, SVG figures from ``documents.charts``
and the analysis of each indicator); ``templates/reports/evaluation_report.html`` formats
them. Every figure comes from stored data through code: scores, 得分率, total and grade from
the scoring engine (``evaluations.services.evaluation_score``, through
``evaluations.selectors.evaluation_report_data``), budget totals and rates from
``budgets.selectors.budget_year_figures``, the cost table (Tianjin's 表3) from the uploaded
operating data (``operations.selectors.cost_table``, which applies
``evaluations.scoring.metrics``). Figures are printed as the seed reports print them:
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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from accounts.scoping import evaluations_for
from budgets.models import BudgetYear, Organisation, Project, ProjectTask
from budgets.selectors import BudgetYearFigures, budget_year_figures
from documents.charts import Chart, Point, TrendPanel, bar_chart, trend_chart
from documents.grids import Cell, Section, SectionBuilder, label, text
from documents.kinds import Document
from documents.models import DocumentFormat, DocumentKind
from evaluations.models import Evaluation, EvaluationIndicator, EvaluationKind
from evaluations.scoring import CostTable, LeafResult, NodeResult
from evaluations.scoring.rounding import quantize
from evaluations.selectors import EvaluationReportData, evaluation_report_data
from hotline_perf.rates import Rate
from operations.selectors import cost_table

TEMPLATE = "reports/evaluation_report.html"
FOOTNOTE = "重构：原报告未公布该分值或得分，此为依据报告内容重构的数值，并非评价机构公布的数值。"
# A table of contents is printed when the report is estimated to run past this many
# pages (see ``estimated_pages``).
CONTENTS_FROM_PAGES = 4


class EvaluationReportDocuments:
    kind: DocumentKind = DocumentKind.EVALUATION_REPORT
    formats: tuple[DocumentFormat, ...] = (DocumentFormat.PDF,)

    def visible(self, user: AbstractBaseUser | AnonymousUser, code: str) -> bool:
        return evaluations_for(user).filter(code=code).exists()

    def build(self, code: str) -> Document:
        return evaluation_report_document(code=code)

    def export(self, document: Document, format: DocumentFormat) -> bytes:
        raise ValueError(f"Evaluation reports have no {format} export.")


# --- formatting -------------------------------------------------------------------------


def figure(value: Decimal) -> str:
    """A figure as the reports print it: half-up to two places, whole numbers bare.

    ``15 → "15"``, ``19.5 → "19.50"``, ``5855.215 → "5855.22"``, ``-15.03 → "-15.03"``.
    """
    rounded = quantize(value)
    if rounded == rounded.to_integral_value():
        return f"{rounded:.0f}"
    return f"{rounded:.2f}"


def percent(value: Decimal | None) -> str:
    """A rate in percentage points as printed: ``88.24 → "88.24%"``, ``None → "-"``."""
    return "-" if value is None else f"{figure(value)}%"


def rate(value: Rate | None) -> str:
    return "-" if value is None else percent(value.percent)


_DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (section numbers up to 99)."""
    if number < 10:
        return _DIGITS[number]
    tens, ones = divmod(number, 10)
    return (_DIGITS[tens] if tens > 1 else "") + "十" + (_DIGITS[ones] if ones else "")


def _lines(value: str) -> tuple[str, ...]:
    """Stored multi-paragraph text: one printed paragraph per line."""
    return tuple(line.strip() for line in value.splitlines() if line.strip())


# --- blocks -------------------------------------------------------------------------------

# Marks of a reconstructed figure: "" none, "mark" a ※, "footnote" the ※ that carries the
# footnote (the first one of the report).
Mark = str


@dataclass(frozen=True)
class Heading:
    """一、 (level 1), （一） (2), 1. (3) or （1） (4); levels 1 and 2 are in the contents."""

    level: int
    number: str
    text: str
    anchor: str = ""
    suffix: str = ""  # e.g. 17分, printed in parentheses after the text
    mark: Mark = ""
    block: str = field(default="heading", init=False)


@dataclass(frozen=True)
class Paragraphs:
    lines: tuple[str, ...]
    style: str = ""
    block: str = field(default="paragraphs", init=False)


@dataclass(frozen=True)
class NumberedList:
    """Items printed 1、…； 2、…； … the last ending 。 (评价依据)."""

    items: tuple[str, ...]
    style: str = "numbered"  # "numbered" 1、 or "parenthesised" （1）
    block: str = field(default="list", init=False)


@dataclass(frozen=True)
class TableBlock:
    number: str  # 表1-1
    title: str
    unit: str  # 单位：万元
    widths: tuple[int, ...]
    section: Section
    notes: tuple[str, ...] = ()
    name: str = ""  # CSS class
    block: str = field(default="table", init=False)


@dataclass(frozen=True)
class FigureBlock:
    number: str  # 图1
    title: str
    chart: Chart
    block: str = field(default="figure", init=False)


@dataclass(frozen=True)
class IndicatorBlock:
    """A 三级 indicator: （1）name（weight分）, target and actual, the reason, the score."""

    number: str
    name: str
    weight: str
    weight_mark: Mark
    values: str  # 指标值：…；实际完成值：…。
    reason: tuple[str, ...]
    # 依据评分细则，得10分 (no full stop: a mark may follow); "" when the reason says it
    score_text: str
    score_mark: Mark
    heading_level: int = 4
    block: str = field(default="indicator", init=False)


Block = Heading | Paragraphs | NumberedList | TableBlock | FigureBlock | IndicatorBlock


@dataclass(frozen=True)
class ContentsEntry:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class EvaluationReport:
    title: str
    opening: tuple[str, ...]
    blocks: tuple[Block, ...]
    signature: tuple[str, ...]
    date: str
    contents: tuple[ContentsEntry, ...]  # empty: no table of contents
    footnote: str = FOOTNOTE

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(b.chart for b in self.blocks if isinstance(b, FigureBlock))


# --- the document -----------------------------------------------------------------------


def evaluation_report_document(*, code: str) -> Document:
    """Evaluation ``code`` laid out as its report (raises ``Evaluation.DoesNotExist``)."""
    data = evaluation_report_data(code)
    evaluation = data.evaluation
    project = evaluation.project
    subject = project.name if project else _name(evaluation.organisation)
    figures = _budget_figures(project, evaluation.year)
    unit = project.unit if project else evaluation.organisation
    costs = (
        cost_table(organisation=unit, year=evaluation.year)
        if unit is not None
        else None
    )
    builder = _Builder()
    _basic_information(builder, data, figures)
    _evaluation_work(builder, data)
    _conclusions(builder, data, costs)
    _findings(builder, data)
    _recommendations(builder, data)
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


def _name(organisation: Organisation | None) -> str:
    return organisation.name if organisation is not None else ""


def _budget_figures(project: Project | None, year: int) -> BudgetYearFigures | None:
    if project is None:
        return None
    try:
        return budget_year_figures(project_code=project.code, year=year)
    except BudgetYear.DoesNotExist:
        return None


class _Builder:
    """Blocks in order, with the section numbering (closed up over omitted headings)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.counters = [0, 0, 0, 0]
        self.mark_used = False

    def heading(
        self, level: int, title: str, *, suffix: str = "", mark: Mark = ""
    ) -> None:
        self.counters[level - 1] += 1
        for deeper in range(level, len(self.counters)):
            self.counters[deeper] = 0
        number = self.number(level)
        anchor = (
            "sec-" + "-".join(str(c) for c in self.counters[:level])
            if level <= 2
            else ""
        )
        self.blocks.append(Heading(level, number, title, anchor, suffix, mark))

    def number(self, level: int) -> str:
        count = self.counters[level - 1]
        return [
            f"{chinese_number(count)}、",
            f"（{chinese_number(count)}）",
            f"{count}.",
            f"（{count}）",
        ][level - 1]

    def next_number(self, level: int) -> str:
        self.counters[level - 1] += 1
        for deeper in range(level, len(self.counters)):
            self.counters[deeper] = 0
        return self.number(level)

    def paragraphs(self, *lines: str, style: str = "") -> None:
        kept = tuple(line for line in lines if line)
        if kept:
            self.blocks.append(Paragraphs(kept, style))

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def mark(self, reconstructed: bool) -> Mark:
        """The mark of a figure: the first reconstructed one carries the footnote."""
        if not reconstructed:
            return ""
        if self.mark_used:
            return "mark"
        self.mark_used = True
        return "footnote"


# --- opening, signature -------------------------------------------------------------------


def _score_sentence(data: EvaluationReportData) -> str:
    result = data.scored.result
    return f"该项目评价结果为{figure(result.total)}分，评价等级为“{result.grade}”。"


def _opening(data: EvaluationReportData) -> tuple[str, ...]:
    """The stored opening; when it does not state the engine's total, the score sentence
    is added (generated alone when there is no stored opening)."""
    stored = _lines(data.evaluation.opening)
    total = figure(data.scored.result.total)
    if any(re.search(rf"{re.escape(total)}\s*分", line) for line in stored):
        return stored
    return (*stored, _score_sentence(data))


def _evaluator_name(evaluation: Evaluation) -> str:
    return evaluation.evaluator_name or _name(evaluation.evaluator)


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


# --- 一、项目基本情况 ---------------------------------------------------------------------


def _basic_information(
    builder: _Builder, data: EvaluationReportData, figures: BudgetYearFigures | None
) -> None:
    evaluation = data.evaluation
    project = evaluation.project
    builder.heading(1, "项目基本情况")
    if project is not None:
        builder.heading(2, "项目概况")
        period = project.period_text
        overview = _lines(project.overview)
        builder.paragraphs(
            *overview,
            f"项目实施期限：{period}。"
            if period and not any(period in line for line in overview)
            else "",
        )
        if project.basis:
            builder.heading(3, "立项依据")
            builder.paragraphs(*_lines(project.basis))
        if data.tasks:
            builder.heading(3, "主要内容")
            builder.add(
                NumberedList(tuple(_task(t) for t in data.tasks), "parenthesised")
            )
        builder.heading(3, "项目组织管理")
        builder.paragraphs(
            _organisation_sentence(project), *_lines(project.implementation_plan)
        )
        if figures is not None:
            builder.heading(3, "资金投入和使用情况")
            _budget_blocks(builder, figures)
    elif evaluation.organisation is not None:
        builder.heading(2, "单位概况")
        builder.paragraphs(f"被评价单位：{evaluation.organisation.name}。")
    goal = evaluation.annual_goal
    if goal:
        builder.heading(2, "项目绩效目标" if project else "绩效目标")
        builder.paragraphs(*_lines(goal))


def _task(task: ProjectTask) -> str:
    content = task.content.strip()
    start = task.planned_start.strip()
    finish = task.planned_finish.strip().rstrip("。")
    plan = "；".join(
        part
        for part in (
            f"计划启动时间：{start}" if start else "",
            f"计划完成时间：{finish}" if finish else "",
        )
        if part
    )
    if not plan:
        return content
    return f"{content.rstrip('。')}（{plan}）。"


def _organisation_sentence(project: Project) -> str:
    department, unit = project.department, project.unit
    if department.pk == unit.pk:
        sentence = f"{department.name}为项目主管单位和实施单位"
    else:
        sentence = f"{department.name}为项目主管单位，{unit.name}为项目实施单位"
    if project.contractor is not None:
        sentence += f"，{project.contractor.name}为项目承接单位"
    return sentence + "。"


def _budget_blocks(builder: _Builder, figures: BudgetYearFigures) -> None:
    """The 资金投入和使用情况 paragraph and 表1-1 (with 1-2 and 1-3 when present)."""
    year = figures.budget_year
    unit = year.unit
    parts = [f"本项目{year.year}年预算资金{figure(year.adjusted)}{unit}"]
    if year.addition or year.reduction:
        detail = [f"年初预算{figure(year.initial)}{unit}"]
        if year.addition:
            detail.append(f"追加预算{figure(year.addition)}{unit}")
        if year.reduction:
            detail.append(f"调减预算{figure(year.reduction)}{unit}")
        parts.append("其中" + "、".join(detail))
    execution = []
    if year.received is not None:
        execution.append(
            f"实际到位资金{figure(year.received)}{unit}，"
            f"资金到位率为{rate(year.receipt_rate)}"
        )
    if year.expenditure is not None:
        execution.append(
            f"实际支出{figure(year.expenditure)}{unit}，"
            f"预算执行率为{rate(year.execution_rate)}"
        )
    tables = ["表1-1"]
    if figures.payroll:
        tables.append("表1-2")
    if figures.goods_services:
        tables.append("表1-3")
    sentence = "，".join(parts) + "。"
    if execution:
        sentence += f"截至{year.year}年末，" + "；".join(execution) + "。"
    builder.paragraphs(sentence + f"具体情况见{'、'.join(tables)}。")
    builder.add(_execution_table(figures))
    if figures.payroll:
        builder.add(_payroll_table(figures))
    if figures.goods_services:
        builder.add(_goods_table(figures))


def _amount(value: Decimal | None) -> Cell:
    return text("-" if value is None else figure(value), style="number")


def _count(value: int | None) -> Cell:
    return text("-" if value is None else str(value), style="number")


def _execution_table(figures: BudgetYearFigures) -> TableBlock:
    """表1-1 预算执行情况明细表: a row per economic category and 合计; a year without
    category lines has its 合计 row alone (调整后预算, 到位, 支出)."""
    year = figures.budget_year
    table = SectionBuilder("budget", 5)
    table.head(
        label("类别"),
        label("预算金额"),
        label("到位金额"),
        label("支出金额"),
        label("预算执行率"),
    )
    for line in figures.lines:
        table.row(
            text(line.category),
            _amount(line.budget),
            _amount(line.received),
            _amount(line.expenditure),
            text(rate(line.execution_rate), style="number"),
        )
    if figures.lines:
        total = figures.lines_total
        table.row(
            text("合计", style="total"),
            _amount(total.budget),
            _amount(total.received),
            _amount(total.expenditure),
            text(rate(total.execution_rate), style="number"),
        )
    else:
        table.row(
            text("合计", style="total"),
            _amount(year.adjusted),
            _amount(year.received),
            _amount(year.expenditure),
            text(rate(year.execution_rate), style="number"),
        )
    return TableBlock(
        number="表1-1",
        title="预算执行情况明细表",
        unit=f"单位：{year.unit}",
        widths=(28, 18, 18, 18, 18),
        section=table.build(),
        name="budget",
    )


def _payroll_table(figures: BudgetYearFigures) -> TableBlock:
    """表1-2 工资福利支出明细表, with the 其中 split of the total."""
    year = figures.budget_year.year
    table = SectionBuilder("payroll", 7)
    table.head(
        label("职务", rowspan=2),
        label(f"{year}年末人数", rowspan=2),
        label(f"{year}年月均人数", rowspan=2),
        label("工资福利支出总额", rowspan=2),
        label("其中：", colspan=3),
    )
    table.head(label("基本工资等"), label("保险"), label("公积金"))
    for row in figures.payroll:
        table.row(
            text(row.title),
            _count(row.year_end_headcount),
            _count(row.monthly_average_headcount),
            _amount(row.total),
            _amount(row.basic_pay),
            _amount(row.insurance),
            _amount(row.housing_fund),
        )
    total = figures.payroll_total
    table.row(
        text("合计", style="total"),
        _count(total.year_end_headcount),
        _count(total.monthly_average_headcount),
        _amount(total.total),
        _amount(total.basic_pay),
        _amount(total.insurance),
        _amount(total.housing_fund),
    )
    return TableBlock(
        number="表1-2",
        title="工资福利支出明细表",
        unit=f"单位：人、{figures.budget_year.unit}",
        widths=(22, 12, 12, 15, 13, 13, 13),
        section=table.build(),
        name="payroll",
    )


def _goods_table(figures: BudgetYearFigures) -> TableBlock:
    table = SectionBuilder("goods", 2)
    table.head(label("商品和服务支出内容"), label("实际支出金额"))
    for item in figures.goods_services:
        table.row(text(item.item), _amount(item.expenditure))
    table.row(text("合计", style="total"), _amount(figures.goods_services_total))
    return TableBlock(
        number="表1-3",
        title="商品和服务支出明细表",
        unit=f"单位：{figures.budget_year.unit}",
        widths=(60, 40),
        section=table.build(),
        name="goods",
    )


# --- 二、绩效评价工作开展情况 -------------------------------------------------------------


def _evaluation_work(builder: _Builder, data: EvaluationReportData) -> None:
    evaluation = data.evaluation
    builder.heading(1, "绩效评价工作开展情况")
    for title, value in [
        ("评价目的", evaluation.purpose),
        ("评价对象与范围", evaluation.scope),
    ]:
        if value:
            builder.heading(2, title)
            builder.paragraphs(*_lines(value))
    basis = tuple(str(item).strip() for item in evaluation.basis if str(item).strip())
    if basis:
        builder.heading(2, "评价依据")
        builder.add(NumberedList(basis))
    for title, value in [
        ("评价原则", evaluation.principles),
        ("评价方法", evaluation.methods),
    ]:
        if value:
            builder.heading(2, title)
            builder.paragraphs(*_lines(value))
    builder.heading(2, "评价结果等级划分")
    builder.paragraphs(grade_band_sentence(evaluation.grade_bands, _total_weight(data)))
    roots = data.scored.children.get(None, [])
    if roots:
        builder.heading(2, "评价指标体系")
        builder.paragraphs(indicator_system_sentence(data))
        builder.add(
            NumberedList(
                tuple(_root_summary(root, data.scored.children) for root in roots)
            )
        )
    process = _lines(evaluation.process)
    if process or evaluation.period_text:
        builder.heading(2, "评价工作过程")
        if evaluation.period_text:
            builder.paragraphs(f"评价工作时间：{evaluation.period_text}。")
        builder.paragraphs(*process)


def _total_weight(data: EvaluationReportData) -> Decimal:
    return sum((root.weight for root in data.scored.children.get(None, [])), Decimal(0))


def grade_band_sentence(
    bands: Sequence[Mapping[str, object]], total_weight: Decimal
) -> str:
    """等级划分 from the evaluation's bands, highest first: 90（含）-100分为“优”，…，60分以下
    为“差”。"""
    ordered = sorted(
        ((str(b["grade"]), Decimal(str(b["minimum"]))) for b in bands),
        key=lambda band: band[1],
        reverse=True,
    )
    parts = []
    upper = total_weight
    for grade, minimum in ordered:
        if minimum > 0:
            parts.append(f"{figure(minimum)}（含）-{figure(upper)}分为“{grade}”")
        else:
            parts.append(f"{figure(upper)}分以下为“{grade}”")
        upper = minimum
    grades = "、".join(grade for grade, _ in ordered)
    return (
        f"评价总分为{figure(total_weight)}分，评价结果分为{grades}"
        f"{chinese_number(len(ordered))}个等级：综合得分" + "，".join(parts) + "。"
    )


def _count_levels(
    children: Mapping[int | None, list[EvaluationIndicator]],
) -> dict[int, int]:
    counts = {1: 0, 2: 0, 3: 0}
    for indicators in children.values():
        for indicator in indicators:
            counts[indicator.level] = counts.get(indicator.level, 0) + 1
    return counts


def indicator_system_sentence(data: EvaluationReportData) -> str:
    """指标体系 from the tree: …4个一级指标、9个二级指标和16个三级指标，满分为100分。"""
    children = data.scored.children
    counts = _count_levels(children)
    names = "、".join(root.name for root in children.get(None, []))
    return (
        f"本次评价指标体系包括{names}{counts[1]}个一级指标、{counts[2]}个二级指标"
        f"和{counts[3]}个三级指标，满分为{figure(_total_weight(data))}分。"
    )


def _root_summary(
    root: EvaluationIndicator,
    children: Mapping[int | None, list[EvaluationIndicator]],
) -> str:
    kids = children.get(root.pk, [])
    summary = f"{root.name}：分值{figure(root.weight)}分"
    if kids:
        summary += (
            f"，包括{'、'.join(k.name for k in kids)}{len(kids)}个"
            f"{'二级' if kids[0].level == 2 else '三级'}指标"
        )
    return summary


# --- 三、评价结论及分析 -------------------------------------------------------------------


def _score(result: NodeResult | LeafResult) -> Decimal | None:
    return result.final_score if isinstance(result, LeafResult) else result.score


def _conclusions(
    builder: _Builder, data: EvaluationReportData, costs: CostTable | None
) -> None:
    scored = data.scored
    roots = scored.children.get(None, [])
    builder.heading(1, "评价结论及分析")
    builder.heading(2, "综合评价结论")
    stored = _lines(data.evaluation.conclusion)
    if stored:
        builder.paragraphs(stored[0])
    else:
        parts = "、".join(
            f"{root.name}{_figure_or_dash(_score(scored.result_for(root)))}分"
            for root in roots
        )
        result = scored.result
        builder.paragraphs(
            f"经综合评价，该项目得分{figure(result.total)}分，评价等级为“{result.grade}”。"
            f"其中，{parts}。具体情况见表2、图1。"
        )
    builder.add(_score_table(builder, data))
    builder.add(
        FigureBlock(
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
    )
    builder.paragraphs(*stored[1:])

    cost_group = _cost_group(scored.children) if costs is not None else None
    for root in roots:
        _indicator_blocks(
            builder, data, root, depth=0, cost_group=cost_group, costs=costs
        )
    if costs is not None and cost_group is None:
        builder.heading(2, "运行成本分析")
        _cost_blocks(builder, costs)


def _figure_or_dash(value: Decimal | None) -> str:
    return "-" if value is None else figure(value)


def _score_table(builder: _Builder, data: EvaluationReportData) -> TableBlock:
    """表2: 分值, 得分, 得分率 by 一级 indicator, and 合计 (the engine's total)."""
    scored = data.scored
    roots = scored.children.get(None, [])
    result = scored.result
    table = SectionBuilder("scores", len(roots) + 2)
    table.head(label("指标"), *[label(root.name) for root in roots], label("合计"))

    def flagged(value: str, reconstructed: bool) -> str:
        return f"{value}※" if reconstructed else value

    table.row(
        label("分值"),
        *[
            text(
                flagged(figure(root.weight), root.weight_reconstructed), style="number"
            )
            for root in roots
        ],
        text(figure(_total_weight(data)), style="number"),
    )
    table.row(
        label("得分"),
        *[
            text(
                flagged(
                    _figure_or_dash(_score(scored.result_for(root))),
                    root.score_reconstructed,
                ),
                style="number",
            )
            for root in roots
        ],
        text(figure(result.total), style="number"),
    )
    table.row(
        label("得分率"),
        *[
            text(percent(scored.result_for(root).rate), style="number")
            for root in roots
        ],
        text(percent(result.rate), style="number"),
    )
    first = 16
    rest = 100 - first
    count = len(roots) + 1
    widths = (
        first,
        *([rest // count] * (count - 1)),
        rest - rest // count * (count - 1),
    )
    subject = (
        data.evaluation.project.name
        if data.evaluation.project is not None
        else _name(data.evaluation.organisation)
    )
    return TableBlock(
        number="表2",
        title=f"{subject}绩效得分情况表",
        unit="单位：分",
        widths=widths,
        section=table.build(),
        name="scores",
    )


def _cost_group(
    children: Mapping[int | None, list[EvaluationIndicator]],
) -> int | None:
    """The group the cost table belongs to: the first 二级 indicator about cost (产出成本)."""
    for indicators in children.values():
        for indicator in indicators:
            if indicator.level == 2 and "成本" in indicator.name:
                return indicator.pk
    return None


def _indicator_blocks(
    builder: _Builder,
    data: EvaluationReportData,
    node: EvaluationIndicator,
    *,
    depth: int,
    cost_group: int | None,
    costs: CostTable | None,
) -> None:
    scored = data.scored
    result = scored.result_for(node)
    kids = scored.children.get(node.pk, [])
    level = min(depth + 2, 4)
    if not kids:
        builder.add(_leaf_block(builder, node, result, level))
        return
    builder.heading(
        level,
        node.name,
        suffix=f"{figure(node.weight)}分",
        mark=builder.mark(node.weight_reconstructed),
    )
    if depth == 0:
        score = _score(result)
        builder.paragraphs(
            f"该部分分值{figure(node.weight)}分，得分{_figure_or_dash(score)}分，"
            f"得分率{percent(result.rate)}。"
        )
    for kid in kids:
        _indicator_blocks(
            builder, data, kid, depth=depth + 1, cost_group=cost_group, costs=costs
        )
    if costs is not None and node.pk == cost_group:
        _cost_blocks(builder, costs)


def _leaf_block(
    builder: _Builder,
    indicator: EvaluationIndicator,
    result: NodeResult | LeafResult,
    level: int,
) -> IndicatorBlock:
    assert isinstance(result, LeafResult)
    number = builder.next_number(level)
    weight_mark = builder.mark(indicator.weight_reconstructed)
    values = "；".join(
        part
        for part in (
            f"指标值：{indicator.target_text}" if indicator.target_text else "",
            f"实际完成值：{indicator.actual_text}" if indicator.actual_text else "",
        )
        if part
    )
    reason = _lines(indicator.reason)
    score_mark: Mark = ""
    if not result.applicable:
        score_text = "该指标不适用，不计分，其分值按比例分配至其他适用指标"
    elif result.final_score is None:
        score_text = "该指标尚未评分"
    else:
        score = figure(result.final_score)
        said = reason and re.search(rf"得\s*{re.escape(score)}\s*分[。.]?$", reason[-1])
        if said and not indicator.score_reconstructed:
            score_text = ""
        else:
            score_text = f"依据评分细则，得{score}分"
            score_mark = builder.mark(indicator.score_reconstructed)
    return IndicatorBlock(
        number=number,
        name=indicator.name,
        weight=f"{figure(indicator.weight)}分",
        weight_mark=weight_mark,
        values=f"{values}。" if values else "",
        reason=reason,
        score_text=score_text,
        score_mark=score_mark,
        heading_level=level,
    )


def _year_span(years: Sequence[int]) -> str:
    return f"{min(years)}年-{max(years)}年" if len(years) > 1 else f"{years[0]}年"


def _cost_blocks(builder: _Builder, costs: CostTable) -> None:
    """表3 成本统计情况表 (every figure of ``metrics.cost_table``) and the trend chart."""
    current = costs.current_year
    span = _year_span(costs.base_years)
    base = f"{min(costs.base_years)}年至{max(costs.base_years)}年期间"
    builder.paragraphs(
        f"{current}年与{span}的接听量、人工费用、人员流失及人工成本情况见表3，"
        "变化趋势见图2。"
    )
    columns = costs.columns
    table = SectionBuilder("costs", len(columns) + 1)
    table.head(
        label("指标 \\ 年度"),
        *[label(f"{span}均值" if c.is_mean else f"{c.years[0]}年") for c in columns],
    )

    def row(name: str, values: Sequence[str]) -> None:
        table.row(label(name), *[text(v, style="number") for v in values])

    def compared(value: Decimal) -> list[str]:
        return [percent(value), *["-"] * (len(columns) - 1)]

    row("接听量（万次）", [figure(c.answered_10k) for c in columns])
    row("人工费用（万元）", [figure(c.labour_cost) for c in columns])
    row("月均人员数量（人）", [figure(c.average_staff) for c in columns])
    row("月均流失人数¹（人）", [figure(c.average_leavers) for c in columns])
    row("月均人员流失率", [percent(c.turnover_rate) for c in columns])
    row(
        "月均人员流失率较均值流失率降低程度²",
        compared(costs.turnover_reduction_vs_mean),
    )
    row("每1万接听量人工成本（万元）", [figure(c.cost_per_10k_calls) for c in columns])
    row(
        "每1万接听量人工成本较历史均值增长率³",
        compared(costs.cost_per_10k_calls_growth_vs_mean),
    )
    row("单位人工成本（万元）", [figure(c.unit_labour_cost) for c in columns])
    row(
        "单位人工成本较历史均值增长率⁴",
        compared(costs.unit_labour_cost_growth_vs_mean),
    )
    rest = 100 - 32
    widths = (32, *([rest // len(columns)] * (len(columns) - 1)))
    widths = (*widths, 100 - sum(widths))
    builder.add(
        TableBlock(
            number="表3",
            title="项目成本统计情况表",
            unit="",
            widths=widths,
            section=table.build(),
            notes=(
                f"注¹：月均人员流失数为{current}年全年累计流失人数÷12确定的。",
                f"注²：月均人员流失率较均值流失率降低程度为（{base}平均月均人员流失率"
                f"-{current}年度月均人员流失率）÷{base}平均月均人员流失率。",
                f"注³：每1万接听量人工成本较历史均值增长率为（{current}年每1万接听量"
                f"人工成本-{base}平均每1万接听量人工成本）÷{base}平均每1万接听量"
                "人工成本。",
                f"注⁴：单位人工成本较历史均值增长率为（{current}年单位人工成本-{base}"
                f"平均单位人工成本）÷{base}平均单位人工成本。",
                "说明：月均人员流失率＝月均流失人数÷月均人员数量；每1万接听量人工成本"
                "＝人工费用÷接听量；单位人工成本＝人工费用÷月均人员数量。均值一列的"
                "人数、金额为各年算术平均，比率由均值计算；降低程度和增长率按表中两位"
                "小数计算。",
            ),
            name="costs",
        )
    )
    years = [c for c in reversed(columns) if not c.is_mean]
    mean = costs.mean
    mean_label = "均值"
    builder.add(
        FigureBlock(
            number="图2",
            title=(
                f"{years[0].years[0]}-{current}年接听量、人工成本及人员流失率"
                f"（虚线为{span}均值）"
            ),
            chart=trend_chart(
                [
                    TrendPanel(
                        "接听量（万次）",
                        tuple(
                            Point(
                                f"{c.years[0]}年",
                                c.answered_10k,
                                figure(c.answered_10k),
                            )
                            for c in years
                        ),
                        "bar",
                        Point(mean_label, mean.answered_10k, figure(mean.answered_10k)),
                    ),
                    TrendPanel(
                        "每1万接听量人工成本（万元）",
                        tuple(
                            Point(
                                f"{c.years[0]}年",
                                c.cost_per_10k_calls,
                                figure(c.cost_per_10k_calls),
                            )
                            for c in years
                        ),
                        "line",
                        Point(
                            mean_label,
                            mean.cost_per_10k_calls,
                            figure(mean.cost_per_10k_calls),
                        ),
                    ),
                    TrendPanel(
                        "月均人员流失率",
                        tuple(
                            Point(
                                f"{c.years[0]}年",
                                c.turnover_rate,
                                percent(c.turnover_rate),
                            )
                            for c in years
                        ),
                        "line",
                        Point(
                            mean_label, mean.turnover_rate, percent(mean.turnover_rate)
                        ),
                    ),
                ],
                description="接听量、每1万接听量人工成本和月均人员流失率的逐年变化",
            ),
        )
    )


# --- 四、存在的主要问题; 五、相关建议 ------------------------------------------------------


def _findings(builder: _Builder, data: EvaluationReportData) -> None:
    if not data.findings:
        return
    builder.heading(1, "存在的主要问题")
    for finding in data.findings:
        builder.heading(2, finding.title)
        builder.paragraphs(*_lines(finding.text))


def _recommendations(builder: _Builder, data: EvaluationReportData) -> None:
    if not data.recommendations:
        return
    builder.heading(1, "相关建议")
    for recommendation in data.recommendations:
        builder.heading(2, recommendation.title)
        builder.paragraphs(*_lines(recommendation.text))


# --- length -----------------------------------------------------------------------------


def _block_lines(block: Block) -> float:
    """Printed lines a block takes, roughly (45 hanzi to a line of body text)."""
    per_line = 45

    def wrapped(value: str) -> int:
        return max(1, -(-len(value) // per_line))

    match block:
        case Heading():
            return 2.0
        case Paragraphs(lines=lines):
            return float(sum(wrapped(line) for line in lines))
        case NumberedList(items=items):
            return float(sum(wrapped(item) for item in items))
        case TableBlock(section=section, notes=notes):
            rows = len(section.head) + len(section.body)
            return 3 + rows * 1.6 + sum(wrapped(note) * 0.8 for note in notes)
        case FigureBlock():
            return 18.0
        case IndicatorBlock(values=values, reason=reason):
            return 2 + wrapped(values) + sum(wrapped(line) for line in reason)
    return 1.0  # pragma: no cover - every block kind is matched above


def estimated_pages(
    opening: Sequence[str], blocks: Iterator[Block] | Sequence[Block]
) -> float:
    """How many A4 pages the report fills, estimated from its text (about 40 lines of
    body text a page): only to decide whether it gets a table of contents. Page breaks
    themselves are left to CSS."""
    lines: float = 6 + sum(max(1, -(-len(line) // 45)) for line in opening)
    lines += sum(_block_lines(block) for block in blocks)
    return lines / 40

"""项目支出绩效自评表: a self-evaluation (单位自评) printed as the official table.

The grid of 财预〔2020〕10号's 自评表, nine columns: 项目名称, 主管部门 and 实施单位; 项目资金
(万元) with 年初预算数 / 全年预算数 / 全年执行数 from the evaluated budget year and 分值 /
执行率 / 得分 of the evaluation's budget indicator (a 一级 leaf scored in proportion to the
execution rate, "预算执行率" in both frameworks of ``fixtures/frameworks``); 年度总体目标
预期目标 / 实际完成情况; then 绩效指标 一级 / 二级 / 三级 / 年度指标值 / 实际完成值 / 分值 / 得分 /
偏差原因分析及改进措施, one row per 三级, each 一级 and 二级 spanning the rows below it; 总分.

Only what the evaluation holds is printed: an empty field prints an empty cell. A published
table read in with fewer than 100 points itemised (``import_evaluation --create``) prints
its unlisted points as a row of their own (分值 only: the table did not score them), and a
published total other than the engine's (``Evaluation.source_total``) beside it.

Like the target forms it is a ``kernel.grids.Grid``, so the PDF and the xlsx hold the same
cells (``GridDocuments``); a submitted self-evaluation prints as submitted (its snapshot,
through ``evaluations.selectors.evaluation_score``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from budgets.selectors import BudgetYearFigures
from documents.kinds import Document
from documents.models import DocumentFormat, DocumentKind
from documents.target_forms import GridDocuments
from evaluations.models import Evaluation, EvaluationIndicator, EvaluationKind
from evaluations.reports.formatting import figure, rate
from evaluations.scoping import evaluations_for
from evaluations.scoring import LeafResult, RuleKind
from evaluations.selectors import (
    ScoredEvaluation,
    evaluation_budget,
    evaluation_score,
    evaluation_snapshot_notes,
)
from kernel.grids import Cell, Grid, SectionBuilder, amount, label, paragraphs, text
from targets.models import TargetForm

TITLE = "项目支出绩效自评表"
TEMPLATE = "reports/self_evaluation_table.html"
BUDGET_INDICATOR = "预算执行率"
UNLISTED = "未列示指标"
FULL_MARKS = Decimal(100)
# 绩效指标 label, 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施
WIDTHS = (6, 9, 9, 17, 12, 12, 8, 8, 19)


class SelfEvaluationTableDocuments(GridDocuments):
    kind: DocumentKind = DocumentKind.SELF_EVALUATION_TABLE
    formats: tuple[DocumentFormat, ...] = (DocumentFormat.PDF, DocumentFormat.XLSX)

    def visible(self, user: AbstractBaseUser | AnonymousUser, code: str) -> bool:
        return (
            evaluations_for(user)
            .filter(code=code, kind=EvaluationKind.SELF, project__isnull=False)
            .exists()
        )

    def build(self, code: str) -> Document:
        return self_evaluation_table_document(code=code)

    def notes(self, code: str) -> list[str]:
        return evaluation_snapshot_notes(Evaluation.objects.get(code=code))


def _score(value: Decimal | None) -> str:
    return "" if value is None else figure(value)


def is_budget_indicator(indicator: EvaluationIndicator) -> bool:
    """The 一级 leaf the table prints in its 项目资金 row: scored in proportion to the
    execution rate, or named 预算执行率."""
    return indicator.parent_id is None and (
        indicator.rule_kind == RuleKind.PROPORTIONAL
        or indicator.name == BUDGET_INDICATOR
    )


def _budget_indicator(scored: ScoredEvaluation) -> EvaluationIndicator | None:
    for root in scored.children.get(None, []):
        if not scored.children.get(root.pk) and is_budget_indicator(root):
            return root
    return None


def _final(scored: ScoredEvaluation, indicator: EvaluationIndicator) -> Decimal | None:
    result = scored.result_for(indicator)
    if isinstance(result, LeafResult):
        return result.final_score if result.applicable else None
    return result.score


def _execution_rate(
    figures: BudgetYearFigures | None, indicator: EvaluationIndicator | None
) -> str:
    """执行率 as the budget year derives it; without a budget year, as the table stated
    it (the budget indicator's actual value)."""
    if figures is not None and figures.budget_year.execution_rate is not None:
        return rate(figures.budget_year.execution_rate)
    return indicator.actual_text if indicator is not None else ""


def _funds_rows(header: SectionBuilder, scored: ScoredEvaluation) -> None:
    figures = evaluation_budget(scored.evaluation)
    budget = _budget_indicator(scored)
    unit = figures.budget_year.unit if figures is not None else "万元"
    year = figures.budget_year if figures is not None else None
    header.row(
        label(f"项目资金（{unit}）", colspan=2, rowspan=2),
        label(""),
        label("年初预算数"),
        label("全年预算数"),
        label("全年执行数"),
        label("分值"),
        label("执行率"),
        label("得分"),
    )
    header.row(
        label("年度资金总额"),
        amount(year.initial if year else None),
        amount(year.adjusted if year else None),
        amount(year.expenditure if year else None),
        text(_score(budget.weight) if budget else "", style="value"),
        text(_execution_rate(figures, budget), style="value"),
        text(_score(_final(scored, budget)) if budget else "", style="value"),
    )


def _expected_goal(evaluation: Evaluation) -> str:
    """预期目标: the evaluation's own (a self-evaluation takes it from its target form),
    else the annual goal of the project-year's target form."""
    if evaluation.annual_goal:
        return evaluation.annual_goal
    form = TargetForm.objects.filter(
        project=evaluation.project, year=evaluation.year
    ).first()
    return (form.annual_goal or form.overall_goal) if form is not None else ""


def _achieved_goal(evaluation: Evaluation) -> str:
    """实际完成情况 as the unit wrote it."""
    value = getattr(evaluation, "goal_achieved", "")
    return value if isinstance(value, str) else ""


def _deviation(indicator: EvaluationIndicator) -> str:
    """偏差原因分析及改进措施 as the unit wrote it."""
    value = getattr(indicator, "deviation_reason", "")
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class _Path:
    """One row of the indicator table: the nodes from 一级 down to a leaf."""

    nodes: tuple[EvaluationIndicator, ...]

    @property
    def leaf(self) -> EvaluationIndicator:
        return self.nodes[-1]


def _paths(
    scored: ScoredEvaluation,
    nodes: Sequence[EvaluationIndicator],
    above: tuple[EvaluationIndicator, ...] = (),
) -> Iterator[_Path]:
    for node in nodes:
        path = (*above, node)
        kids = scored.children.get(node.pk)
        if kids:
            yield from _paths(scored, kids, path)
        else:
            yield _Path(path)


def _indicator_rows(table: SectionBuilder, scored: ScoredEvaluation) -> int:
    """One row per leaf below the budget indicator; returns the rows written."""
    roots = [
        root
        for root in scored.children.get(None, [])
        if not (not scored.children.get(root.pk) and is_budget_indicator(root))
    ]
    paths = list(_paths(scored, roots))
    spans = Counter(node.pk for path in paths for node in path.nodes[:-1])
    drawn: set[int] = set()
    for number, path in enumerate(paths):
        leaf = path.leaf
        cells: list[Cell] = []
        if number == 0:
            cells.append(text("", style="lead", joins_above=True, rowspan=len(paths)))
        for depth, style in ((0, "level1"), (1, "level2")):
            if depth < len(path.nodes) - 1:
                node = path.nodes[depth]
                if node.pk not in drawn:
                    drawn.add(node.pk)
                    cells.append(text(node.name, rowspan=spans[node.pk], style=style))
            elif depth == len(path.nodes) - 1:
                # a leaf above 三级 fills its own level's column and leaves the rest blank
                cells.append(text(leaf.name, style=style))
            else:
                cells.append(text(""))
        cells.append(text(leaf.name if len(path.nodes) >= 3 else "", style="indicator"))
        result = scored.result_for(leaf)
        applicable = not isinstance(result, LeafResult) or result.applicable
        cells += [
            text(leaf.target_text, style="value"),
            text(leaf.actual_text, style="value"),
            text(_score(leaf.weight), style="value"),
            text(
                _score(_final(scored, leaf)) if applicable else "不适用",
                style="value",
            ),
            text(_deviation(leaf), style="deviation"),
        ]
        table.row(*cells)
    return len(paths)


def _listed_weight(scored: ScoredEvaluation) -> Decimal:
    return sum((root.weight for root in scored.children.get(None, [])), Decimal(0))


def self_evaluation_grid(scored: ScoredEvaluation) -> Grid:
    """The 自评表 of a scored self-evaluation of a project."""
    evaluation = scored.evaluation
    project = evaluation.project
    assert project is not None
    header = SectionBuilder("header", 9)
    header.row(label("项目名称", colspan=2), text(project.name, colspan=7))
    header.row(
        label("主管部门", colspan=2),
        text(project.department.name, colspan=3),
        label("实施单位"),
        text(project.unit.name, colspan=3),
    )
    _funds_rows(header, scored)
    header.row(
        label("年度总体目标", colspan=2, rowspan=2),
        label("预期目标", colspan=4),
        label("实际完成情况", colspan=3),
    )
    header.row(
        paragraphs(_expected_goal(evaluation), colspan=4),
        paragraphs(_achieved_goal(evaluation), colspan=3),
        breakable=True,
    )

    table = SectionBuilder("indicators", 9)
    table.head(
        label("绩效指标", style="lead"),
        label("一级指标"),
        label("二级指标"),
        label("三级指标"),
        label("年度指标值"),
        label("实际完成值"),
        label("分值"),
        label("得分"),
        label("偏差原因分析及改进措施"),
    )
    rows = _indicator_rows(table, scored)
    if rows == 0:
        table.row(text("", style="lead", joins_above=True), text("", colspan=8))

    total = SectionBuilder("total", 9)
    unlisted = FULL_MARKS - _listed_weight(scored)
    if unlisted > 0:
        # a published table that itemised fewer than 100 points: the rest, unscored
        total.row(
            label(UNLISTED, colspan=6),
            text(_score(unlisted), style="value"),
            text(""),
            text(""),
        )
    result = scored.result
    total.row(
        label("总分", colspan=6),
        text(_score(_listed_weight(scored) + max(unlisted, Decimal(0))), style="value"),
        text(_score(result.total), style="value"),
        text(f"等级：{result.grade}", style="value"),
    )
    source = evaluation.source_total
    if source is not None and source != result.total:
        total.row(
            label("公布总分", colspan=6),
            text(""),
            text(_score(source), style="value"),
            text(
                f"等级：{evaluation.source_grade}" if evaluation.source_grade else "",
                style="value",
            ),
        )
    return Grid(
        title=TITLE,
        subtitle=f"（{evaluation.year}年度）",
        widths=WIDTHS,
        sections=(header.build(), table.build(), total.build()),
    )


def self_evaluation_table_document(*, code: str) -> Document:
    """Self-evaluation ``code``'s 项目支出绩效自评表 (raises ``Evaluation.DoesNotExist``
    for a code that is not a self-evaluation of a project)."""
    evaluation = Evaluation.objects.select_related(
        "project__department", "project__unit"
    ).get(code=code, kind=EvaluationKind.SELF, project__isnull=False)
    scored = evaluation_score(evaluation)
    grid = self_evaluation_grid(scored)
    assert evaluation.project is not None
    name = evaluation.project.name
    return Document(
        kind=DocumentKind.SELF_EVALUATION_TABLE,
        code=evaluation.code,
        title=f"{name} {TITLE}",
        template_name=TEMPLATE,
        context={
            "grid": grid,
            "running_header": f"{name}　{evaluation.year}年度{TITLE}",
        },
    )

"""Target forms (绩效目标表) as documents, in their three official grids.

- ``project``: 项目支出绩效目标表 (seed 000): 项目名称 / 主管预算部门 / 项目实施单位 / 项目资金
  (财政拨款, 其他资金), 绩效目标, then 绩效指标 一级 / 二级 / 三级 / 指标值.
- ``application``: 财政支出项目绩效目标申报表 (seed 002): amounts in the project's unit (元),
  check-box rows for 项目类型 and 资金用途, 子项目 composition of the budget year, 项目总目标,
  年度绩效目标, then 分解目标内容 / 绩效指标 / 指标目标值.
- ``department``: 部门整体预算绩效目标表 (seed 003): 单位名称, 单位主要职能, 机构设置, 部门整体资金
  收入 / 支出 with 半年 and 全年 figures, 中长期目标, 年度目标, then indicator tables with 半年指标值
  and 全年指标值; the 履职 table has the 重点工作 column.

The indicator hierarchy is drawn with merged cells: each 一级, 二级 and 重点工作 cell spans the
rows of the 三级 indicators below it. Totals come from ``budgets.selectors``; an approved form prints the budget figures it was
approved with (``targets.snapshots``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from weasyprint.document import Document as WeasyDocument

from budgets.models import (
    FISCAL_APPROPRIATION_SOURCES,
    DepartmentExpenditure,
    FundUse,
    Project,
    ProjectType,
)
from budgets.selectors import (
    DepartmentBudgetFigures,
)
from documents.kinds import Document
from documents.models import DocumentFormat, DocumentKind
from documents.pdf import layout_pages, rows_starting_pages, write_pdf
from kernel.grids import (
    Cell,
    Check,
    Grid,
    Section,
    SectionBuilder,
    amount,
    checks,
    label,
    paragraphs,
    section_line_rows,
    section_split_at,
    text,
)
from targets.models import FormLayout, IndicatorLevel, TargetForm, TargetIndicator
from targets.scoping import target_forms_for
from targets.selectors import IndicatorNode, TargetFormTree, target_form_tree
from targets.snapshots import target_form_figures, target_form_snapshot_notes
from targets.workbooks import grid_workbook_bytes

TEMPLATES = {
    FormLayout.PROJECT: "reports/target_forms/project.html",
    FormLayout.APPLICATION: "reports/target_forms/application.html",
    FormLayout.DEPARTMENT: "reports/target_forms/department.html",
}
DEFAULT_TITLES = {
    FormLayout.PROJECT: "项目支出绩效目标表",
    FormLayout.APPLICATION: "财政支出项目绩效目标申报表",
    FormLayout.DEPARTMENT: "部门整体预算绩效目标表",
}


class GridDocuments:
    """What every document printed from a grid shares (target forms, the 项目基本情况表):
    its workbook is the grid's, and its PDF is laid out again where a page starts inside a
    merged label (``target_form_pdf``)."""

    kind: DocumentKind

    def export(self, document: Document, format: DocumentFormat) -> bytes:
        if format != DocumentFormat.XLSX:
            raise ValueError(f"{self.kind} documents have no {format} export.")
        grid = document.context["grid"]
        header = document.context["running_header"]
        assert isinstance(grid, Grid) and isinstance(header, str)
        return grid_workbook_bytes(grid, running_header=header)

    def pdf(
        self,
        document: Document,
        html_of: Callable[[Document], str],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> bytes:
        return target_form_pdf(document, html_of, progress=progress)


class TargetFormDocuments(GridDocuments):
    kind: DocumentKind = DocumentKind.TARGET_FORM
    formats: tuple[DocumentFormat, ...] = (DocumentFormat.PDF, DocumentFormat.XLSX)

    def visible(self, user: AbstractBaseUser | AnonymousUser, code: str) -> bool:
        return target_forms_for(user).filter(code=code).exists()

    def build(self, code: str) -> Document:
        return target_form_document(code=code)

    def notes(self, code: str) -> list[str]:
        return target_form_snapshot_notes(
            TargetForm.objects.select_related("project", "organisation").get(code=code)
        )


def target_form_document(*, code: str) -> Document:
    """Target form ``code`` laid out in its official grid (raises ``DoesNotExist``)."""
    tree = target_form_tree(code=code)
    form = tree.form
    layout = FormLayout(form.layout)
    grid = {
        FormLayout.PROJECT: _project_grid,
        FormLayout.APPLICATION: _application_grid,
        FormLayout.DEPARTMENT: _department_grid,
    }[layout](tree)
    subject = form.project.name if form.project else str(form.organisation)
    return Document(
        kind=DocumentKind.TARGET_FORM,
        code=form.code,
        title=f"{subject} {grid.title}",
        template_name=TEMPLATES[layout],
        context={
            "grid": grid,
            "layout": layout.value,
            "running_header": f"{subject}　{form.year}年度{grid.title}",
        },
    )


def target_form_pdf(
    document: Document,
    html_of: Callable[[Document], str],
    *,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The form's PDF, each merged label printed again on every page it runs onto
    (``target_form_pages``)."""
    _html, pages = target_form_pages(document, html_of)
    if progress is not None:
        progress(70)
    return write_pdf(pages)


def target_form_pages(
    document: Document, html_of: Callable[[Document], str]
) -> tuple[str, WeasyDocument]:
    """The HTML the form's PDF is made of, and its pages.

    The form is laid out once, each long text a row per line beside its label
    (``section_line_rows``); where a page starts inside a merged cell (部门整体资金, 支出,
    项目支出, a 一级 or 二级, the label of a long text running over pages) the grid is cut
    at that row with a copy of the cell below the cut, and laid out again. Cutting can
    move a break (a label in fewer rows may need more height), so it is repeated, from
    the original grid, until the rows that start pages are the rows cut — at most
    ``_LAYOUT_PASSES`` layouts; a form on one page, or whose pages start outside merged
    cells, is laid out once."""
    grid = document.context["grid"]
    assert isinstance(grid, Grid)
    # a long text a row per line, so that a page starting inside it repeats its label
    grid = replace(
        grid,
        sections=tuple(
            section_line_rows(s, kept_whole=LINE_KEPT_WHOLE) for s in grid.sections
        ),
    )
    document = replace(document, context={**document.context, "grid": grid})
    html = html_of(document)
    pages = layout_pages(html)
    cuts: dict[str, set[int]] = {}
    for _attempt in range(_LAYOUT_PASSES - 1):
        starts = rows_starting_pages(pages)
        wanted = {
            table: rows
            for table, rows in starts.items()
            if _spans_across(grid.sections[int(table)], rows)
        }
        if wanted == cuts:
            break
        cuts = wanted
        cut_grid = replace(
            grid,
            sections=tuple(
                section_split_at(section, cuts.get(str(index), set()))
                for index, section in enumerate(grid.sections)
            ),
        )
        html = html_of(
            replace(document, context={**document.context, "grid": cut_grid})
        )
        pages = layout_pages(html)
    return html, pages


_LAYOUT_PASSES = 3
LINE_KEPT_WHOLE = 600
"""Characters of a long text's line kept on one page: about 20 printed lines in the
narrowest text cell of a form, well within a page."""


def _spans_across(section: Section, rows: set[int]) -> bool:
    """Whether a merged cell of ``section`` runs across one of body ``rows``."""
    return any(
        start < row < start + cell.rowspan
        for start, cells in enumerate(section.body)
        for cell in cells.cells
        for row in rows
    )


# --- indicator tables -----------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """A column group of an indicator table: which level or value it shows."""

    source: str  # an IndicatorLevel for the hierarchy, or "name", "half", "value"
    colspan: int = 1


_LEVEL_STYLES: dict[str, str] = {
    IndicatorLevel.LEVEL1: "level1",
    IndicatorLevel.LEVEL2: "level2",
    IndicatorLevel.KEY_TASK: "key-task",
}


def _paths(
    nodes: Sequence[IndicatorNode], above: tuple[TargetIndicator, ...] = ()
) -> Iterator[tuple[TargetIndicator, ...]]:
    """One path per table row: root to 三级, or root to a node with nothing under it."""
    for node in nodes:
        path = (*above, node.indicator)
        if node.children:
            yield from _paths(node.children, path)
        else:
            yield path


def _indicator_rows(
    table: SectionBuilder,
    roots: Sequence[IndicatorNode],
    slots: Sequence[_Slot],
    lead: Cell | None = None,
) -> None:
    """One row per 三级 indicator; each ancestor spans the rows of its descendants."""
    paths = list(_paths(roots)) or [()]
    spans = Counter(indicator.pk for path in paths for indicator in path)
    drawn: set[int] = set()
    for number, path in enumerate(paths):
        by_level = {indicator.level: indicator for indicator in path}
        leaf = by_level.get(IndicatorLevel.LEVEL3)
        cells: list[Cell] = []
        if lead is not None and number == 0:
            cells.append(replace(lead, rowspan=len(paths)))
        for slot in slots:
            if slot.source in _LEVEL_STYLES:
                node = by_level.get(slot.source)
                if node is None:
                    cells.append(text("", colspan=slot.colspan))
                elif node.pk not in drawn:
                    drawn.add(node.pk)
                    cells.append(
                        text(
                            node.name,
                            rowspan=spans[node.pk],
                            colspan=slot.colspan,
                            style=_LEVEL_STYLES[slot.source],
                        )
                    )
            elif slot.source == "name":
                name = leaf.name if leaf else ""
                cells.append(text(name, colspan=slot.colspan, style="indicator"))
            else:
                value = (
                    ""
                    if leaf is None
                    else leaf.half_year_text
                    if slot.source == "half"
                    else leaf.value_text
                )
                cells.append(text(value, colspan=slot.colspan, style="value"))
        table.row(*cells)


# --- 项目支出绩效目标表 (project) -------------------------------------------------------


def _period(project: Project) -> str:
    if project.period_text:
        return project.period_text
    if project.start_date and project.end_date:
        return f"{_ymd(project.start_date)}至{_ymd(project.end_date)}"
    return ""


def _ymd(day: date | None) -> str:
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"


def _goals(form: TargetForm) -> list[tuple[str, str]]:
    if form.overall_goal and form.annual_goal:
        return [("总体目标", form.overall_goal), ("年度目标", form.annual_goal)]
    return [("绩效目标", form.overall_goal or form.annual_goal)]


def _project_grid(tree: TargetFormTree) -> Grid:
    form = tree.form
    assert form.project_id is not None
    project = Project.objects.select_related("department", "unit").get(
        pk=form.project_id
    )
    header = SectionBuilder("header", 6)
    header.row(
        label("项目名称", colspan=2),
        text(project.name, colspan=2),
        label("项目起止时间"),
        text(_period(project)),
    )
    header.row(
        label("主管预算部门", colspan=2),
        text(project.department.name, colspan=2),
        label("项目实施单位"),
        text(project.unit.name),
    )
    header.row(
        label(f"项目资金（{form.funds_unit}）", colspan=2, rowspan=2),
        amount(form.funds_total, colspan=2, rowspan=2),
        label("其中：财政拨款"),
        amount(form.funds_fiscal),
    )
    header.row(label("其他资金"), amount(form.funds_other))
    for heading, goal in _goals(form):
        header.row(
            label(heading, colspan=2), paragraphs(goal, colspan=4), breakable=True
        )

    table = SectionBuilder("indicators", 6)
    table.head(
        label("绩效指标", style="lead"),
        label("一级指标"),
        label("二级指标"),
        label("三级指标", colspan=2),
        label("指标值"),
    )
    _indicator_rows(
        table,
        tree.roots,
        [
            _Slot(IndicatorLevel.LEVEL1),
            _Slot(IndicatorLevel.LEVEL2),
            _Slot("name", colspan=2),
            _Slot("value"),
        ],
        lead=text("", style="lead", joins_above=True),
    )
    return Grid(
        title=form.title or DEFAULT_TITLES[FormLayout.PROJECT],
        subtitle=f"（{form.year}年度）",
        widths=(7, 12, 14, 18, 16, 33),
        sections=(header.build(), table.build()),
    )


# --- 财政支出项目绩效目标申报表 (application) ------------------------------------------


def _dash_date(day: date | None) -> str:
    return "" if day is None else f"{day.year}-{day.month}-{day.day}"


def _choice_lines(
    choices: type[ProjectType] | type[FundUse], chosen: str, breaks: Sequence[int]
) -> tuple[tuple[Check, ...], ...]:
    options = [Check(str(choice.value), choice.value == chosen) for choice in choices]
    bounds = [0, *breaks, len(options)]
    return tuple(tuple(options[a:b]) for a, b in pairwise(bounds))


def _application_grid(tree: TargetFormTree) -> Grid:
    form = tree.form
    assert form.project_id is not None
    project = Project.objects.select_related("unit", "applicant").get(
        pk=form.project_id
    )
    # As approved once the form is approved (its snapshot), the live budget before.
    figures = target_form_figures(form).budget
    budget_year = figures.budget_year if figures else None
    year_unit = budget_year.unit if budget_year else form.funds_unit

    header = SectionBuilder("header", 4)
    header.row(label("项目名称"), text(project.name, colspan=3))
    type_lines = _choice_lines(ProjectType, project.project_type, breaks=[3])
    header.row(
        label("项目类型", rowspan=len(type_lines)), checks(type_lines[:1], colspan=3)
    )
    for line in type_lines[1:]:
        header.row(checks((line,), colspan=3))
    header.row(
        label("资金用途"),
        checks(_choice_lines(FundUse, project.fund_use, breaks=[]), colspan=3),
    )
    header.row(
        label("开始时间"),
        text(_dash_date(project.start_date)),
        label("结束时间"),
        text(_dash_date(project.end_date)),
    )
    for heading, value in [
        ("项目概况", project.overview),
        ("立项依据", project.basis),
        ("项目设立的必要性", project.necessity),
        ("保证项目实施的制度、措施", project.safeguards),
    ]:
        header.row(label(heading), paragraphs(value, colspan=3), breakable=True)
    header.row(
        label(f"项目总预算（{project.total_budget_unit}）"),
        amount(project.total_budget),
        label(f"项目当年预算（{form.funds_unit}）"),
        amount(form.funds_total),
    )
    header.row(
        label(f"同名项目上年预算额（{year_unit}）"),
        amount(budget_year.previous_budget if budget_year else None),
        label(f"同名项目上年预算执行数（{year_unit}）"),
        amount(budget_year.previous_expenditure if budget_year else None),
    )
    sub_projects = figures.sub_projects if figures else []
    header.row(
        label("项目当年投入资金构成", rowspan=1 + len(sub_projects)),
        label("子项目名称", colspan=2),
        label(f"预算金额（{year_unit}）"),
    )
    for sub in sub_projects:
        header.row(text(sub.name, colspan=2), amount(sub.amount))
    for heading, value in [
        ("项目实施计划", project.implementation_plan),
        ("项目总目标", form.overall_goal),
        ("年度绩效目标", form.annual_goal),
    ]:
        header.row(label(heading), paragraphs(value, colspan=3), breakable=True)

    table = SectionBuilder("indicators", 4)
    table.head(label("分解目标", colspan=4))
    table.head(label("分解目标内容"), label("绩效指标"), label("指标目标值", colspan=2))
    _indicator_rows(
        table,
        tree.roots,
        [_Slot(IndicatorLevel.LEVEL1), _Slot("name"), _Slot("value", colspan=2)],
    )
    remarks = SectionBuilder("remarks", 4)
    remarks.row(label("备注"), text("", colspan=3))
    applicant = project.applicant or project.unit
    return Grid(
        title=form.title or DEFAULT_TITLES[FormLayout.APPLICATION],
        subtitle=f"（{form.year}年）",
        preamble=(f"申报单位名称：{applicant.name}",),
        widths=(20, 35, 22, 23),
        sections=(header.build(), table.build(), remarks.build()),
    )


# --- 部门整体预算绩效目标表 (department) ----------------------------------------------


def _funds_rows(figures: DepartmentBudgetFigures) -> list[list[Cell]]:
    """部门整体资金: the 收入 block (全年预算数) and the 支出 block (半年 and 全年)."""
    fiscal = [i for i in figures.income if i.source in FISCAL_APPROPRIATION_SOURCES]
    other = [i for i in figures.income if i.source not in FISCAL_APPROPRIATION_SOURCES]
    income: list[list[Cell]] = [
        [label("", colspan=3), label("全年预算数")],
        [label("资金总额", colspan=3), amount(figures.total_income)],
        [
            label("财政拨款", rowspan=1 + len(fiscal)),
            label("小计", colspan=2),
            amount(figures.fiscal_appropriation),
        ],
        *[[text(line.source, colspan=2), amount(line.amount)] for line in fiscal],
        *[[text(line.source, colspan=3), amount(line.amount)] for line in other],
    ]
    income[0].insert(0, label("收入", rowspan=len(income)))

    expenditure: list[list[Cell]] = [
        [label("", colspan=2), label("半年计划执行数"), label("全年预算数")],
        *_expenditure_group(
            "基本支出",
            figures.basic,
            figures.basic_half_year,
            figures.basic_full_year,
        ),
        *_expenditure_group(
            "项目支出",
            figures.projects,
            figures.projects_half_year,
            figures.projects_full_year,
        ),
    ]
    expenditure[0].insert(0, label("支出", rowspan=len(expenditure)))
    return income + expenditure


def _expenditure_group(
    heading: str,
    lines: Sequence[DepartmentExpenditure],
    half_year: Decimal,
    full_year: Decimal,
) -> list[list[Cell]]:
    if len(lines) == 1 and lines[0].name == heading:
        return [[label(heading, colspan=2), amount(half_year), amount(full_year)]]
    return [
        [
            label(heading, rowspan=1 + len(lines)),
            label("小计"),
            amount(half_year),
            amount(full_year),
        ],
        *[
            [
                text(line.name),
                amount(line.half_year_plan),
                amount(line.full_year_budget),
            ]
            for line in lines
        ],
    ]


def _has_key_tasks(node: IndicatorNode) -> bool:
    return node.indicator.level == IndicatorLevel.KEY_TASK or any(
        _has_key_tasks(child) for child in node.children
    )


def _department_grid(tree: TargetFormTree) -> Grid:
    form = tree.form
    organisation = form.organisation
    assert organisation is not None
    header = SectionBuilder("header", 6)
    header.row(label("单位名称", colspan=2), text(organisation.name, colspan=4))
    header.row(
        label("单位主要职能", colspan=2),
        paragraphs(form.main_functions, colspan=4),
        breakable=True,
    )
    header.row(
        label("机构设置及人员配置", colspan=2),
        paragraphs(form.staffing, colspan=4),
        breakable=True,
    )
    figures = target_form_figures(form).department
    if figures is not None:
        rows = _funds_rows(figures)
        unit = figures.budget.unit
        rows[0].insert(0, label(f"部门整体资金（{unit}）", rowspan=len(rows)))
        for cells in rows:
            header.row(*cells)
    header.row(
        label("中长期目标", colspan=2),
        paragraphs(form.long_term_goal, colspan=4),
        breakable=True,
    )
    header.row(
        label("年度目标", colspan=2),
        paragraphs(form.annual_goal, colspan=4),
        breakable=True,
    )

    sections: list[Section] = [header.build()]
    runs: list[tuple[bool, list[IndicatorNode]]] = []
    for root in tree.roots:
        flag = _has_key_tasks(root)
        if runs and runs[-1][0] == flag:
            runs[-1][1].append(root)
        else:
            runs.append((flag, [root]))
    half = form.has_half_year
    for number, (key_tasks, roots) in enumerate(runs, start=1):
        table = SectionBuilder(f"indicators indicators-{number}", 6)
        values = (
            [label("半年指标值"), label("全年指标值")]
            if half
            else [label("指标值", colspan=2)]
        )
        value_slots = (
            [_Slot("half"), _Slot("value")] if half else [_Slot("value", colspan=2)]
        )
        if key_tasks:
            table.head(
                label("一级指标"),
                label("二级指标"),
                label("重点工作"),
                label("三级指标"),
                *values,
            )
            slots = [
                _Slot(IndicatorLevel.LEVEL1),
                _Slot(IndicatorLevel.LEVEL2),
                _Slot(IndicatorLevel.KEY_TASK),
                _Slot("name"),
                *value_slots,
            ]
        else:
            table.head(
                label("一级指标"),
                label("二级指标"),
                label("三级指标", colspan=2),
                *values,
            )
            slots = [
                _Slot(IndicatorLevel.LEVEL1),
                _Slot(IndicatorLevel.LEVEL2),
                _Slot("name", colspan=2),
                *value_slots,
            ]
        _indicator_rows(table, roots, slots)
        sections.append(table.build())
    return Grid(
        title=form.title or DEFAULT_TITLES[FormLayout.DEPARTMENT],
        subtitle=f"{form.year}年度",
        widths=(10, 18, 17, 29, 13, 13),
        sections=tuple(sections),
    )

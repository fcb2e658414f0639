"""绩效运行监控表: a 运行监控 report (``targets.models.MonitoringReport``) as a document.

Laid out once as a ``kernel.grids.Grid`` (A4 landscape, ten columns), so the PDF and the
xlsx hold the same cells:

- the header: 项目名称 (or 单位名称 for a department form), 主管部门 and 实施单位, 监控期间;
- 预算执行情况: 全年预算数, the plan to date (the 半年计划执行数 of a department budget) or
  the time share, 实际执行数, 执行率, execution against the plan or the time share, the
  light, 偏差原因 and 纠偏措施 — and for a department budget each expenditure line;
- 绩效指标: 一级 / 二级 / 三级, the period's 指标值 (半年指标值), 全年指标值, 执行情况 to date,
  预计全年完成情况, the light (with 完成目标可能性), 偏差原因 and 纠偏措施; the 一级 and 二级
  cells span the rows below them.

The document is always Chinese (the printed form), whatever the reader's language. A
figure nobody reported prints as 未填报, never as zero.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from documents.kinds import Document
from documents.models import DocumentFormat, DocumentKind
from documents.target_forms import GridDocuments
from kernel.grids import Cell, Grid, SectionBuilder, amount, label, text
from kernel.rounding import percent, quantize
from targets.models import MonitoringLine, MonitoringReport
from targets.monitoring import budget_execution, time_share
from targets.monitoring_data import SpendingLine
from targets.monitoring_services import report_shown, thresholds
from targets.scoping import monitoring_reports_for

TITLE = "绩效运行监控表"
TEMPLATE = "reports/monitoring_table.html"
WIDTHS = (7, 10, 14, 8, 8, 10, 9, 7, 14, 13)
NOT_REPORTED = "未填报"

LIGHTS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "none": "—"}
LIKELIHOOD = {"certain": "确定能", "possible": "有可能", "impossible": "完全不可能"}
CAUSES = {
    "funding": "经费保障",
    "rules": "制度保障",
    "staff": "人员保障",
    "hardware": "硬件条件保障",
    "other": "其他",
}
STATUSES = {
    "draft": "草稿",
    "submitted": "已提交",
    "returned": "已退回修改",
    "accepted": "已审核通过",
}


class MonitoringTableDocuments(GridDocuments):
    kind: DocumentKind = DocumentKind.MONITORING_TABLE
    formats: tuple[DocumentFormat, ...] = (DocumentFormat.PDF, DocumentFormat.XLSX)

    def visible(self, user: AbstractBaseUser | AnonymousUser, code: str) -> bool:
        return monitoring_reports_for(user).filter(code=code).exists()

    def build(self, code: str) -> Document:
        return monitoring_table_document(code=code)

    def notes(self, code: str) -> list[str]:
        return []


def period_text(report: MonitoringReport) -> str:
    """监控期间 as printed: 2023年1-6月 (2023年1月 for one month)."""
    year = report.form.year
    if report.months == 1:
        return f"{year}年1月"
    return f"{year}年1-{report.months}月"


def _light(line: MonitoringLine) -> str:
    shown = LIGHTS[line.light]
    if line.likelihood:
        shown += f"（{LIKELIHOOD[line.likelihood]}）"
    return shown


def _cause(line: MonitoringLine) -> str:
    if not line.cause:
        return line.cause_text
    return (
        f"{CAUSES[line.cause]}：{line.cause_text}"
        if line.cause_text
        else CAUSES[line.cause]
    )


def _rate(part: Decimal | None, whole: Decimal | None) -> str:
    if part is None or not whole:
        return "—"
    return f"{percent(part, whole)}%"


def _spent(value: Decimal | None) -> Cell:
    return amount(value) if value is not None else text(NOT_REPORTED, style="value")


def monitoring_table_grid(
    report: MonitoringReport, lines: list[MonitoringLine], spending: list[SpendingLine]
) -> Grid:
    form = report.form
    months = report.months
    header = SectionBuilder("header", 10)
    if form.project is not None:
        header.row(label("项目名称", colspan=2), text(form.project.name, colspan=8))
        header.row(
            label("主管部门", colspan=2),
            text(form.project.department.name, colspan=3),
            label("实施单位", colspan=2),
            text(form.project.unit.name, colspan=3),
        )
    else:
        assert form.organisation is not None
        header.row(
            label("单位名称", colspan=2), text(form.organisation.name, colspan=8)
        )
    header.row(
        label("监控期间", colspan=2),
        text(period_text(report), colspan=3),
        label("报告状态", colspan=2),
        text(STATUSES[report.status], colspan=3),
    )

    money = SectionBuilder("budget", 10)
    planned_label = (
        f"1-{months}月计划执行数" if report.planned_to_date is not None else "时间进度"
    )
    money.head(
        label(f"预算执行情况（{report.budget_unit}）", colspan=2),
        label("全年预算数"),
        label(planned_label),
        label(f"1-{months}月实际执行数"),
        label("执行率"),
        label("执行进度" if report.planned_to_date is None else "完成计划"),
        label("监控结果"),
        label("偏差原因"),
        label("纠偏措施"),
    )
    budget_line = next((x for x in lines if x.kind == MonitoringLine.Kind.BUDGET), None)
    found = budget_execution(
        budget=report.budget,
        planned=report.planned_to_date,
        spent=report.spent_to_date,
        months=months,
        thresholds=thresholds(),
    )
    share = f"{quantize(time_share(months) * 100)}%"
    money.row(
        label(budget_line.name if budget_line else "年度资金总额", colspan=2),
        amount(report.budget) if report.budget is not None else text("—"),
        amount(report.planned_to_date)
        if report.planned_to_date is not None
        else text(share, style="value"),
        _spent(report.spent_to_date),
        text(_rate(report.spent_to_date, report.budget), style="value"),
        text(
            f"{found.ratio}%" if found and found.ratio is not None else "—",
            style="value",
        ),
        text(_light(budget_line) if budget_line else "—", style="value"),
        text(_cause(budget_line) if budget_line else ""),
        text(budget_line.measures if budget_line else ""),
        breakable=True,
    )
    for item in spending:
        money.row(
            text(item.name, colspan=2, style="item"),
            amount(item.budget),
            amount(item.planned) if item.planned is not None else text("—"),
            _spent(item.spent),
            text(_rate(item.spent, item.budget), style="value"),
            text(_rate(item.spent, item.planned), style="value"),
            text(""),
            text(""),
            text(""),
        )

    indicators = SectionBuilder("indicators", 10)
    period_label = "半年指标值" if months == 6 else f"1-{months}月指标值"
    indicators.head(
        label("一级指标"),
        label("二级指标"),
        label("三级指标"),
        label(period_label),
        label("全年指标值"),
        label(f"1-{months}月执行情况"),
        label("预计全年完成情况"),
        label("监控结果"),
        label("偏差原因"),
        label("纠偏措施"),
    )
    rows = [x for x in lines if x.kind == MonitoringLine.Kind.INDICATOR]
    for index, line in enumerate(rows):
        lead: list[Cell] = []
        if index == 0 or rows[index - 1].level1 != line.level1:
            span = 1
            while index + span < len(rows) and rows[index + span].level1 == line.level1:
                span += 1
            lead.append(label(line.level1, rowspan=span, style="level1"))
        if (
            index == 0
            or rows[index - 1].level1 != line.level1
            or rows[index - 1].level2 != line.level2
        ):
            span = 1
            while (
                index + span < len(rows)
                and rows[index + span].level1 == line.level1
                and rows[index + span].level2 == line.level2
            ):
                span += 1
            lead.append(text(line.level2, rowspan=span, style="level2"))
        indicators.row(
            *lead,
            text(line.name),
            text(line.period_target or "—", style="value"),
            text(line.year_target or "—", style="value"),
            text(line.to_date or NOT_REPORTED, style="value"),
            text(line.expected or "—", style="value"),
            text(_light(line), style="value"),
            text(_cause(line)),
            text(line.measures),
        )
    return Grid(
        title=TITLE,
        subtitle=f"（{period_text(report)}）",
        widths=WIDTHS,
        sections=(header.build(), money.build(), indicators.build()),
        landscape=True,
    )


def monitoring_table_document(*, code: str) -> Document:
    """Report ``code``'s 绩效运行监控表 (raises ``MonitoringReport.DoesNotExist``). An
    open report prints its budget as the budget records it now; a submitted one as it
    was submitted."""
    report = MonitoringReport.objects.select_related(
        "form",
        "form__project",
        "form__project__unit",
        "form__project__department",
        "form__organisation",
    ).get(code=code)
    lines = list(report.lines.order_by("position"))
    budget = report_shown(report, lines)
    spending = list(budget.lines)
    grid = monitoring_table_grid(report, lines, spending)
    form = report.form
    subject = form.project.name if form.project else str(form.organisation.name)  # type: ignore[union-attr]
    return Document(
        kind=DocumentKind.MONITORING_TABLE,
        code=report.code,
        title=f"{subject} {TITLE}（{period_text(report)}）",
        template_name=TEMPLATE,
        context={
            "grid": grid,
            "layout": "monitoring",
            "running_header": f"{subject}　{TITLE}（{period_text(report)}）",
        },
    )

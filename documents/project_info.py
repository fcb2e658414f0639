"""项目基本情况表 (the project information sheet of seed 000) as a document of its own.

Seed 000 prints it before the project's 项目支出绩效目标表: 项目名称, 主管预算部门 and 项目实施单位,
项目负责人 and 联系电话, 项目起止时间, 项目概况, 项目立项情况 (立项依据, 申报可行性, 申报必要性) and
项目实施进度计划 (each task with its planned start and finish). It is laid out once as a
``kernel.grids.Grid`` like the target forms, so the PDF and the xlsx hold the same cells, and
its PDF repeats a merged label on every page it runs onto as theirs do. The fixtures' marker
of an unreadable source (〔原文不清〕) prints as （原文此处无法辨认）.
"""

from __future__ import annotations

from typing import Unpack

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from budgets.models import Project
from budgets.scoping import projects_for
from documents.kinds import Document
from documents.models import DocumentFormat, DocumentKind
from documents.target_forms import GridDocuments
from evaluations.reports.text import UNREADABLE_MARKER, UNREADABLE_PRINTED
from kernel.grids import Cell, CellOptions, Grid, SectionBuilder, label
from kernel.grids import paragraphs as _paragraphs
from kernel.grids import text as _text

TITLE = "项目基本情况表"
TEMPLATE = "reports/project_info.html"


class ProjectInfoDocuments(GridDocuments):
    kind: DocumentKind = DocumentKind.PROJECT_INFO
    formats: tuple[DocumentFormat, ...] = (DocumentFormat.PDF, DocumentFormat.XLSX)

    def visible(self, user: AbstractBaseUser | AnonymousUser, code: str) -> bool:
        return projects_for(user).filter(code=code).exists()

    def build(self, code: str) -> Document:
        return project_info_document(code=code)

    def notes(self, code: str) -> list[str]:
        return []


def _printed(value: str) -> str:
    """A text as printed: the fixtures' marker of an unreadable source says so in words."""
    return value.replace(UNREADABLE_MARKER, UNREADABLE_PRINTED)


def text(value: str, **options: Unpack[CellOptions]) -> Cell:
    return _text(_printed(value), **options)


def paragraphs(value: str, **options: Unpack[CellOptions]) -> Cell:
    return _paragraphs(_printed(value), **options)


def _period(project: Project) -> str:
    if project.period_text:
        return project.period_text
    if project.start_date and project.end_date:
        start, end = project.start_date, project.end_date
        return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
    return ""


def project_info_grid(project: Project) -> Grid:
    """The 项目基本情况表 of ``project`` in seed 000's grid (six columns)."""
    sheet = SectionBuilder("header", 6)
    sheet.row(label("项目名称", colspan=2), text(project.name, colspan=4))
    sheet.row(
        label("主管预算部门", colspan=2),
        text(project.department.name),
        label("项目实施单位"),
        text(project.unit.name, colspan=2),
    )
    sheet.row(
        label("项目负责人", colspan=2),
        text(project.manager),
        label("联系电话"),
        text(project.manager_phone, colspan=2),
    )
    sheet.row(label("项目起止时间", colspan=2), text(_period(project), colspan=4))
    sheet.row(
        label("项目概况", colspan=2),
        paragraphs(project.overview, colspan=4),
        breakable=True,
    )
    approval = [
        ("项目立项依据", project.basis),
        ("项目申报可行性", project.feasibility),
        ("项目申报必要性", project.necessity),
    ]
    for number, (heading, value) in enumerate(approval):
        lead = [label("项目立项情况", rowspan=len(approval))] if number == 0 else []
        sheet.row(*lead, label(heading), paragraphs(value, colspan=4), breakable=True)
    tasks = list(project.tasks.order_by("position", "pk"))
    plan = SectionBuilder("plan", 6)
    plan.row(
        label("项目实施进度计划", rowspan=1 + len(tasks)),
        label("项目实施内容", colspan=2),
        label("计划启动时间"),
        label("计划完成时间", colspan=2),
    )
    for task in tasks:
        plan.row(
            text(task.content, colspan=2),
            text(task.planned_start, style="value"),
            text(task.planned_finish, colspan=2, style="value"),
        )
    return Grid(
        title=TITLE,
        subtitle="",
        widths=(10, 14, 28, 16, 16, 16),
        sections=(sheet.build(), plan.build()),
    )


def project_info_document(*, code: str) -> Document:
    """Project ``code``'s 项目基本情况表 (raises ``Project.DoesNotExist``)."""
    project = Project.objects.select_related("department", "unit").get(code=code)
    grid = project_info_grid(project)
    return Document(
        kind=DocumentKind.PROJECT_INFO,
        code=project.code,
        title=f"{project.name} {TITLE}",
        template_name=TEMPLATE,
        context={"grid": grid, "running_header": f"{project.name}　{TITLE}"},
    )

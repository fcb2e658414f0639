"""The year at a glance (``/overview/``): one page per year of every visible project and
the state of each stage, and the same rows as xlsx. Scoped as every other list
(``budgets.scoping.projects_for``): anyone logged in sees the projects they may see."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.pagination import paginate
from evaluations.models import Evaluation, ReviewStage
from overview.selectors import (
    DECISION_RECORDED,
    GRADES,
    NONE,
    SELF_DRAFT,
    SORTS,
    Filters,
    filtered,
    projects_of_year,
    rows_of,
    years_of,
)
from overview.workbooks import year_workbook
from targets.models import MonitoringLight, MonitoringStatus, TargetFormStatus

PAGE_SIZE = 50
RECTIFICATIONS = [
    ("open", gettext_lazy("with unfinished items")),
    ("overdue", gettext_lazy("with overdue items")),
    ("unverified", gettext_lazy("with items not yet verified")),
    (NONE, gettext_lazy("no items")),
]
DECISIONS = [
    (DECISION_RECORDED, gettext_lazy("decision recorded")),
    (NONE, gettext_lazy("no decision recorded")),
]
# the self-evaluation filter: not yet submitted, then each stage of its review
SELF_STAGES = [
    (SELF_DRAFT, Evaluation.Status.DRAFT.label),
    *[(value, label) for value, label in ReviewStage.choices if value],
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _choice(request: HttpRequest, name: str, values: list[str]) -> str:
    """``?name=`` when it is one of ``values``; anything else asks nothing (as every
    list's filters, core/lists.py)."""
    value = request.GET.get(name, "")
    return value if value in values else ""


def _filters(request: HttpRequest) -> Filters:
    return Filters(
        query=request.GET.get("q", "").strip(),
        target=_choice(request, "target", [*TargetFormStatus.values, NONE]),
        monitoring=_choice(request, "monitoring", [*MonitoringStatus.values, NONE]),
        light=_choice(request, "light", MonitoringLight.values),
        self_evaluation=_choice(
            request, "self", [value for value, _label in SELF_STAGES] + [NONE]
        ),
        grade=_choice(request, "grade", [*GRADES, NONE]),
        rectifications=_choice(
            request, "rectifications", [value for value, _label in RECTIFICATIONS]
        ),
        decision=_choice(request, "decision", [DECISION_RECORDED, NONE]),
    )


def _year(request: HttpRequest, years: list[int]) -> int | None:
    """``?year=`` when it is a number, else the latest year with any visible project."""
    text = request.GET.get("year", "")
    if text.isdecimal() and len(text) <= 4:
        return int(text)
    return years[0] if years else None


def _sort(request: HttpRequest) -> str:
    sort = request.GET.get("sort", "project")
    return sort if sort in SORTS else "project"


@login_required
@require_GET
def year_page(request: HttpRequest) -> HttpResponse:
    years = years_of(request.user)
    year = _year(request, years)
    filters = _filters(request)
    sort = _sort(request)
    context: dict[str, object] = {
        "years": years,
        "year": year,
        "filters": filters,
        "sort": sort,
        "NONE": NONE,
        "target_statuses": TargetFormStatus.choices,
        "monitoring_statuses": MonitoringStatus.choices,
        "lights": MonitoringLight.choices,
        "self_statuses": SELF_STAGES,
        "grades": GRADES,
        "rectification_filters": RECTIFICATIONS,
        "decision_filters": DECISIONS,
    }
    if year is not None:
        today = timezone.localdate()
        projects = filtered(projects_of_year(request.user, year, today), filters, year)
        page = paginate(request, projects.order_by(*SORTS[sort]), PAGE_SIZE)
        params = request.GET.copy()
        params.pop("page", None)
        params["year"] = str(year)
        without_sort = params.copy()
        without_sort.pop("sort", None)
        context |= {
            "page": page,
            "rows": rows_of(page.object_list, year, today),
            "next_year": year + 1,
            "params": params.urlencode(),
            "sort_params": without_sort.urlencode(),
        }
    return render(request, "overview/year.html", context)


@login_required
@require_GET
def year_export(request: HttpRequest) -> HttpResponse:
    """Every row of the page's year, filter and order (not one page) as xlsx."""
    years = years_of(request.user)
    year = _year(request, years)
    if year is None:
        year = 0
    filters = _filters(request)
    today = timezone.localdate()
    projects = filtered(
        projects_of_year(request.user, year, today), filters, year
    ).order_by(*SORTS[_sort(request)])
    title = f"{year} 年度预算绩效管理总览"
    if filters.query:
        title += f"（项目或单位含“{filters.query}”）"
    content = year_workbook(year=year, rows=rows_of(projects, year, today), title=title)
    response = HttpResponse(content, content_type=XLSX)
    name = f"{_('Year at a glance')}-{year}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response

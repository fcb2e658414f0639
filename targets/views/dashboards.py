"""Dashboards: the role-aware home page, a unit's indicators over the years, and the finance
bureau's hotline projects side by side. Charts are server-rendered SVG (``charts``); each
has its table one click away (a ``<details>`` under it). Dashboards live with the targets
because they chart indicators matched through the indicator library, the targets' concept;
the figures come from the operations data and the budgets, read in a fixed number of
queries per page whatever the number of rows shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from core.pagination import paginate

from accounts.models import Role
from accounts.scoping import (
    evaluations_for,
    organisations_for,
    projects_for,
    role_of,
    target_forms_for,
)
from budgets.models import BudgetYear, Organisation, Project
from kernel.decimals import without_trailing_zeros
from kernel.rates import Rate
from kernel.rounding import percent
from targets.models import IndicatorLevel, TargetFormStatus, TargetIndicator
from targets.views.charts import bar_chart, line_chart

PAGE_SIZE = 20

# What the comparison shows, from the operating data's entered counts.
ANSWERED, OFFERED = "calls-answered", "calls-offered"
LABOUR_COST = "labour-cost"
SATISFIED, CALLBACKS = "callbacks-satisfied", "callbacks"
ACCEPTED, STAFF = "cases-accepted", "staff-monthly-average"
COUNTS = (ANSWERED, OFFERED, LABOUR_COST, SATISFIED, CALLBACKS, ACCEPTED, STAFF)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    counts = target_forms_for(request.user).aggregate(
        awaiting_review=Count("pk", filter=Q(status=TargetFormStatus.SUBMITTED)),
        returned=Count("pk", filter=Q(status=TargetFormStatus.RETURNED)),
        drafts=Count("pk", filter=Q(status=TargetFormStatus.DRAFT)),
    )
    context = {
        "role": role,
        "roles": Role,
        **counts,
        "evaluations": evaluations_for(request.user).count(),
        "organisation": getattr(
            getattr(request.user, "membership", None), "organisation", None
        ),
    }
    return render(request, "dashboards/home.html", context)


def _to(value: Decimal, unit: str, target: str) -> Decimal | None:
    from kernel.units import convert_for_target

    return value if unit == target else convert_for_target(value, unit, target)


def _year_counts(
    organisation_ids: list[int], years: list[int]
) -> dict[tuple[int, int], dict[str, tuple[Decimal, str]]]:
    """Entered counts of ``COUNTS`` per (organisation, year), in one query: the whole-year
    row where there is one, else the sum of the monthly rows (月均人数: their mean)."""
    try:
        from operations.models import OperatingValue
    except ImportError:  # pragma: no cover - operations is installed
        return {}
    rows = OperatingValue.objects.filter(
        organisation_id__in=organisation_ids,
        year__in=years,
        metric__code__in=COUNTS,
        metric__organisation__isnull=True,
    ).values_list("organisation_id", "year", "month", "metric__code", "value", "unit")
    annual: dict[tuple[int, int], dict[str, tuple[Decimal, str]]] = defaultdict(dict)
    monthly: dict[tuple[int, int, str], list[tuple[Decimal, str]]] = defaultdict(list)
    for org, year, month, code, value, unit in rows:
        if month is None:
            annual[(org, year)][code] = (value, unit)
        else:
            monthly[(org, year, code)].append((value, unit))
    for (org, year, code), values in monthly.items():
        if code in annual[(org, year)]:
            continue
        unit = values[0][1]
        converted = [_to(v, u, unit) for v, u in values]
        numbers = [v for v in converted if v is not None]
        total: Decimal = sum(numbers, Decimal(0))
        if code == STAFF and numbers:
            total = total / len(numbers)
        annual[(org, year)][code] = (total, unit)
    return annual


@dataclass(frozen=True)
class ProjectFigures:
    project: Project
    budget_year: BudgetYear | None
    answer_rate: Rate | None
    cost_per_10k: Decimal | None
    satisfaction: Rate | None

    @property
    def execution(self) -> Rate | None:
        return None if self.budget_year is None else self.budget_year.execution_rate


def _rate(counts: dict[str, tuple[Decimal, str]], num: str, den: str) -> Rate | None:
    if num not in counts or den not in counts:
        return None
    (n, n_unit), (d, d_unit) = counts[num], counts[den]
    n_in = _to(n, n_unit, d_unit)
    if n_in is None or d == 0:
        return None
    return Rate(n_in, d)


def _cost_per_10k(counts: dict[str, tuple[Decimal, str]]) -> Decimal | None:
    """每万接听量人工成本 = 人工费用（万元）÷ 接听量（万次）, two places half-up."""
    if LABOUR_COST not in counts or ANSWERED not in counts:
        return None
    cost = _to(*counts[LABOUR_COST], "万元")
    answered = _to(*counts[ANSWERED], "万次")
    if cost is None or not answered:
        return None
    return percent(cost, answered * 100)


def _percent(rate: Rate | None) -> Decimal | None:
    return None if rate is None else rate.percent


@login_required
@require_GET
def projects_dashboard(request: HttpRequest) -> HttpResponse:
    """All visible hotline projects side by side for one year: 接通率, 每万接听量人工成本,
    满意率 and budget execution; filtered by year and region, one page at a time."""
    regions = list(
        organisations_for(request.user)
        .filter(kind=Organisation.Kind.UNIT)
        .exclude(region="")
        .values_list("region", flat=True)
        .distinct()
        .order_by("region")
    )
    region = request.GET.get("region", "")
    visible = projects_for(request.user)
    if region:
        visible = visible.filter(unit__region=region)
    # one pass over the projects gives the years to choose from and each year's count
    per_year: dict[int, int] = dict(
        visible.filter(budget_years__isnull=False)
        .values_list("budget_years__year")
        .annotate(projects=Count("pk"))
        .order_by()
    )
    years = sorted(per_year, reverse=True)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdecimal() else (years[0] if years else 0)
    # EXISTS rather than a join: the page is then read off the project name index
    projects = visible.filter(
        Exists(BudgetYear.objects.filter(project=OuterRef("pk"), year=year))
    ).select_related("unit")
    count = per_year.get(year, 0)
    page = paginate(request, projects.order_by("name"), PAGE_SIZE, count)
    shown = list(page.object_list)
    budget_years = {
        b.project_id: b
        for b in BudgetYear.objects.filter(project__in=[p.pk for p in shown], year=year)
    }
    counts = _year_counts([p.unit_id for p in shown], [year])
    rows = []
    for project in shown:
        figures = counts.get((project.unit_id, year), {})
        rows.append(
            ProjectFigures(
                project=project,
                budget_year=budget_years.get(project.pk),
                answer_rate=_rate(figures, ANSWERED, OFFERED),
                cost_per_10k=_cost_per_10k(figures),
                satisfaction=_rate(figures, SATISFIED, CALLBACKS),
            )
        )
    charts = [
        bar_chart(
            "接通率", "%", [(r.project.name, _percent(r.answer_rate), "") for r in rows]
        ),
        bar_chart(
            "每万接听量人工成本",
            " 万元",
            [(r.project.name, r.cost_per_10k, "") for r in rows],
        ),
        bar_chart(
            "满意率",
            "%",
            [(r.project.name, _percent(r.satisfaction), "") for r in rows],
        ),
        bar_chart(
            "预算执行率",
            "%",
            [(r.project.name, _percent(r.execution), "") for r in rows],
        ),
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "dashboards/projects.html",
        {
            "rows": rows,
            "charts": charts,
            "page": page,
            "years": years,
            "year": year,
            "regions": regions,
            "region": region,
            "params": params.urlencode(),
        },
    )


UNIT_SERIES = (
    ("call-answer-rate", "接通率", "%"),
    ("accepted-volume", "受理量", ""),
    ("completion-rate", "办结率", "%"),
    ("satisfaction-rate", "满意率", "%"),
    ("labour-cost-per-10k-answered", "每万接听量人工成本", "万元"),
    ("staff-monthly-average", "月均人数", "人"),
)


@login_required
@require_GET
def unit_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """One unit's indicators over the years: actual values from its operating data and the
    targets of its forms, for the same library indicators."""
    organisation = get_object_or_404(organisations_for(request.user), code=code)
    from operations.selectors import actual_values_by_year, years_with_data

    years = sorted(years_with_data(organisation=organisation))[-6:]
    actual_by_year = actual_values_by_year(organisation=organisation, years=years)
    targets: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for indicator in TargetIndicator.objects.filter(
        Q(form__project__unit=organisation) | Q(form__organisation=organisation),
        level=IndicatorLevel.LEVEL3,
        value_number__isnull=False,
        library_indicator__code__in=[code for code, _n, _u in UNIT_SERIES],
    ).values_list("library_indicator__code", "form__year", "value_number"):
        code, year, number = indicator
        if code is not None and number is not None:
            # stored with four places ("750.0000"): shown as written ("750")
            targets[code][year] = without_trailing_zeros(number)
    charts = []
    tables = []
    for library_code, name, _unit in UNIT_SERIES:
        actual = {
            y: values[library_code].value
            for y, values in actual_by_year.items()
            if library_code in values
        }
        unit = next(
            (
                values[library_code].unit
                for values in actual_by_year.values()
                if library_code in values
            ),
            _unit,
        )
        target = {y: v for y, v in targets.get(library_code, {}).items() if y in years}
        if not actual and not target:
            continue
        series = [("实际值", "actual", actual)]
        if target:
            series.append(("目标值", "target", target))
        charts.append(line_chart(name, unit, years, series))
        tables.append([(y, actual.get(y), target.get(y)) for y in years])
    return render(
        request,
        "dashboards/unit.html",
        {
            "organisation": organisation,
            "years": years,
            "charts": list(zip(charts, tables, strict=True)),
            "units": organisations_for(request.user)
            .filter(kind=Organisation.Kind.UNIT)
            .order_by("name")[:50],
        },
    )

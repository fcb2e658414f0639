"""Dashboards: the finance bureau's hotline projects side by side, and a unit's indicators
over the years. Charts are server-rendered SVG (``operations.charts``); each has its table
one click away (a ``<details>`` under it).

The dashboards live with the operating data because every figure they chart is an actual
value of it, computed once by ``operations.selectors`` (year totals from the months by each
metric's aggregation, rates and costs by ``kernel.metrics``, as the evaluation reports print
them: Tianjin 2020's 每万接听量人工成本 is 8.99 on both); the targets they set beside them come
from the targets app below. Each page reads a fixed number of queries whatever the number of
rows shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from accounts.scoping import organisations_for
from budgets.models import BudgetYear, Organisation, Project
from budgets.scoping import projects_for
from core.pagination import paginate
from kernel.decimals import without_trailing_zeros
from kernel.rates import Rate
from operations.charts import bar_chart, line_chart
from operations.selectors import (
    ActualValue,
    actual_values_by_year,
    reconstructed_entered,
    standard_actual_values,
    years_with_data,
)
from targets.models import IndicatorLevel, TargetIndicator

PAGE_SIZE = 20

# What the comparison shows: metric codes of the operating-data catalogue.
ANSWER_RATE = "answer-rate"
LABOUR_COST_PER_10K_CALLS = "labour-cost-per-10k-calls"
SATISFACTION_RATE = "satisfaction-rate"


@dataclass(frozen=True)
class ProjectFigures:
    project: Project
    budget_year: BudgetYear | None
    answer_rate: Rate | None
    cost_per_10k: Decimal | None
    satisfaction: Rate | None
    # the counts behind the answer rate are reconstructed (read back from the rate)
    answer_counts_reconstructed: bool = False

    @property
    def execution(self) -> Rate | None:
        return None if self.budget_year is None else self.budget_year.execution_rate


def _rate(actuals: Mapping[str, ActualValue], code: str) -> Rate | None:
    """A rate with the two counts it was derived from (接通率: 接听量 / 呼入量)."""
    actual = actuals.get(code)
    if actual is None or actual.numerator is None or actual.denominator is None:
        return None
    return Rate(actual.numerator, actual.denominator)


def _value(actuals: Mapping[str, ActualValue], code: str) -> Decimal | None:
    actual = actuals.get(code)
    return None if actual is None else actual.value


def _percent(rate: Rate | None) -> Decimal | None:
    return None if rate is None else rate.percent


@login_required
@require_GET
def projects_dashboard(request: HttpRequest) -> HttpResponse:
    """All visible hotline projects side by side for one year: 接通率, 每万接听量人工成本,
    满意率 and budget execution; filtered by year and region, one page at a time."""
    visible = projects_for(request.user)
    # the regions of the projects the page can show (their implementing organisations',
    # whatever their kind: Panjin's and Shanghai's are departments), not of every unit
    regions = list(
        visible.exclude(unit__region="")
        .values_list("unit__region", flat=True)
        .distinct()
        .order_by("unit__region")
    )
    region = request.GET.get("region", "")
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
    actuals = standard_actual_values(organisations=[p.unit for p in shown], year=year)
    reconstructed = reconstructed_entered(
        organisations=[p.unit for p in shown], year=year
    )
    rows = []
    for project in shown:
        figures = actuals.get(project.unit_id, {})
        rows.append(
            ProjectFigures(
                project=project,
                budget_year=budget_years.get(project.pk),
                answer_rate=_rate(figures, ANSWER_RATE),
                cost_per_10k=_value(figures, LABOUR_COST_PER_10K_CALLS),
                satisfaction=_rate(figures, SATISFACTION_RATE),
                answer_counts_reconstructed=bool(
                    reconstructed.get(project.unit_id, set())
                    & {"calls-answered", "calls-offered"}
                ),
            )
        )
    charts = [
        bar_chart(
            _("answer rate"),
            "%",
            [(r.project.name, _percent(r.answer_rate), "") for r in rows],
        ),
        bar_chart(
            _("labour cost per 10,000 calls answered"),
            " 万元",
            [(r.project.name, r.cost_per_10k, "") for r in rows],
        ),
        bar_chart(
            _("satisfaction rate"),
            "%",
            [(r.project.name, _percent(r.satisfaction), "") for r in rows],
        ),
        bar_chart(
            _("budget execution rate"),
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
    ("call-answer-rate", gettext_lazy("answer rate"), "%"),
    ("accepted-volume", gettext_lazy("cases accepted"), ""),
    ("completion-rate", gettext_lazy("completion rate"), "%"),
    ("satisfaction-rate", gettext_lazy("satisfaction rate"), "%"),
    (
        "labour-cost-per-10k-answered",
        gettext_lazy("labour cost per 10,000 calls answered"),
        "万元",
    ),
    ("staff-monthly-average", gettext_lazy("monthly average headcount"), "人"),
)


@login_required
@require_GET
def unit_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """One unit's indicators over the years: actual values from its operating data and the
    targets of its forms, for the same library indicators."""
    organisation = get_object_or_404(organisations_for(request.user), code=code)

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
        series = [(pgettext("chart series", "actual"), "actual", actual)]
        if target:
            series.append((pgettext("chart series", "target"), "target", target))
        charts.append(line_chart(str(name), unit, years, series))
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

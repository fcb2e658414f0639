"""The comparison page and its xlsx export (GET only: nothing here writes)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from accounts.scoping import organisations_for
from comparisons.forms import DEFAULT_KPI, ComparisonFilterForm
from comparisons.selectors import (
    CentreFigure,
    Comparison,
    KpiComparison,
    comparable_kpis,
    comparison_years,
    kpi_comparison,
)
from comparisons.workbooks import comparison_workbook
from operations.charts import BarChart, bar_chart

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(
    request: HttpRequest, *, report: bool = True
) -> tuple[ComparisonFilterForm, int | None, str]:
    """The filter form and the year and KPI it gives; a year or KPI the user cannot
    choose is refused with its message (``report``), and the default shown instead."""
    kpis = comparable_kpis()
    years = comparison_years(organisations=organisations_for(request.user))
    form = ComparisonFilterForm(request.GET, years=years, kpis=kpis)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    year = cleaned.get("year") if "year" not in form.errors else None
    kpi = cleaned.get("kpi") if "kpi" not in form.errors else None
    for errors in form.errors.values() if report else ():
        for error in errors:
            messages.error(request, str(error))
    return form, year, kpi or DEFAULT_KPI


def _chart(compared: KpiComparison, year: int) -> BarChart:
    kpi = compared.kpi
    reference = None
    if kpi.standard is not None:
        reference = (
            f"{kpi.standard.text}{pgettext('punctuation', ' (')}"
            f"{kpi.standard.comparator.value}{kpi.standard.value}{kpi.unit}"
            f"{pgettext('punctuation', ')')}",
            kpi.standard.value,
        )
    return bar_chart(
        f"{kpi.name}{pgettext('punctuation', ' (')}{year}{pgettext('punctuation', ')')}",
        kpi.unit if kpi.unit == "%" else f" {kpi.unit}",
        [
            (
                f.organisation.name,
                f.value,
                "below" if f.meets_standard is False else "",
            )
            for f in compared.figures
        ],
        reference=reference,
    )


def _matrix(
    comparison: Comparison,
) -> list[tuple[KpiComparison, list[CentreFigure | None]]]:
    """Each KPI with figures, and its figure (or None) for each centre in order."""
    rows = []
    for compared in comparison.kpis:
        if not compared.figures:
            continue
        by_centre = {f.organisation.pk: f for f in compared.figures}
        rows.append((compared, [by_centre.get(c.pk) for c in comparison.centres]))
    return rows


@login_required
@require_GET
def comparison(request: HttpRequest) -> HttpResponse:
    """The centres the user sees, compared on one KPI of one year (chart, ranks, spread,
    sources, the standard line) and on every KPI of the year (the matrix)."""
    form, year, kpi = _filters(request)
    result = kpi_comparison(user=request.user, year=year)
    selected = result.kpi(kpi) or result.kpi(DEFAULT_KPI)
    chart = (
        _chart(selected, result.year)
        if selected is not None and selected.figures and result.year
        else None
    )
    return render(
        request,
        "comparisons/index.html",
        {
            "form": form,
            "comparison": result,
            "selected": selected,
            "chart": chart,
            "matrix": _matrix(result),
            "kpis": [k.kpi for k in result.kpis],
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """Every KPI of the chosen year as xlsx (the page's comparison, all KPIs)."""
    _form, year, _kpi = _filters(request, report=False)
    result = kpi_comparison(user=request.user, year=year)
    response = HttpResponse(comparison_workbook(comparison=result), content_type=XLSX)
    name = f"{_('Hotline comparison')}-{result.year or ''}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response

"""运行监控: half-year actuals against half-year values, budget execution against the time
elapsed as traffic lights, and lines spent beyond their budget without an approved
adjustment (``targets.monitoring``). An actual nobody entered on the page comes from the
unit's uploaded operating data with its source: January to June for the half year
(``operations.selectors.half_year_actual_values``), the year's figures for the full year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import can_prepare_target_form
from operations.selectors import (
    ActualValue,
    actual_values,
    half_year_actual_values,
)
from targets.forms import ActualForm
from targets.models import IndicatorLevel, TargetForm
from targets.monitoring import (
    LIGHT_LABELS,
    Thresholds,
    elapsed_share,
    execution,
    half_year_judgement,
    overspend,
)
from targets.review_data import budget_year_of, form_indicators, subject_organisation
from targets.services import target_indicator_record_actual
from targets.values import Comparator, ParsedValue, parse_indicator_value
from targets.views.access import get_form_for_user, get_indicator, is_fragment

JUDGEMENT_LABELS = {
    "met": "达成",
    "not_met": "未达成",
    "no_data": "尚未填报",
    "not_comparable": "单位不可比",
    "qualitative": "定性，由审核人判断",
    "unmatched": "未对应指标库",
    "no_target": "未设半年指标值",
}


def _thresholds() -> Thresholds:
    config = getattr(settings, "TARGETS_REVIEW", {})
    return Thresholds(
        red=Decimal(config.get("execution_red", "0.60")),
        yellow=Decimal(config.get("execution_yellow", "0.80")),
    )


def _as_of(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


def _operating_data(
    form: TargetForm,
) -> tuple[dict[str, ActualValue], dict[str, ActualValue]]:
    """The half-year and the full-year actual values from the operations app's uploaded
    data, by library code: the actual of an indicator nobody entered by hand."""
    organisation = subject_organisation(form)
    if organisation is None:
        return {}, {}
    half = (
        half_year_actual_values(organisation=organisation, year=form.year)
        if form.has_half_year
        else {}
    )
    return half, actual_values(organisation=organisation, year=form.year)


def _actual(entered: str, operating: ActualValue | None) -> tuple[ParsedValue, str]:
    """What an indicator achieved, and where it comes from: the value entered on this page
    when there is one (no source shown), else the uploaded operating data's figure."""
    if entered or operating is None:
        return parse_indicator_value(entered), ""
    parsed = ParsedValue(
        text=operating.display,
        comparator=Comparator.EQ,
        number=operating.value,
        unit=operating.unit,
    )
    return parsed, operating.source


def monitoring_context(request: HttpRequest, form: TargetForm) -> dict[str, object]:
    as_of = _as_of(request)
    elapsed = elapsed_share(form.year, as_of)
    half_data, year_data = _operating_data(form)
    rows = []
    for indicator in form_indicators(form):
        if indicator.level != IndicatorLevel.LEVEL3:
            continue
        library = indicator.library_indicator
        code = library.code if library else ""
        half_actual, half_source = _actual(
            indicator.half_year_actual_text, half_data.get(code)
        )
        judgement = half_year_judgement(
            target=parse_indicator_value(indicator.half_year_text),
            actual=half_actual,
            direction=library.direction if library else "",
        )
        full_actual, full_source = _actual(indicator.actual_text, year_data.get(code))
        full = half_year_judgement(
            target=parse_indicator_value(indicator.value_text),
            actual=full_actual,
            direction=library.direction if library else "",
        )
        rows.append(
            {
                "indicator": indicator,
                "half": judgement,
                "half_label": JUDGEMENT_LABELS.get(judgement.status, ""),
                "half_actual": half_actual.text,
                "half_source": half_source,
                "full": full,
                "full_label": JUDGEMENT_LABELS.get(full.status, ""),
                "full_actual": full_actual.text,
                "full_source": full_source,
            }
        )
    budget_year = budget_year_of(form)
    budget = None
    lines = []
    overspends = []
    thresholds = _thresholds()
    if budget_year is not None:
        budget = execution(
            label="项目合计",
            budget=budget_year.adjusted,
            expenditure=budget_year.expenditure,
            elapsed=elapsed,
            thresholds=thresholds,
        )
        for line in budget_year.lines.all():
            lines.append(
                execution(
                    label=line.get_category_display(),
                    budget=line.budget,
                    expenditure=line.expenditure,
                    elapsed=elapsed,
                    thresholds=thresholds,
                )
            )
            found = overspend(
                category=line.get_category_display(),
                budget=line.budget,
                expenditure=line.expenditure,
                approved_adjustments=sum(
                    (a.amount for a in line.approved_adjustments),  # type: ignore[attr-defined]
                    Decimal(0),
                ),
                unit=budget_year.unit,
            )
            if found is not None:
                overspends.append(found)
    return {
        "form": form,
        "as_of": as_of,
        "elapsed_percent": (elapsed * 100).quantize(Decimal("0.01")),
        "rows": rows,
        "budget_year": budget_year,
        "budget": budget,
        "lines": lines,
        "overspends": overspends,
        "light_labels": LIGHT_LABELS,
        "thresholds": thresholds,
        "can_record": can_prepare_target_form(request.user, form),
    }


@login_required
@require_GET
def form_monitoring(request: HttpRequest, code: str) -> HttpResponse:
    form = get_form_for_user(request, code)
    return render(request, "targets/monitoring.html", monitoring_context(request, form))


@login_required
@require_POST
def indicator_actual(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    form = get_form_for_user(request, code)
    if not can_prepare_target_form(request.user, form):
        raise PermissionDenied
    indicator = get_indicator(form, pk)
    actual = ActualForm(request.POST)
    status = 200
    error = ""
    if actual.is_valid():
        try:
            target_indicator_record_actual(
                indicator=indicator,
                half_year_actual=actual.cleaned_data["half_year_actual"],
                actual=actual.cleaned_data["actual"],
            )
        except ValidationError as exc:
            status, error = 400, "；".join(exc.messages)
    if is_fragment(request):
        context = monitoring_context(request, form)
        context["error"] = error
        return render(request, "targets/_monitoring_rows.html", context, status=status)
    return redirect("targets:monitoring", code=form.code)

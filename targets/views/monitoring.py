"""运行监控: half-year actuals against half-year values, budget execution against the time
elapsed as traffic lights, and lines spent beyond their budget without an approved
adjustment (``targets.monitoring``). The indicators' rows come from
``targets.monitoring_data``: an actual nobody entered comes from the unit's uploaded
operating data, with its source and its computation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from targets.forms import ActualForm
from targets.models import TargetForm
from targets.monitoring import (
    LIGHT_LABELS,
    Thresholds,
    elapsed_share,
    execution,
    overspend,
)
from targets.monitoring_data import monitored_indicators
from targets.review_data import budget_year_of
from targets.scoping import can_prepare_target_form
from targets.services import target_indicator_record_actual
from targets.views.access import get_form_for_user, get_indicator, is_fragment
from targets.views.entry import form_list_context


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


def monitoring_context(request: HttpRequest, form: TargetForm) -> dict[str, object]:
    as_of = _as_of(request)
    elapsed = elapsed_share(form.year, as_of)
    rows = monitored_indicators(form)
    judged = [r.full.judgement.status for r in rows]
    budget_year = budget_year_of(form)
    budget = None
    lines = []
    overspends = []
    thresholds = _thresholds()
    if budget_year is not None:
        budget = execution(
            label=_("project total"),
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
        "summary": {
            "indicators": len(rows),
            "from_operating_data": sum(1 for r in rows if r.full.operating),
            "met": judged.count("met"),
            "not_met": judged.count("not_met"),
        },
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


@login_required
@require_GET
def monitoring_list(request: HttpRequest) -> HttpResponse:
    """The forms the user may monitor, filtered and one page at a time, as in the list of
    target forms (served at its old address, /operations/monitoring/, by operations' URLs)."""
    return render(
        request, "operations/monitoring_index.html", form_list_context(request)
    )


@login_required
@require_GET
def monitoring_moved(request: HttpRequest, code: str) -> HttpResponse:
    """The old address of a form's 运行监控 (/operations/monitoring/<code>/): a permanent
    redirect for whoever may read the form, a 404 for anyone else."""
    form = get_form_for_user(request, code)
    return redirect("targets:monitoring", code=form.code, permanent=True)

"""运行监控: half-year actuals against half-year values, budget execution against the time
elapsed as traffic lights, and lines spent beyond their budget without an approved
adjustment (``targets.monitoring``). The indicators' rows come from
``targets.monitoring_data``: an actual nobody entered comes from the unit's uploaded
operating data, with its source and its computation."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from kernel.rounding import quantize
from targets import monitoring_services
from targets.forms import ActualForm
from targets.models import (
    MonitoringLight,
    MonitoringLine,
    MonitoringReport,
    MonitoringStatus,
    TargetForm,
    TargetFormStatus,
)
from targets.monitoring import (
    LIGHT_LABELS,
    Thresholds,
    budget_execution,
    elapsed_share,
    execution,
    indicator_line_light,
    overspend,
    time_share,
)
from targets.monitoring_data import monitored_indicators, report_budget
from targets.monitoring_forms import (
    MonitoringAcceptForm,
    MonitoringReportForm,
    MonitoringReturnForm,
    MonitoringStartForm,
    period_label,
)
from targets.monitoring_services import (
    monitoring_report_save,
    preview_lines,
    report_shown,
)
from targets.monitoring_services import thresholds as monitoring_thresholds
from targets.review_data import budget_year_of
from targets.scoping import can_prepare_target_form, can_review_target_form
from targets.services import target_indicator_record_actual
from targets.views.access import (
    get_form_for_user,
    get_form_to_prepare,
    get_indicator,
    is_fragment,
)
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


def _department_execution(
    form: TargetForm, as_of: date, thresholds: Thresholds
) -> dict[str, object] | None:
    """双监控 of a department form: its department budget's spending to the end of the
    last whole month before ``as_of`` (as the department reported it) against the
    share of the year those months are; ``None`` for a project form or without a
    department budget."""
    if form.organisation_id is None:
        return None
    if as_of.year > form.year:
        month = 12
    elif as_of.year < form.year:
        month = 0
    else:
        last_day = calendar.monthrange(as_of.year, as_of.month)[1]
        month = as_of.month if as_of.day == last_day else as_of.month - 1
    found = report_budget(form, max(month, 1))
    if found.kind != "department" or found.budget is None:
        return None
    share = time_share(month) if month else Decimal(0)
    rows = [
        execution(
            label=line.name,
            budget=line.budget,
            expenditure=line.spent if month else None,
            elapsed=share,
            thresholds=thresholds,
        )
        for line in found.lines
    ]
    total = execution(
        label=_("department total"),
        budget=found.budget,
        expenditure=found.spent if month else None,
        elapsed=share,
        thresholds=thresholds,
    )
    return {
        "budget": total,
        "lines": rows,
        "unit": found.unit,
        "month": month,
        "reported": found.reported_lines if month else 0,
        "count": len(found.lines),
    }


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
    department = _department_execution(form, as_of, thresholds)
    if department is not None:
        budget, lines = department["budget"], department["lines"]  # type: ignore[assignment]
    return {
        "department": department,
        "budget_unit": budget_year.unit
        if budget_year
        else (department["unit"] if department else ""),
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
    return render(
        request,
        "targets/monitoring.html",
        monitoring_context(request, form) | _reports_context(request, form),
    )


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


# --------------------------------------------------------------------------- reports


def _messages(form: Form) -> list[str]:
    """A bound form's errors as plain sentences, for the page's error box."""
    return [str(m) for ms in form.errors.values() for m in ms]


def _reports_context(request: HttpRequest, form: TargetForm) -> dict[str, object]:
    return {
        "reports": list(form.monitoring_reports.order_by("months")),
        "start_form": MonitoringStartForm(),
        "can_start": can_prepare_target_form(request.user, form)
        and form.status == TargetFormStatus.APPROVED,
    }


def _get_report(request: HttpRequest, code: str, months: int) -> MonitoringReport:
    """The report of form ``code`` for January to ``months``, if the user may read the
    form; 404 otherwise."""
    form = get_form_for_user(request, code)
    report = get_object_or_404(MonitoringReport, form=form, months=months)
    report.form = form
    return report


def _report_page(
    request: HttpRequest,
    report: MonitoringReport,
    *,
    edit: MonitoringReportForm | None = None,
    return_form: MonitoringReturnForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = list(report.lines.order_by("position"))
    if edit is not None:  # a refused post: its lines, with what was typed
        lines = edit.lines
    budget = report_shown(report, lines)
    can_edit = report.is_editable and can_prepare_target_form(request.user, report.form)
    if edit is None and can_edit:
        edit = MonitoringReportForm(report=report, lines=lines)
    rows = [
        {
            "line": line,
            "fields": edit.line_fields(line) if can_edit and edit is not None else {},
            "judgement": indicator_line_light(
                period_target=line.period_target,
                to_date=line.to_date,
                year_target=line.year_target,
                expected=line.expected,
                likelihood=line.likelihood,
            )
            if line.kind == MonitoringLine.Kind.INDICATOR
            else None,
        }
        for line in lines
    ]
    execution_figures = budget_execution(
        budget=report.budget,
        planned=report.planned_to_date,
        spent=report.spent_to_date,
        months=report.months,
        thresholds=monitoring_thresholds(),
    )
    reviewer = can_review_target_form(request.user, report.form)
    context = {
        "form": report.form,
        "report": report,
        "period": period_label(report.months),
        "rows": rows,
        "budget": budget,
        "execution": execution_figures,
        "time_share": quantize(time_share(report.months) * 100),
        "edit": edit if can_edit else None,
        "can_edit": can_edit,
        "can_review": reviewer and report.status == MonitoringStatus.SUBMITTED,
        "return_form": return_form or MonitoringReturnForm(),
        "errors": errors or [],
        "red_lines": sum(1 for line in lines if line.light == MonitoringLight.RED),
        "light_labels": dict(MonitoringLight.choices),
    }
    return render(request, "targets/monitoring_report.html", context, status=status)


@login_required
@require_POST
def monitoring_report_start(request: HttpRequest, code: str) -> HttpResponse:
    form = get_form_to_prepare(request, code)
    start = MonitoringStartForm(request.POST)
    error = ""
    if start.is_valid():
        try:
            report = monitoring_services.monitoring_report_start(
                form=form,
                months=start.cleaned_data["months"],
                user=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            return redirect(
                "targets:monitoring_report", code=form.code, months=report.months
            )
    else:
        error = "；".join(_messages(start))
    context = monitoring_context(request, form) | _reports_context(request, form)
    context["start_form"] = start
    context["start_error"] = error
    return render(request, "targets/monitoring.html", context, status=400)


def _save(
    request: HttpRequest, report: MonitoringReport, edit: MonitoringReportForm
) -> None:
    monitoring_report_save(
        report=report,
        lines=edit.changes(),
        version=edit.cleaned_data.get("version"),
        **(
            {"spent_to_date": edit.cleaned_data["spent_to_date"]}
            if edit.spent_given
            else {}
        ),
    )


def _edit_form(request: HttpRequest, report: MonitoringReport) -> MonitoringReportForm:
    if not can_prepare_target_form(request.user, report.form):
        raise PermissionDenied(
            _("You may not change this report: only the unit preparing it can.")
        )
    lines = list(report.lines.order_by("position"))
    return MonitoringReportForm(request.POST, report=report, lines=lines)


def _refused(
    request: HttpRequest,
    report: MonitoringReport,
    edit: MonitoringReportForm,
    messages: list[str],
) -> HttpResponse:
    """The page again with what was typed and why nothing was saved (the report as
    stored: the refused transaction was rolled back)."""
    report.refresh_from_db()
    for line in edit.lines:
        line.refresh_from_db()
    # the lights the typed values would give, shown beside them (nothing is saved)
    if report.is_editable and edit.is_valid():
        preview_lines(report, edit.changes())
    if isinstance(edit.data, dict) or hasattr(edit.data, "copy"):
        data = edit.data.copy()
        if edit.is_bound and "version" in data:
            # after a conflict the next save replaces theirs on purpose
            data["version"] = str(report.version)
        edit = MonitoringReportForm(data, report=report, lines=edit.lines)
        edit.is_valid()
    return _report_page(request, report, edit=edit, errors=messages, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_report(request: HttpRequest, code: str, months: int) -> HttpResponse:
    """The report: the unit fills it in while it is a draft or returned; everyone who
    reads the form reads it."""
    report = _get_report(request, code, months)
    if request.method == "GET":
        return _report_page(request, report)
    edit = _edit_form(request, report)
    if not edit.is_valid():
        messages = _messages(edit)
        return _report_page(request, report, edit=edit, errors=messages, status=400)
    try:
        with transaction.atomic():
            _save(request, report, edit)
    except ValidationError as exc:
        return _refused(request, report, edit, exc.messages)
    return redirect("targets:monitoring_report", code=code, months=months)


@login_required
@require_POST
def monitoring_report_submit(
    request: HttpRequest, code: str, months: int
) -> HttpResponse:
    """Save what the page holds and submit, all or nothing: a red line without its
    cause or measures refuses both, and the page keeps what was typed."""
    report = _get_report(request, code, months)
    edit = _edit_form(request, report)
    if not edit.is_valid():
        messages = _messages(edit)
        return _report_page(request, report, edit=edit, errors=messages, status=400)
    try:
        with transaction.atomic():
            _save(request, report, edit)
            monitoring_services.monitoring_report_submit(
                report=report,
                user=request.user,  # type: ignore[arg-type]
            )
    except ValidationError as exc:
        return _refused(request, report, edit, exc.messages)
    return redirect("targets:monitoring_report", code=code, months=months)


def _get_report_to_review(
    request: HttpRequest, code: str, months: int
) -> MonitoringReport:
    report = _get_report(request, code, months)
    if not can_review_target_form(request.user, report.form):
        raise PermissionDenied
    return report


@login_required
@require_POST
def monitoring_report_return(
    request: HttpRequest, code: str, months: int
) -> HttpResponse:
    report = _get_report_to_review(request, code, months)
    decision = MonitoringReturnForm(request.POST)
    if decision.is_valid():
        try:
            monitoring_services.monitoring_report_return(
                report=report,
                user=request.user,  # type: ignore[arg-type]
                comment=decision.cleaned_data["comment"],
            )
        except ValidationError as exc:
            return _report_page(
                request, report, return_form=decision, errors=exc.messages, status=400
            )
        return redirect("targets:monitoring_report", code=code, months=months)
    messages = _messages(decision)
    return _report_page(
        request, report, return_form=decision, errors=messages, status=400
    )


@login_required
@require_POST
def monitoring_report_accept(
    request: HttpRequest, code: str, months: int
) -> HttpResponse:
    report = _get_report_to_review(request, code, months)
    MonitoringAcceptForm(request.POST).is_valid()
    try:
        monitoring_services.monitoring_report_accept(
            report=report,
            user=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        return _report_page(request, report, errors=exc.messages, status=400)
    return redirect("targets:monitoring_report", code=code, months=months)


@login_required
@require_GET
def monitoring_report_history(
    request: HttpRequest, code: str, months: int
) -> HttpResponse:
    """Every change of the report and its lines: who, when, which field, before, after
    (newest first)."""
    report = _get_report(request, code, months)
    events: list[dict[str, object]] = []
    for model, records in (
        (MonitoringReport, MonitoringReport.history.filter(id=report.pk)),
        (MonitoringLine, MonitoringLine.history.filter(report_id=report.pk)),
    ):
        for record in records.select_related("history_user").order_by(
            "history_date", "history_id"
        ):
            events.append(
                {
                    "record": record,
                    "what": _("the report")
                    if model is MonitoringReport
                    else record.name,
                    "kind": record.get_history_type_display(),
                    "fields": _record_diff(model, record),
                }
            )
    events.sort(key=lambda e: e["record"].history_date, reverse=True)  # type: ignore[attr-defined]
    return render(
        request,
        "targets/monitoring_report_history.html",
        {
            "form": report.form,
            "report": report,
            "period": period_label(report.months),
            "events": events[:HISTORY_SHOWN],
            "more": max(len(events) - HISTORY_SHOWN, 0),
        },
    )


HISTORY_SHOWN = 200
HISTORY_SKIPPED = frozenset({"id", "version", "report", "position", "created_at"})


def _record_diff(model: type[Model], record: Any) -> list[dict[str, Any]]:
    """The fields ``record`` changed from the record before it (all, for a creation)."""
    before = record.prev_record
    found = []
    for field in model._meta.concrete_fields:
        if field.name in HISTORY_SKIPPED or field.is_relation:
            continue
        new = getattr(record, field.attname)
        old = getattr(before, field.attname) if before is not None else None
        if before is not None and new == old:
            continue
        if before is None and new in ("", None):
            continue
        found.append(
            {
                "label": field.verbose_name,
                "before": _shown_value(record, field, old) if before else "",
                "after": _shown_value(record, field, new),
            }
        )
    return found


def _shown_value(record: Any, field: Any, value: object) -> str:
    if value in ("", None):
        return "—"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)

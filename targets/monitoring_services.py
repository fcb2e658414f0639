"""运行监控 reports: started on an approved target form for January to a month, filled in
by the unit (completion to date, 预计全年完成情况, causes and 纠偏措施), submitted, returned
with a comment or accepted by the finance bureau, then locked.

Every write goes through these services (typed, keyword-only, ``full_clean()`` before
``save()``, atomic); a save changes only the fields it is given. A line's light is set
here from its figures (``targets.monitoring``) each time it is saved, and a report with
a red line lacking its cause (the choice and its explanation) or its 纠偏措施 is refused
at submission, naming each such line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import claim, model_field_label
from kernel.rounding import percent, quantize
from targets.models import (
    IndicatorLevel,
    MonitoringLight,
    MonitoringLine,
    MonitoringReport,
    MonitoringStatus,
    TargetForm,
    TargetFormStatus,
    TargetIndicator,
)
from targets.monitoring import (
    Thresholds,
    budget_execution,
    indicator_line_light,
    time_share,
)
from targets.monitoring_data import ReportBudget, report_budget, to_date_values
from targets.review_data import form_indicators

BUDGET_LINE_NAME: Final = "年度资金总额"
"""The budget line's name as the 绩效运行监控表 prints it."""

INDICATOR_FIELDS: Final = frozenset(
    {"to_date", "expected", "likelihood", "cause", "cause_text", "measures"}
)
BUDGET_FIELDS: Final = INDICATOR_FIELDS - {"to_date"}
"""What the unit fills in on a line; the budget line's execution to date is computed."""

MONTHS: Final = range(1, 12)
"""A report covers January to one of these months (December is the year's end:
self-evaluation, not monitoring)."""


def thresholds() -> Thresholds:
    config = getattr(settings, "TARGETS_REVIEW", {})
    return Thresholds(
        red=Decimal(config.get("execution_red", "0.60")),
        yellow=Decimal(config.get("execution_yellow", "0.80")),
    )


def report_code(form: TargetForm, months: int) -> str:
    return f"{form.code}-{months:02d}"


def _ancestors(
    indicator: TargetIndicator, by_id: Mapping[int, TargetIndicator]
) -> tuple[str, str]:
    """The 一级 and the 二级 (or, on a department form, the 重点工作) above a 三级."""
    level1 = level2 = ""
    parent = by_id.get(indicator.parent_id) if indicator.parent_id else None
    while parent is not None:
        if parent.level == IndicatorLevel.LEVEL1:
            level1 = parent.name
        elif parent.level == IndicatorLevel.KEY_TASK or (
            parent.level == IndicatorLevel.LEVEL2 and not level2
        ):
            level2 = parent.name
        parent = by_id.get(parent.parent_id) if parent.parent_id else None
    return level1, level2


@transaction.atomic
def monitoring_report_start(
    *, form: TargetForm, months: int, user: AbstractBaseUser | None = None
) -> MonitoringReport:
    """Start the 运行监控 report of ``form`` for January to ``months``: one budget line
    and one line per 三级 indicator, each with its targets copied from the form (the
    half-year 指标值 for a half-year report on a form that has them) and its completion
    to date where it is known (``to_date_values``)."""
    if form.status != TargetFormStatus.APPROVED:
        raise ValidationError(
            _(
                "Monitoring starts from an approved target form: this form is "
                "“%(status)s”."
            )
            % {"status": form.get_status_display()}
        )
    if months not in MONTHS:
        raise ValidationError(_("The period ends in a month from 1 to 11."))
    if form.monitoring_reports.filter(months=months).exists():
        raise ValidationError(
            _("This form already has a monitoring report for January to month %(m)s.")
            % {"m": months}
        )
    budget = report_budget(form, months)
    report = MonitoringReport(
        code=report_code(form, months),
        form=form,
        months=months,
        budget_unit=budget.unit,
        budget=budget.budget,
        planned_to_date=budget.planned,
        spent_to_date=budget.spent,
    )
    report.full_clean()
    report.save()
    budget_line = MonitoringLine(
        report=report,
        position=1,
        kind=MonitoringLine.Kind.BUDGET,
        name=BUDGET_LINE_NAME,
    )
    _budget_line_figures(report, budget_line)
    budget_line.full_clean()
    budget_line.save()
    indicators = form_indicators(form)
    by_id = {i.pk: i for i in indicators}
    known = to_date_values(form, months, indicators)
    half = months == 6 and form.has_half_year
    position = 1
    for indicator in indicators:
        if indicator.level != IndicatorLevel.LEVEL3:
            continue
        position += 1
        level1, level2 = _ancestors(indicator, by_id)
        done = known.get(indicator.pk)
        line = MonitoringLine(
            report=report,
            position=position,
            kind=MonitoringLine.Kind.INDICATOR,
            indicator=indicator,
            level1=level1,
            level2=level2,
            name=indicator.name,
            period_target=indicator.half_year_text if half else "",
            year_target=indicator.value_text,
            to_date=done.text if done else "",
            to_date_source=done.source[:300] if done else "",
        )
        _set_light(line)
        line.full_clean()
        line.save()
    return report


def _set_light(line: MonitoringLine) -> None:
    line.light = indicator_line_light(
        period_target=line.period_target,
        to_date=line.to_date,
        year_target=line.year_target,
        expected=line.expected,
        likelihood=line.likelihood,
    ).light


def _budget_line_figures(report: MonitoringReport, line: MonitoringLine) -> None:
    """The budget line's share to date, execution to date and light from the report's
    figures (the unit's likelihood can only make a light worse, as on an indicator)."""
    found = budget_execution(
        budget=report.budget,
        planned=report.planned_to_date,
        spent=report.spent_to_date,
        months=report.months,
        thresholds=thresholds(),
    )
    share = (
        percent(report.planned_to_date, report.budget)
        if report.planned_to_date is not None and report.budget
        else quantize(time_share(report.months) * 100)
    )
    line.period_target = f"{share}%"
    line.year_target = "100%"
    rate = found.execution_percent if found is not None else None
    line.to_date = "" if rate is None else f"{rate}%"
    light = MonitoringLight(found.light.value) if found else MonitoringLight.NONE
    if line.likelihood == "impossible":
        light = MonitoringLight.RED
    elif line.likelihood == "possible" and light == MonitoringLight.GREEN:
        light = MonitoringLight.YELLOW
    line.light = light


def _refresh_budget(report: MonitoringReport, budget: ReportBudget | None) -> None:
    """While the report is open, a department form's figures follow its department
    budget (where the spending to date is entered); a project's budget follows its
    budget year and its spending to date is the unit's, typed on the report."""
    if budget is None:
        budget = report_budget(report.form, report.months)
    report.budget_unit = budget.unit
    report.budget = budget.budget
    report.planned_to_date = budget.planned
    if report.form.project_id is None:
        report.spent_to_date = budget.spent


@dataclass(frozen=True)
class LineChange:
    """The fields of one line to change, by name (``INDICATOR_FIELDS``); those not
    given stay as they are."""

    line: MonitoringLine
    fields: Mapping[str, str]


_UNSET: Final = object()


def _check_editable(report: MonitoringReport) -> None:
    if not report.is_editable:
        raise ValidationError(
            _("This monitoring report is %(status)s and can no longer be changed.")
            % {"status": report.get_status_display()}
        )


def _typed(
    report: MonitoringReport,
    spent: object,
    changes: Sequence[LineChange],
    lines: Mapping[int, MonitoringLine],
) -> dict[str, object]:
    labelled: dict[str, object] = {}
    if spent is not _UNSET:
        labelled[model_field_label(MonitoringReport, "spent_to_date")] = spent
    for change in changes:
        line = lines.get(change.line.pk, change.line)
        for name, value in change.fields.items():
            label = f"{line.name}：{model_field_label(MonitoringLine, name)}"
            labelled[label] = value
    return labelled


@transaction.atomic
def monitoring_report_save(
    *,
    report: MonitoringReport,
    lines: Sequence[LineChange] = (),
    spent_to_date: Decimal | object | None = _UNSET,
    version: int | None = None,
) -> MonitoringReport:
    """Save what the unit typed: the given fields of the given lines, and a project's
    spending to date when given; each changed line's light again. ``version`` is the
    report's version the page was drawn from: when someone saved the report since,
    ``EditConflict`` names each field they saved that differs (nothing is written)."""
    _check_editable(report)
    for change in lines:
        if change.line.report_id != report.pk:
            raise ValidationError(_("The line belongs to another report."))
        allowed = (
            BUDGET_FIELDS
            if change.line.kind == MonitoringLine.Kind.BUDGET
            else INDICATOR_FIELDS
        )
        unknown = set(change.fields) - allowed
        if unknown:
            raise ValueError(f"not fields of the line: {sorted(unknown)}")
    if spent_to_date is not _UNSET and report.form.project_id is None:
        raise ValidationError(
            _(
                "A department's spending to date is entered on its department budget, "
                "not on the report."
            )
        )
    given = {change.line.pk: change for change in lines}

    def saved(stored: MonitoringReport) -> dict[str, object]:
        current = {line.pk: line for line in stored.lines.filter(pk__in=given)}
        return _typed(
            stored,
            stored.spent_to_date if spent_to_date is not _UNSET else _UNSET,
            [
                LineChange(
                    current[pk],
                    {name: getattr(current[pk], name) for name in change.fields},
                )
                for pk, change in given.items()
                if pk in current
            ],
            current,
        )

    claim(
        report,
        version=version,
        what=_("the monitoring report of %(form)s, January to month %(m)s")
        % {"form": report.form, "m": report.months},
        typed=_typed(report, spent_to_date, lines, {}),
        saved=saved,
    )
    if spent_to_date is not _UNSET:
        report.spent_to_date = spent_to_date  # type: ignore[assignment]
    _refresh_budget(report, None)
    report.full_clean()
    report.save()
    for change in lines:
        line = change.line
        for name, value in change.fields.items():
            setattr(line, name, value.strip())
        if line.kind == MonitoringLine.Kind.BUDGET:
            _budget_line_figures(report, line)
        else:
            _set_light(line)
        line.full_clean()
        line.save()
    budget_line = report.lines.filter(kind=MonitoringLine.Kind.BUDGET).first()
    if budget_line is not None and budget_line.pk not in given:
        _budget_line_figures(report, budget_line)
        budget_line.save()
    return report


def unexplained_red_lines(report: MonitoringReport) -> list[MonitoringLine]:
    """The red lines that lack a cause, its explanation or their 纠偏措施."""
    return [
        line
        for line in report.lines.order_by("position")
        if line.light == MonitoringLight.RED
        and not (line.cause and line.cause_text.strip() and line.measures.strip())
    ]


def _set_status(
    report: MonitoringReport, allowed: Sequence[str], status: str, *fields: str
) -> None:
    if report.status not in allowed:
        raise ValidationError(
            _("This action is not possible while the report is %(status)s.")
            % {"status": report.get_status_display()}
        )
    report.status = status
    report.full_clean()
    report.save(update_fields=["status", *fields])


@transaction.atomic
def monitoring_report_submit(
    *, report: MonitoringReport, user: AbstractBaseUser
) -> MonitoringReport:
    """The unit submits the report to the finance bureau: the budget figures are taken
    as they stand and kept; refused (nothing changes) while a red line lacks its cause
    or its 纠偏措施, each such line named."""
    _check_editable(report)
    _refresh_budget(report, None)
    report.full_clean()
    report.save()
    budget_line = report.lines.filter(kind=MonitoringLine.Kind.BUDGET).first()
    if budget_line is not None:
        _budget_line_figures(report, budget_line)
        budget_line.save()
    missing = unexplained_red_lines(report)
    if missing:
        raise ValidationError(
            [
                _(
                    "“%(name)s” has a red light: choose its cause, explain it and "
                    "write the corrective measures before submitting."
                )
                % {"name": line.name}
                for line in missing
            ]
        )
    report.submissions = F("submissions") + 1
    report.submitted_at = timezone.now()
    report.submitted_by = user  # type: ignore[assignment]
    report.save(update_fields=["submissions", "submitted_at", "submitted_by"])
    report.refresh_from_db(fields=["submissions"])
    _set_status(
        report,
        (MonitoringStatus.DRAFT, MonitoringStatus.RETURNED),
        MonitoringStatus.SUBMITTED,
    )
    return report


@transaction.atomic
def monitoring_report_return(
    *, report: MonitoringReport, user: AbstractBaseUser, comment: str
) -> MonitoringReport:
    """The finance bureau sends a submitted report back with a comment saying what to
    change; the unit changes it and submits it again."""
    if not comment.strip():
        raise ValidationError(_("Write a comment saying what to change."))
    report.review_comment = comment.strip()
    report.decided_at = timezone.now()
    report.decided_by = user  # type: ignore[assignment]
    _set_status(
        report,
        (MonitoringStatus.SUBMITTED,),
        MonitoringStatus.RETURNED,
        "review_comment",
        "decided_at",
        "decided_by",
    )
    return report


@transaction.atomic
def monitoring_report_accept(
    *, report: MonitoringReport, user: AbstractBaseUser
) -> MonitoringReport:
    """The finance bureau accepts a submitted report: it is locked from then on."""
    report.decided_at = timezone.now()
    report.decided_by = user  # type: ignore[assignment]
    _set_status(
        report,
        (MonitoringStatus.SUBMITTED,),
        MonitoringStatus.ACCEPTED,
        "decided_at",
        "decided_by",
    )
    return report


def report_shown(
    report: MonitoringReport, lines: Sequence[MonitoringLine]
) -> ReportBudget:
    """The figures a report page shows, in memory (nothing is written): an open report
    with its budget as the budget records it now (a department's spending entered since
    the last save included) and its budget line judged on them; a submitted report as
    it was submitted. Returns the budget's lines as the budget records them now."""
    budget = report_budget(report.form, report.months)
    if report.is_editable:
        _refresh_budget(report, budget)
        for line in lines:
            if line.kind == MonitoringLine.Kind.BUDGET:
                _budget_line_figures(report, line)
    return budget


def preview_lines(report: MonitoringReport, changes: Sequence[LineChange]) -> None:
    """Apply ``changes`` to their lines in memory and judge them (nothing is written):
    the page refused a save shows the lights what was typed would give."""
    for change in changes:
        line = change.line
        for name, value in change.fields.items():
            setattr(line, name, value.strip())
        if line.kind == MonitoringLine.Kind.BUDGET:
            _budget_line_figures(report, line)
        else:
            _set_light(line)

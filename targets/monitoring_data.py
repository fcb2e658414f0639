"""The data 运行监控 shows for a target form: each 三级 indicator's half-year and full-year
actual, judged against its half-year and full-year 指标值 (``targets.monitoring``).

An actual entered on the monitoring page is used as written. Otherwise it comes from the
uploaded operating data of the form's unit (the project's implementing unit, or the
department of a department-wide form), matched by identity — the catalogue metric the
indicator's name is (全年受理(咨询)量 is 咨询类受理量, not the total 受理量), else the
metric of its library entry — with its source: the year's figure (``targets.actuals.actual_values``, which the operations app
provides) for the full year, and January–June (``half_year_actual_values``) for the half year. The number of queries does
not depend on the form's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from budgets.models import (
    AmountUnit,
    BudgetYear,
    DepartmentBudget,
    DepartmentExpenditure,
    DepartmentSpending,
)
from kernel.indicator_values import Comparator, ParsedValue, parse_indicator_value
from targets.actuals import (
    Actual,
    Actuals,
    actual_values,
    actual_values_to_month,
    half_year_actual_values,
    metric_codes_for_names,
)
from targets.judgement import Judgement
from targets.models import IndicatorLevel, TargetForm, TargetIndicator
from targets.monitoring import JUDGEMENT_LABELS, half_year_judgement
from targets.review_data import form_indicators, subject_organisation


@dataclass(frozen=True)
class Achieved:
    """What an indicator achieved in one period, where it comes from, and the verdict."""

    text: str  # as entered, or the operating figure as shown ("96.12%", "865 人")
    source: str  # "" for a value entered on the page
    operating: Actual | None  # the operating figure, with its numerator ÷ denominator
    judgement: Judgement

    @property
    def label(self) -> str:
        return str(JUDGEMENT_LABELS.get(self.judgement.status, ""))


@dataclass(frozen=True)
class MonitoredIndicator:
    indicator: TargetIndicator
    half: Achieved | None  # None: the form has no half-year values
    full: Achieved


def monitored_indicators(
    form: TargetForm, indicators: list[TargetIndicator] | None = None
) -> list[MonitoredIndicator]:
    """Every 三级 indicator of ``form``, in form order, with its two periods judged."""
    if indicators is None:
        indicators = form_indicators(form)
    organisation = subject_organisation(form)
    year_data: Actuals = {}
    half_data: Actuals = {}
    if organisation is not None:
        year_data = actual_values(organisation=organisation, year=form.year)
        if form.has_half_year:
            half_data = half_year_actual_values(
                organisation=organisation, year=form.year
            )
    leaves = [i for i in indicators if i.level == IndicatorLevel.LEVEL3]
    metric_codes = metric_codes_for_names(
        organisation=organisation, names={i.name for i in leaves}
    )
    rows = []
    for indicator in leaves:
        library = indicator.library_indicator
        code = metric_codes.get(indicator.name) or (library.code if library else "")
        half = None
        if form.has_half_year:
            half = _achieved(
                indicator.half_year_text,
                indicator.half_year_actual_text,
                half_data.get(code),
                matched=bool(code),
            )
        full = _achieved(
            indicator.value_text,
            indicator.actual_text,
            year_data.get(code),
            matched=bool(code),
        )
        rows.append(MonitoredIndicator(indicator, half, full))
    return rows


def _achieved(
    target: str,
    entered: str,
    operating: Actual | None,
    *,
    matched: bool,
) -> Achieved:
    if entered or operating is None:
        actual, source, operating = parse_indicator_value(entered), "", None
    else:
        actual = ParsedValue(
            text=operating.display,
            comparator=Comparator.EQ,
            number=operating.value,
            unit=operating.unit,
        )
        source = operating.source
    judgement = half_year_judgement(
        target=parse_indicator_value(target),
        actual=actual,
        matched=matched or bool(entered),
    )
    return Achieved(actual.text, source, operating, judgement)


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class ToDate:
    """What an indicator achieved from January to the report's month, and its source."""

    text: str
    source: str


def to_date_values(
    form: TargetForm, months: int, indicators: list[TargetIndicator]
) -> dict[int, ToDate]:
    """Each 三级 indicator's completion to date, by indicator id, where one is known: for
    the half year (``months`` 6) the half-year actual of the monitoring page (entered,
    else the operating data of January–June); for another period, the operating data of
    January to ``months`` (only figures every month went into)."""
    leaves = [i for i in indicators if i.level == IndicatorLevel.LEVEL3]
    found: dict[int, ToDate] = {}
    if months == 6 and form.has_half_year:
        for row in monitored_indicators(form, indicators):
            if row.half is not None and row.half.text:
                found[row.indicator.pk] = ToDate(row.half.text, row.half.source)
        return found
    organisation = subject_organisation(form)
    if organisation is None:
        return found
    data = actual_values_to_month(
        organisation=organisation, year=form.year, month=months
    )
    if not data:
        return found
    metric_codes = metric_codes_for_names(
        organisation=organisation, names={i.name for i in leaves}
    )
    for indicator in leaves:
        library = indicator.library_indicator
        code = metric_codes.get(indicator.name) or (library.code if library else "")
        actual = data.get(code)
        if actual is not None:
            found[indicator.pk] = ToDate(actual.display, actual.source)
    return found


@dataclass(frozen=True)
class SpendingLine:
    """One expenditure line of a department budget in a report: its full-year budget, its
    plan to date (the 半年计划执行数, for a half-year report) and what it spent to date
    (``None``: not reported)."""

    kind: str
    name: str
    budget: Decimal
    planned: Decimal | None
    spent: Decimal | None


@dataclass(frozen=True)
class ReportBudget:
    """The money a report is on: the project's budget year (调整后预算) or the department
    budget (its expenditure lines), the plan to date and the spending to date where the
    budget records them."""

    kind: str  # "project", "department" or "" (no budget recorded for the year)
    unit: str
    budget: Decimal | None
    planned: Decimal | None
    spent: Decimal | None
    lines: tuple[SpendingLine, ...] = ()

    @property
    def reported_lines(self) -> int:
        return sum(1 for line in self.lines if line.spent is not None)


def report_budget(form: TargetForm, months: int) -> ReportBudget:
    """The budget figures of ``form``'s year for a report of January to ``months``
    (two queries). A department budget's spending to date is the sum of its lines'
    reported spending for that month, given only when every line reported it."""
    if form.project_id is not None:
        budget_year = (
            BudgetYear.objects.filter(project_id=form.project_id, year=form.year)
            .only("unit", "initial", "addition", "reduction")
            .first()
        )
        if budget_year is None:
            return ReportBudget("", AmountUnit.WAN_YUAN, None, None, None)
        return ReportBudget(
            "project", budget_year.unit, budget_year.adjusted, None, None
        )
    department = (
        DepartmentBudget.objects.filter(organisation=form.organisation, year=form.year)
        .prefetch_related(
            Prefetch(
                "expenditure_lines",
                queryset=DepartmentExpenditure.objects.order_by("position"),
            ),
            Prefetch(
                "expenditure_lines__spending",
                queryset=DepartmentSpending.objects.filter(month=months),
                to_attr="spent_to_month",
            ),
        )
        .first()
    )
    if department is None:
        return ReportBudget("", AmountUnit.WAN_YUAN, None, None, None)
    lines = tuple(
        SpendingLine(
            kind=line.kind,
            name=line.name,
            budget=line.full_year_budget,
            planned=line.half_year_plan if months == 6 else None,
            spent=line.spent_to_month[0].amount if line.spent_to_month else None,  # type: ignore[attr-defined]
        )
        for line in department.expenditure_lines.all()
    )
    planned = (
        sum((line.planned or Decimal(0) for line in lines), Decimal(0))
        if months == 6 and any(line.planned is not None for line in lines)
        else None
    )
    spent = (
        sum((line.spent or Decimal(0) for line in lines), Decimal(0))
        if lines and all(line.spent is not None for line in lines)
        else None
    )
    return ReportBudget(
        "department",
        department.unit,
        sum((line.budget for line in lines), Decimal(0)),
        planned,
        spent,
        lines,
    )

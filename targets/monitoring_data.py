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

from kernel.indicator_values import Comparator, ParsedValue, parse_indicator_value
from targets.actuals import (
    Actual,
    Actuals,
    actual_values,
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

"""The data a target form's reasonableness review cites, read into ``targets.reasonableness``.

Where past actual values come from:

1. the operations app's uploaded operating data (``targets.actuals.actual_values_by_year``:
   one figure per catalogue metric and year — Tianjin's 2019 受理量 751.92 万件 and
   its 2018–2020 月均人数 621 / 777 / 909 are there);
2. for a headcount target, the payroll detail of the unit's budget years (表 1-2: the sum
   of the positions' monthly-average headcount), for the years the operating data lacks.

Only the years *before* the form's year: a target is compared with what was known when it
was set (a 2020 form is reviewed before 2020's actuals exist).

Which figure an indicator is compared with is decided by identity, not by resemblance: an
indicator whose name is a catalogue metric (``targets.actuals.metric_codes_for_names``:
受理量, 咨询类受理量 written 受理量（咨询）…) takes that metric's figures, whatever the
library entry it is linked to (全年受理(咨询)量 is 咨询类受理量, not 受理量, though the
library lists it among 受理量's aliases); any other takes the figures the catalogue gives
its library code. A headcount target (合同制员工数, 平台人员数量) is compared with the
*monthly-average* headcount, as seed 001 does in its first finding. The number of queries
does not depend on the form's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from django.conf import settings
from django.db.models import Prefetch, Sum

from budgets.models import (
    BudgetAdjustment,
    BudgetLine,
    BudgetYear,
    Organisation,
    PayrollLine,
)
from kernel.indicator_values import Comparator, parse_indicator_value
from targets.actuals import actual_values_by_year, metric_codes_for_names
from targets.models import (
    IndicatorCategory,
    IndicatorLevel,
    LibraryIndicator,
    TargetForm,
    TargetIndicator,
)
from targets.previous_results import previous_results
from targets.reasonableness import (
    HistoryFigure,
    Leaf,
    Node,
    Recommended,
    ReviewInput,
    Standard,
)

HISTORY_YEARS: Final = 3
"""How many years before the form's year the history goes back (the year itself is not
known when its target is set)."""

HEADCOUNT_CODES: Final = frozenset({"contract-staff-count", "platform-staff-count"})
MONTHLY_AVERAGE_METRIC: Final = "staff-monthly-average"


def subject_organisation(form: TargetForm) -> Organisation | None:
    """Whose actual values a form is compared with: the project's unit, or the department."""
    return form.project.unit if form.project is not None else form.organisation


def _operations_history(
    organisation: Organisation, years: range
) -> dict[str, list[HistoryFigure]]:
    found: dict[str, list[HistoryFigure]] = defaultdict(list)
    by_year = actual_values_by_year(organisation=organisation, years=years)
    for year, actuals in by_year.items():
        for code, actual in actuals.items():
            found[code].append(
                HistoryFigure(
                    year=year,
                    number=actual.value,
                    unit=actual.unit,
                    label=actual.name,
                    source=actual.source,
                )
            )
    return found


def _payroll_history(organisation: Organisation, years: range) -> list[HistoryFigure]:
    rows = (
        PayrollLine.objects.filter(
            budget_year__project__unit=organisation,
            budget_year__year__in=list(years),
            monthly_average_headcount__isnull=False,
        )
        .values("budget_year__year")
        .annotate(total=Sum("monthly_average_headcount"))
        .order_by("budget_year__year")
    )
    return [
        HistoryFigure(
            year=row["budget_year__year"],
            number=Decimal(row["total"]),
            unit="人",
            label="月均人数",
            source=f"{row['budget_year__year']} 年工资福利支出明细表（表 1-2）月均人数合计",
        )
        for row in rows
    ]


def leaf_history(
    organisation: Organisation | None, year: int
) -> dict[str, tuple[HistoryFigure, ...]]:
    """Actual values of the years before ``year``, by catalogue metric and library
    indicator code."""
    if organisation is None:
        return {}
    years = range(year - HISTORY_YEARS, year)
    history = _operations_history(organisation, years)
    headcount = list(history.get(MONTHLY_AVERAGE_METRIC, []))
    covered = {figure.year for figure in headcount}
    headcount += [
        f for f in _payroll_history(organisation, years) if f.year not in covered
    ]
    headcount.sort(key=lambda f: f.year)
    result = {code: tuple(figures) for code, figures in history.items()}
    for code in HEADCOUNT_CODES:
        result[code] = tuple(headcount)
    return result


def _history_of(
    indicator: TargetIndicator,
    metric_codes: Mapping[str, str],
    history: Mapping[str, tuple[HistoryFigure, ...]],
) -> tuple[HistoryFigure, ...]:
    """The past figures of the measure ``indicator`` is: the catalogue metric its name
    is, else its library entry's."""
    library = indicator.library_indicator
    if library is not None and library.code in HEADCOUNT_CODES:
        return history.get(library.code, ())
    code = metric_codes.get(indicator.name)
    if code is not None:
        return history.get(code, ())
    return history.get(library.code, ()) if library is not None else ()


def _standard(library: LibraryIndicator | None) -> Standard | None:
    if library is None or library.standard_value is None:
        return None
    if library.standard_comparator not in {c.value for c in Comparator}:
        return None
    return Standard(
        text=library.standard_text,
        comparator=Comparator(library.standard_comparator),
        value=library.standard_value,
    )


def form_indicators(form: TargetForm) -> list[TargetIndicator]:
    """Every indicator of ``form`` in form order, with its library entry, in one query."""
    return list(
        form.indicators.select_related(
            "library_indicator", "library_indicator__category__parent"
        ).order_by("position", "id")
    )


def review_input(
    form: TargetForm, indicators: list[TargetIndicator] | None = None
) -> ReviewInput:
    """Everything ``reasonableness.review`` needs for ``form`` (a handful of queries)."""
    if indicators is None:
        indicators = form_indicators(form)
    by_id = {i.pk: i for i in indicators}
    with_children = {i.parent_id for i in indicators if i.parent_id is not None}
    organisation = subject_organisation(form)
    history = leaf_history(organisation, form.year)
    metric_codes = metric_codes_for_names(
        organisation=organisation,
        names={i.name for i in indicators if i.level == IndicatorLevel.LEVEL3},
    )

    def ancestor(indicator: TargetIndicator, level: str) -> str:
        parent_id = indicator.parent_id
        while parent_id is not None and parent_id in by_id:
            parent = by_id[parent_id]
            if parent.level == level:
                return parent.name
            parent_id = parent.parent_id
        return ""

    leaves = []
    for indicator in indicators:
        if indicator.level != IndicatorLevel.LEVEL3:
            continue
        library = indicator.library_indicator
        leaves.append(
            Leaf(
                key=indicator.pk,
                name=indicator.name,
                level1=ancestor(indicator, IndicatorLevel.LEVEL1),
                level2=ancestor(indicator, IndicatorLevel.LEVEL2),
                value=parse_indicator_value(indicator.value_text),
                library_code=library.code if library else "",
                library_name=library.name if library else "",
                library_category=str(library.category)
                if library and library.category
                else "",
                library_unit=library.unit if library else "",
                direction=library.direction if library else "",
                standard=_standard(library),
                history=_history_of(indicator, metric_codes, history),
            )
        )
    nodes = tuple(
        Node(
            key=i.pk,
            level=i.level,
            name=i.name,
            parent_key=i.parent_id,
            has_children=i.pk in with_children,
        )
        for i in indicators
    )
    recommended = tuple(
        Recommended(
            code=r.code, name=r.name, category=str(r.category) if r.category else ""
        )
        for r in LibraryIndicator.objects.filter(recommended_for_hotline=True)
        .select_related("category", "category__parent")
        .order_by("code")
    )
    official_level1: tuple[str, ...] = ()
    official_level2: dict[str, tuple[str, ...]] = {}
    if form.layout == "project":
        categories = list(
            IndicatorCategory.objects.filter(layout=form.layout).order_by(
                "parent_id", "position"
            )
        )
        roots = {c.pk: c.name for c in categories if c.parent_id is None}
        official_level1 = tuple(roots.values())
        for category in categories:
            if category.parent_id in roots:
                official_level2.setdefault(roots[category.parent_id], ())
                official_level2[roots[category.parent_id]] += (category.name,)
    review_settings = getattr(settings, "TARGETS_REVIEW", {})
    return ReviewInput(
        year=form.year,
        leaves=tuple(leaves),
        nodes=nodes,
        recommended=recommended,
        official_level1=official_level1,
        official_level2=official_level2,
        funds_total=form.funds_total,
        funds_unit=form.funds_unit,
        history_deviation=Decimal(review_settings.get("history_deviation", "0.10")),
        previous_results=previous_results(form),
    )


def budget_year_of(form: TargetForm) -> BudgetYear | None:
    """The project's budget year of the form's year, with its lines and their approved
    adjustments (three queries), or ``None``."""
    if form.project_id is None:
        return None
    return (
        BudgetYear.objects.filter(project_id=form.project_id, year=form.year)
        .select_related("project")
        .prefetch_related(
            Prefetch("lines", queryset=BudgetLine.objects.order_by("position")),
            Prefetch(
                "lines__adjustments",
                queryset=BudgetAdjustment.objects.filter(
                    status=BudgetAdjustment.Status.APPROVED
                ),
                to_attr="approved_adjustments",
            ),
        )
        .first()
    )

"""Reads of operating data: the catalogue, a year's figures and where they came from, and
actual values for targets (their review and 运行监控) and evaluations.

``actual_values`` is what the evaluations app calls: one ``ActualValue`` per metric code and
per library indicator code (``targets.models.LibraryIndicator.code``), with numerator and
denominator for rates and the uploads the figures came from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from budgets.models import Organisation
from kernel import metrics as scoring_metrics
from kernel.decimals import without_trailing_zeros
from kernel.metrics import MetricError
from kernel.units import convert
from operations.catalogue import GROUPS, Aggregation, Formula, Kind, MetricSpec
from operations.derived import Derived, Figure, derive, period_resolver, year_figure
from operations.models import (
    Metric,
    OperatingDataUpload,
    OperatingValue,
    OperatingValueChange,
)
from targets.models import LibraryIndicator


@dataclass(frozen=True)
class ActualValue:
    """A year's actual value (实际完成值) of one metric, from uploaded operating data.

    ``value`` is in ``unit`` (rates in percentage points, 96.12 means 96.12%, rounded
    half-up to 2 places); rates and ratios keep ``numerator`` and ``denominator`` with their
    units. ``source`` names the upload(s) in Chinese for the user; ``months`` is non-empty
    when the year was added up from monthly rows (a partial year shows as such)."""

    metric_code: str
    name: str
    value: Decimal
    unit: str
    source: str
    numerator: Decimal | None = None
    numerator_unit: str = ""
    denominator: Decimal | None = None
    denominator_unit: str = ""
    months: tuple[int, ...] = ()
    reconstructed: bool = False
    """Not the centre's figure: a count read back from a published rate, or computed from
    such counts (``RECONSTRUCTED_NOTE``; the rule is ``_year_actuals``')."""
    counts_reconstructed: bool = False
    """The numerator or denominator is reconstructed (a published rate keeps its value,
    but the counts shown beside it are not the centre's)."""

    @property
    def display(self) -> str:
        return (
            f"{self.value}{self.unit}"
            if self.unit == "%"
            else f"{self.value} {self.unit}"
        )


# --------------------------------------------------------------------------- catalogue


def metrics_for(*, organisation: Organisation | None) -> list[Metric]:
    """The standard catalogue and ``organisation``'s own metrics, in template order."""
    own = Q(organisation=organisation) if organisation is not None else Q(pk__in=[])
    return list(
        Metric.objects.filter(Q(organisation__isnull=True) | own)
        .select_related("numerator", "denominator")
        .prefetch_related(Prefetch("parts", queryset=Metric.objects.only("code")))
        .order_by("is_custom", "position", "id")
    )


def spec_of(metric: Metric) -> MetricSpec:
    """The pure description of a catalogue row, for ``derived`` and ``checks``."""
    row = {field: getattr(metric, field) for field in _OWN_FIELDS}
    row["numerator__code"] = metric.numerator.code if metric.numerator else ""
    row["denominator__code"] = metric.denominator.code if metric.denominator else ""
    return _spec(row, [p.code for p in metric.parts.all()])


_OWN_FIELDS = (
    "code",
    "name",
    "kind",
    "unit",
    "group",
    "aggregation",
    "aliases",
    "library_codes",
    "formula",
    "bounded",
    "fractional",
    "description",
)


def _spec(row: Mapping[str, Any], parts: Iterable[str]) -> MetricSpec:
    return MetricSpec(
        code=row["code"],
        name=row["name"],
        kind=Kind(row["kind"]),
        unit=row["unit"],
        group=row["group"],
        aggregation=Aggregation(row["aggregation"]),
        aliases=tuple(row["aliases"]),
        library_codes=tuple(row["library_codes"]),
        formula=Formula(row["formula"]) if row["formula"] else None,
        numerator=row["numerator__code"] or "",
        denominator=row["denominator__code"] or "",
        parts=tuple(sorted(parts)),
        bounded=row["bounded"],
        fractional=row["fractional"],
        description=row["description"],
    )


def catalogue_specs(*, organisation: Organisation | None) -> list[MetricSpec]:
    """``metrics_for`` as pure specs, in the year table's order, read as plain rows (two
    queries, no model instances): what a computation over the catalogue needs."""
    own = Q(organisation=organisation) if organisation is not None else Q(pk__in=[])
    scope = Metric.objects.filter(Q(organisation__isnull=True) | own)
    parts: dict[int, list[str]] = defaultdict(list)
    for metric_id, code in Metric.parts.through.objects.filter(
        from_metric__in=scope
    ).values_list("from_metric_id", "to_metric__code"):
        parts[metric_id].append(code)
    rows = scope.order_by("is_custom", "position", "id").values(
        "pk", "is_custom", *_OWN_FIELDS, "numerator__code", "denominator__code"
    )
    ordered = sorted(rows, key=lambda r: _table_order(r["group"], r["is_custom"]))
    return [_spec(row, parts.get(row["pk"], ())) for row in ordered]


# --------------------------------------------------------------------------- a year's figures


@dataclass(frozen=True)
class MetricYear:
    """One metric's row of a year: the annual figure and the monthly ones."""

    metric: Metric
    year_value: Figure | Derived | None
    months: dict[int, Figure | Derived]
    values: dict[int | None, OperatingValue]
    """Entered rows by month (None = the whole year), with their uploads."""


def _figure(row: OperatingValue) -> Figure:
    return Figure(without_trailing_zeros(row.value), row.unit, (row.upload.label,))


def _values(
    *, organisation: Organisation, years: Iterable[int]
) -> QuerySet[OperatingValue]:
    return OperatingValue.objects.filter(
        organisation=organisation, year__in=list(years)
    ).select_related("metric", "upload", "upload__uploaded_by")


def year_table(*, organisation: Organisation, year: int) -> list[MetricYear]:
    """Every metric with data in ``year`` (entered or derivable), annual and by month."""
    catalogue = metrics_for(organisation=organisation)
    specs = {m.code: spec_of(m) for m in catalogue}
    entered: dict[str, dict[int | None, OperatingValue]] = defaultdict(dict)
    for row in _values(organisation=organisation, years=[year]):
        entered[row.metric.code][row.month] = row
    periods: dict[int | None, dict[str, Figure]] = defaultdict(dict)
    figures: dict[str, dict[int | None, Figure]] = defaultdict(dict)
    for code, rows in entered.items():
        for month, row in rows.items():
            periods[month][code] = figures[code][month] = _figure(row)
    annual = _annual_figures(specs, figures)
    resolvers = {
        month: period_resolver(specs, figures) for month, figures in periods.items()
    }
    year_resolve = period_resolver(specs, annual)
    table: list[MetricYear] = []
    for metric in catalogue:
        spec = specs[metric.code]
        if metric.is_entered:
            year_value: Figure | Derived | None = annual.get(metric.code)
            months: dict[int, Figure | Derived] = {
                m: f
                for m, f in ((m, periods[m].get(metric.code)) for m in range(1, 13))
                if f
            }
        else:
            year_value = derive(spec, year_resolve)
            months = {}
            for month, resolve in resolvers.items():
                if month is not None and (d := derive(spec, resolve)) is not None:
                    months[month] = d
        if year_value is None and not months:
            continue
        table.append(
            MetricYear(metric, year_value, months, dict(entered.get(metric.code, {})))
        )
    return sorted(table, key=lambda r: _table_order(r.metric.group, r.metric.is_custom))


GROUP_ORDER = {group: i for i, group in enumerate(GROUPS)}


def _table_order(group: str, is_custom: bool) -> tuple[int, bool]:
    """The year table's order: by group, the standard metrics before a unit's own."""
    return (GROUP_ORDER.get(group, len(GROUP_ORDER)), is_custom)


def _annual_figures(
    specs: Mapping[str, MetricSpec],
    entered: Mapping[str, Mapping[int | None, Figure]],
) -> dict[str, Figure]:
    """Each entered metric's figure of the year, from its annual and monthly figures."""
    annual: dict[str, Figure] = {}
    for code, by_month in entered.items():
        figure = year_figure(
            specs[code],
            by_month.get(None),
            {m: f for m, f in by_month.items() if m is not None},
        )
        if figure is not None:
            annual[code] = figure
    return annual


def actual_values(*, organisation: Organisation, year: int) -> dict[str, ActualValue]:
    """The actual values of ``year`` from the uploaded operating data, keyed by metric code
    and by each library indicator code the metric provides (``接通率`` → "answer-rate" and
    "call-answer-rate"). Rates are derived from their counts; a metric without data (or a
    rate whose denominator is 0) is absent."""
    return actual_values_by_year(organisation=organisation, years=[year]).get(year, {})


HALF_YEAR = (1, 2, 3, 4, 5, 6)


def half_year_actual_values(
    *, organisation: Organisation, year: int
) -> dict[str, ActualValue]:
    """The half-year actuals of ``year`` (运行监控), from the monthly data of January to
    June: counts added up, headcounts averaged, rates derived from the six months' counts.
    Only a figure that all six months went into is given: a half-year target is never
    compared with four months of calls."""
    found = actual_values_by_year(
        organisation=organisation, years=[year], months=HALF_YEAR
    ).get(year, {})
    return {code: a for code, a in found.items() if a.months == HALF_YEAR}


def actual_values_to_month(
    *, organisation: Organisation, year: int, month: int
) -> dict[str, ActualValue]:
    """The actuals of January to ``month`` of ``year`` (运行监控 reports of 1–N months),
    as ``half_year_actual_values`` reads January to June: only figures all those months
    went into."""
    months = tuple(range(1, month + 1))
    found = actual_values_by_year(
        organisation=organisation, years=[year], months=months
    ).get(year, {})
    return {code: a for code, a in found.items() if a.months == months}


def actual_values_by_year(
    *,
    organisation: Organisation,
    years: Iterable[int],
    months: Iterable[int] | None = None,
) -> dict[int, dict[str, ActualValue]]:
    """``actual_values`` of each of ``years`` that has data, in four queries whatever the
    number of years (the values, their uploads, then the catalogue and its parts if there
    are any), read as plain rows: the whole-year figures only, which is what a history or
    a review cites (``year_table`` also derives every month). With ``months``, the figures
    of those months alone, whole-year rows set aside."""
    values = OperatingValue.objects.filter(
        organisation=organisation, year__in=list(years)
    )
    if months is not None:
        values = values.filter(month__in=list(months))
    rows = list(
        values.values_list(
            "year", "month", "metric__code", "value", "unit", "note", "upload_id"
        )
    )
    if not rows:
        return {}
    labels = _upload_labels({row[-1] for row in rows})
    entered: dict[int, dict[str, dict[int | None, Figure]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    notes: dict[int, dict[str, str]] = defaultdict(dict)
    for year, month, code, value, unit, note, upload_id in rows:
        entered[year][code][month] = Figure(
            without_trailing_zeros(value), unit, (labels[upload_id],)
        )
        if month is None:
            notes[year][code] = note
    catalogue = catalogue_specs(organisation=organisation)
    return {
        year: _year_actuals(catalogue, entered[year], notes[year])
        for year in sorted(entered)
    }


def standard_actual_values(
    *, organisations: Iterable[Organisation], year: int
) -> dict[int, dict[str, ActualValue]]:
    """``actual_values`` of ``year`` for each of ``organisations`` (by organisation id), from
    the standard catalogue alone (a centre's own metrics set aside), in four queries whatever
    the number of organisations: what a page comparing centres shows."""
    rows = list(
        OperatingValue.objects.filter(
            organisation__in=list(organisations),
            year=year,
            metric__organisation__isnull=True,
        ).values_list(
            "organisation_id",
            "month",
            "metric__code",
            "value",
            "unit",
            "note",
            "upload_id",
        )
    )
    if not rows:
        return {}
    labels = _upload_labels({row[-1] for row in rows})
    entered: dict[int, dict[str, dict[int | None, Figure]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    notes: dict[int, dict[str, str]] = defaultdict(dict)
    for organisation_id, month, code, value, unit, note, upload_id in rows:
        entered[organisation_id][code][month] = Figure(
            without_trailing_zeros(value), unit, (labels[upload_id],)
        )
        if month is None:
            notes[organisation_id][code] = note
    catalogue = catalogue_specs(organisation=None)
    return {
        organisation_id: _year_actuals(catalogue, figures, notes[organisation_id])
        for organisation_id, figures in entered.items()
    }


def _upload_labels(pks: Iterable[int]) -> dict[int, str]:
    return {
        upload.pk: upload.label
        for upload in OperatingDataUpload.objects.filter(
            pk__in=list(pks)
        ).select_related("uploaded_by")
    }


def _year_actuals(
    catalogue: Sequence[MetricSpec],
    entered: Mapping[str, Mapping[int | None, Figure]],
    notes: Mapping[str, str],
) -> dict[str, ActualValue]:
    """A year's actual values from its entered figures (by metric code and month): entered
    metrics from their year figure, derived ones computed from those.

    An entered value is reconstructed when its 备注 (``notes``, by metric code) says so
    (``RECONSTRUCTED_NOTE``). A figure derived from a reconstructed one is reconstructed
    too, unless its numerator's 备注 states this very figure as the source printed it
    (“接通率 98.01% × 300000”: the count was chosen to give the published 98.01%, which
    stays published); so 回访率 30.90% (回访量 ÷ 办结量, both reconstructed, a rate
    Panjin's report never states) is."""
    specs = {spec.code: spec for spec in catalogue}
    annual = _annual_figures(specs, entered)
    resolve = period_resolver(specs, annual)
    marked = {code for code, note in notes.items() if RECONSTRUCTED_NOTE in note}
    found: dict[str, ActualValue] = {}
    for spec in catalogue:  # derived after their parts: the catalogue's order
        figure: Figure | Derived | None = (
            annual.get(spec.code) if spec.kind.is_entered else derive(spec, resolve)
        )
        if figure is None:
            continue
        actual = _actual(spec, figure)
        parts = (spec.numerator, spec.denominator, *spec.parts)
        from_marked = not spec.kind.is_entered and bool(
            marked.intersection(p for p in parts if p)
        )
        if from_marked and f"{spec.name} {actual.value}{actual.unit}" not in notes.get(
            spec.numerator or "", ""
        ):
            marked.add(spec.code)
        if from_marked or spec.code in marked:
            actual = replace(
                actual,
                reconstructed=spec.code in marked,
                counts_reconstructed=from_marked,
            )
        found[spec.code] = actual
        for code in spec.library_codes:
            found.setdefault(code, actual)
    return found


def _actual(metric: MetricSpec, figure: Figure | Derived) -> ActualValue:
    months = figure.months
    source = "；".join(f"运行数据上传{label}" for label in figure.sources)
    if months:
        source = f"由 {_months_label(months)} 月度数据汇总；{source}"
    if isinstance(figure, Derived):
        return ActualValue(
            metric_code=metric.code,
            name=metric.name,
            value=figure.value,
            unit=figure.unit,
            source=source,
            numerator=figure.numerator,
            numerator_unit=figure.numerator_unit,
            denominator=figure.denominator,
            denominator_unit=figure.denominator_unit,
            months=months,
        )
    return ActualValue(
        metric_code=metric.code,
        name=metric.name,
        value=figure.value,
        unit=figure.unit,
        source=source,
        months=months,
    )


def _months_label(months: tuple[int, ...]) -> str:
    if len(months) > 1 and list(months) == list(range(months[0], months[-1] + 1)):
        return f"{months[0]}–{months[-1]}月"
    return "、".join(f"{m}月" for m in months)


def library_names() -> dict[str, str]:
    """Library indicator names by code, to show which indicator a metric serves."""
    return dict(LibraryIndicator.objects.values_list("code", "name"))


def years_with_data(*, organisation: Organisation) -> list[int]:
    return sorted(
        set(
            OperatingValue.objects.filter(organisation=organisation).values_list(
                "year", flat=True
            )
        ),
        reverse=True,
    )


def years_with_data_of(
    *, organisations: QuerySet[Organisation]
) -> dict[Organisation, list[int]]:
    """``years_with_data`` of each of ``organisations`` that has data, in two queries."""
    pairs = (
        OperatingValue.objects.filter(organisation__in=organisations)
        .values_list("organisation_id", "year")
        .distinct()
    )
    years: dict[int, set[int]] = defaultdict(set)
    for organisation_id, year in pairs:
        years[organisation_id].add(year)
    return {
        organisation: sorted(years[organisation.pk], reverse=True)
        for organisation in organisations.filter(pk__in=list(years))
    }


def value_history(
    *, organisation: Organisation, year: int
) -> list[OperatingValueChange]:
    """Every change to ``year``'s values, newest first, with the upload that made it."""
    return list(
        OperatingValueChange.objects.filter(organisation=organisation, year=year)
        .select_related("metric", "upload", "upload__uploaded_by")
        .order_by("-recorded_at", "-id")
    )


def uploads_of(
    *, organisations: QuerySet[Organisation]
) -> QuerySet[OperatingDataUpload]:
    return OperatingDataUpload.objects.filter(
        organisation__in=organisations
    ).select_related("organisation", "uploaded_by")


def upload_changes(*, upload: OperatingDataUpload) -> list[OperatingValueChange]:
    return list(upload.changes.select_related("metric").order_by("row_number", "id"))


# --------------------------------------------------------------------------- cost table


def cost_table(
    *, organisation: Organisation, year: int
) -> scoring_metrics.CostTable | None:
    """Tianjin's 表 3 for ``year`` against the two years before it, from uploaded counts
    (接听量, 人工费用, 月均人数, 流失人数 ÷ 12), by ``metrics.cost_table``; ``None`` when a year
    lacks a count."""
    years = [year - 2, year - 1, year]
    counts: dict[int, scoring_metrics.YearCounts] = {}
    by_year = actual_values_by_year(organisation=organisation, years=years)
    for y in years:
        actual = by_year.get(y, {})
        try:
            answered = actual["calls-answered"]
            cost = actual["labour-cost"]
            staff = actual["staff-monthly-average"]
            turnover = actual["monthly-attrition-rate"]
        except KeyError:
            continue
        if turnover.numerator is None:
            continue
        counts[y] = scoring_metrics.YearCounts(
            answered_10k=_to(answered, "万次"),
            labour_cost=_to(cost, "万元"),
            average_staff=staff.value,
            average_leavers=turnover.numerator,
        )
    if year not in counts or len(counts) < 2:
        return None
    try:
        return scoring_metrics.cost_table(counts, current_year=year)
    except MetricError:
        return None


def _to(actual: ActualValue, target: str) -> Decimal:
    return convert(actual.value, actual.unit, target)


# --------------------------------------------------------------------------- reconstructed

# The 备注 of an entered value that is not the centre's data but a count read back from a
# published rate (the Panjin seed's, ``operations.seed_workbooks``).
RECONSTRUCTED_NOTE = "非原始数据"


def reconstructed_metrics(
    *, organisation: Organisation, years: Iterable[int]
) -> dict[int, set[str]]:
    """By year, the metric codes whose figure is reconstructed rather than reported
    (``ActualValue.reconstructed``; the rule is ``_year_actuals``'), for the years that
    have any."""
    found: dict[int, set[str]] = {}
    by_year = actual_values_by_year(organisation=organisation, years=list(years))
    for year, actuals in by_year.items():
        codes = {a.metric_code for a in actuals.values() if a.reconstructed}
        if codes:
            found[year] = codes
    return found


def reconstructed_entered(
    *, organisations: Iterable[Organisation], year: int
) -> dict[int, set[str]]:
    """By organisation id, the metric codes of ``year`` whose entered figure is
    reconstructed (``RECONSTRUCTED_NOTE``), in one query: what a page listing many centres
    marks beside their counts."""
    found: dict[int, set[str]] = defaultdict(set)
    for organisation_id, code in OperatingValue.objects.filter(
        organisation__in=list(organisations),
        year=year,
        month__isnull=True,
        note__contains=RECONSTRUCTED_NOTE,
    ).values_list("organisation_id", "metric__code"):
        found[organisation_id].add(code)
    return dict(found)

"""Reads of the records: what is stored, the measures recomputed from it, and the
reconciliation with the reported operating values."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from budgets.models import Organisation
from operations.derived import Derived, Figure
from operations.selectors import year_table
from records import engines
from records.columns import RecordKind
from records.kpis import KPI_BY_METRIC, MEASURES
from records.models import ColumnMapping, RecordImport, RecordPartition
from records.reconciliation import Line, Recomputed, Reported, Tolerance, reconcile

DEFINITIONS_VERSION = hashlib.sha256(
    "|".join(f"{m.key}:{m.kind}:{m.description}" for m in MEASURES).encode()
).hexdigest()[:12]
"""Changes when a measure's definition does, so no cached figure outlives it."""


def partitions_of(
    *, organisation: Organisation, year: int
) -> QuerySet[RecordPartition]:
    return RecordPartition.objects.filter(
        organisation=organisation, year=year
    ).order_by("kind", "month")


def imports_of(*, organisation: Organisation) -> QuerySet[RecordImport]:
    return RecordImport.objects.filter(organisation=organisation).select_related(
        "imported_by"
    )


def imports_in(*, organisations: QuerySet[Organisation]) -> QuerySet[RecordImport]:
    return RecordImport.objects.filter(organisation__in=organisations).select_related(
        "organisation", "imported_by"
    )


def years_of(
    *, organisations: QuerySet[Organisation]
) -> list[tuple[Organisation, list[int]]]:
    """Each visible organisation with records, and its years."""
    found: dict[int, set[int]] = defaultdict(set)
    for organisation_id, year in RecordPartition.objects.filter(
        organisation__in=organisations
    ).values_list("organisation_id", "year"):
        found[organisation_id].add(year)
    by_id = Organisation.objects.in_bulk(list(found))
    return [(by_id[pk], sorted(years)) for pk, years in sorted(found.items())]


def years_with_records(*, organisation: Organisation) -> list[int]:
    return sorted(
        set(
            RecordPartition.objects.filter(organisation=organisation).values_list(
                "year", flat=True
            )
        )
    )


def column_mapping(*, organisation: Organisation, kind: RecordKind) -> dict[str, str]:
    row = ColumnMapping.objects.filter(organisation=organisation, kind=kind).first()
    return dict(row.columns) if row is not None else {}


def tolerance() -> Tolerance:
    options = getattr(settings, "RECORDS_RECONCILIATION", {}) or {}
    return Tolerance(
        relative=Decimal(str(options.get("relative", "0"))),
        rate_points=Decimal(str(options.get("rate_points", "0"))),
    )


def recomputed(
    *, organisation: Organisation, year: int, engine: str | None = None
) -> Recomputed | None:
    """The year's measures from its stored records (None when there are none), by the
    engine named or configured; cached under the stored files' checksums."""
    partitions = list(partitions_of(organisation=organisation, year=year))
    if not partitions:
        return None
    chosen = engines.engine(engine)
    files: dict[RecordKind, list[engines.StoredFile]] = defaultdict(list)
    covered: dict[RecordKind, set[int]] = defaultdict(set)
    for p in partitions:
        kind = RecordKind(p.kind)
        files[kind].append(engines.StoredFile(p.stored_name, p.sha256))
        covered[kind].add(p.month)
    key = (
        "records:"
        + hashlib.sha256(
            f"{chosen.name}|{DEFINITIONS_VERSION}|{year}|".encode()
            + "|".join(f"{p.kind}{p.month}{p.sha256}" for p in partitions).encode()
        ).hexdigest()
    )
    measures: dict[int, dict[str, int]] | None = cache.get(key)
    if measures is None:
        measures = defaultdict(dict)
        for kind, stored in files.items():
            for month, values in chosen.monthly(kind, stored).items():
                measures[month].update(values)
        measures = dict(measures)
        cache.set(key, measures, 24 * 3600)
    return Recomputed(
        year=year,
        measures=measures,
        covered={k: frozenset(v) for k, v in covered.items()},
    )


def _reported(
    figure: Figure | Derived, metric: str, name: str, month: int | None
) -> Reported:
    return Reported(
        metric=metric,
        name=name,
        month=month,
        value=figure.value,
        unit=figure.unit,
        months=tuple(figure.months),
    )


def reported_figures(*, organisation: Organisation, year: int) -> list[Reported]:
    """Every reported figure of ``year`` that records can support: the year's and each
    month's, in the year table's order."""
    figures: list[Reported] = []
    for row in year_table(organisation=organisation, year=year):
        metric = row.metric
        if metric.is_custom or metric.code not in KPI_BY_METRIC:
            continue
        if row.year_value is not None:
            figures.append(_reported(row.year_value, metric.code, metric.name, None))
        for month, figure in sorted(row.months.items()):
            figures.append(_reported(figure, metric.code, metric.name, month))
    return figures


def reconciliation(
    *, organisation: Organisation, year: int, engine: str | None = None
) -> list[Line]:
    """Every reported figure of ``year`` that records can support, reconciled; empty
    when no records of the year are stored."""
    recomputed_year = recomputed(organisation=organisation, year=year, engine=engine)
    if recomputed_year is None:
        return []
    return reconcile(
        reported_figures(organisation=organisation, year=year),
        recomputed_year,
        tolerance(),
    )


@dataclass(frozen=True)
class YearVerification:
    """What the operating-data year page shows (``operations.verification``)."""

    lines: tuple[Line, ...]
    partitions: tuple[RecordPartition, ...]
    counts: dict[str, int]

    @property
    def by_metric(self) -> dict[str, list[Line]]:
        found: dict[str, list[Line]] = defaultdict(list)
        for line in self.lines:
            found[line.metric].append(line)
        return dict(found)


def verdict_counts(lines: Iterable[Line]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for line in lines:
        counts[line.verdict.value] += 1
    return dict(counts)


def year_verification(organisation: Organisation, year: int) -> YearVerification | None:
    partitions = tuple(partitions_of(organisation=organisation, year=year))
    if not partitions:
        return None
    lines = tuple(reconciliation(organisation=organisation, year=year))
    return YearVerification(lines, partitions, verdict_counts(lines))


@dataclass(frozen=True)
class ReportAppendix:
    """The report's appendix 数据核验情况: the year's reconciled figures (whole year)."""

    organisation: Organisation
    year: int
    lines: tuple[Line, ...]
    months: int

    @property
    def counts(self) -> dict[str, int]:
        return verdict_counts(self.lines)


def report_appendix(*, organisation: Organisation, year: int) -> ReportAppendix | None:
    """What ``templates/reports/evaluation/_data_verification.html`` prints, or None
    when no records of the year are stored (the report then has no such appendix)."""
    verification = year_verification(organisation, year)
    if verification is None:
        return None
    lines = tuple(line for line in verification.lines if line.month is None)
    months = len({p.month for p in verification.partitions})
    return ReportAppendix(organisation, year, lines, months)

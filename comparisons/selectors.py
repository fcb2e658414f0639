"""Hotline KPIs compared across centres and cities for one year (issue 17 §3).

Every figure is the centre's actual value as ``operations.selectors`` derives it from the
centre's counts (``standard_actual_values``: the standard catalogue, rates and ratios by
``kernel.metrics``, rounded once half-up to 2 places) — the same figure the centre's year
page, the dashboards, the target review and the evaluations show. Nothing is computed here
but the comparison itself:

- **The KPIs** are what the catalogue derives as a rate or a ratio (接通率, 15秒接通率,
  办结率, 满意率, 直接办复率, 每万接听量人工成本, 月均人员流失率 …), in the catalogue's
  order. Which way is better, and the published standard line, are the indicator
  library's (``targets.models.LibraryIndicator``: ``direction``, ``standard_*``; GB/T
  33358-2016 sets 接通率 ≥ 95 %); a standard is judged by ``targets.judgement.judge``.
- **Ranks** are competition ranks (1, 2, 2, 4) on the figures as printed, best first by
  the library's direction, among the centres the user sees.
- **The spread** of a KPI: how many centres, the lowest, the highest, the median (the
  mean of the two middle figures for an even count, by ``kernel.metrics.mean``) and the
  range (highest − lowest, percentage points for a rate).
- **Each figure's source**: ``verified`` when the raw records reconcile the year's figure
  as 一致 (``records.selectors.year_verification``); else ``published`` when every count
  behind it was loaded from a published evaluation report (the seed workbooks, uploaded as
  “种子数据”, each row's 备注 naming where the report prints it); else ``uploaded``
  (operating data a centre uploaded). A figure computed from counts read back from a
  published rate is marked (``counts_reconstructed``, Panjin 2023).

Scope: the organisations ``accounts.scoping.organisations_for`` gives the user; a
province-level finance bureau (an ``Organisation`` of kind 财政局 with its ``region`` and
no ``city``) sees every organisation of its region, hence its cities' centres.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import organisations_for
from budgets.models import Organisation
from kernel import metrics
from kernel.decimals import without_trailing_zeros
from kernel.indicator_values import Comparator
from operations.catalogue import BY_CODE, Kind, MetricSpec
from operations.models import OperatingValue
from operations.selectors import ActualValue, catalogue_specs, standard_actual_values
from operations.services import SEED_SOURCE
from records.models import RecordPartition
from records.reconciliation import Verdict
from records.selectors import year_verification
from targets.judgement import judge
from targets.models import Direction, LibraryIndicator

COMPARED_KINDS: Final = (Kind.RATE, Kind.RATIO)

STANDARD_NOTES: Final = {
    "answer-15s-rate": gettext_lazy(
        "GB/T 33358-2016 requires each call to be answered within 15 seconds; it sets "
        "no rate, so no line is drawn."
    ),
}
"""What a published standard says of a KPI it sets no figure for."""


class UnknownMetric(ValueError):
    """A KPI code the comparison does not know (not a rate or ratio of the catalogue)."""


class Source(StrEnum):
    PUBLISHED = "published"
    UPLOADED = "uploaded"
    VERIFIED = "verified"

    @property
    def label(self) -> str:
        return str(SOURCE_LABELS[self])


SOURCE_LABELS: Final = {
    Source.PUBLISHED: gettext_lazy("published report figure"),
    Source.UPLOADED: gettext_lazy("uploaded operating data"),
    Source.VERIFIED: gettext_lazy("verified from records"),
}


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class Standard:
    """A published standard line: ``comparator`` ``value`` in the KPI's unit."""

    text: str
    comparator: Comparator
    value: Decimal


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    unit: str
    better: Better
    standard: Standard | None
    standard_note: str = ""
    definition: str = ""


@dataclass(frozen=True)
class CentreFigure:
    organisation: Organisation
    value: Decimal
    unit: str
    numerator: Decimal | None
    numerator_unit: str
    denominator: Decimal | None
    denominator_unit: str
    rank: int
    of: int
    meets_standard: bool | None
    source: Source
    source_detail: str
    verification: str | None
    reconstructed: bool
    counts_reconstructed: bool

    @property
    def source_label(self) -> str:
        return self.source.label


@dataclass(frozen=True)
class Spread:
    count: int
    minimum: Decimal
    maximum: Decimal
    median: Decimal
    range: Decimal
    below_standard: int | None
    """How many centres miss the standard (None when the KPI has no standard line)."""


@dataclass(frozen=True)
class KpiComparison:
    kpi: Kpi
    figures: tuple[CentreFigure, ...]
    spread: Spread | None
    set_aside: tuple[Organisation, ...] = ()
    """Centres whose figure is reconstructed (computed from counts read back from other
    published rates, a figure no source states): not compared, named."""


@dataclass(frozen=True)
class Comparison:
    year: int | None
    years: tuple[int, ...]
    centres: tuple[Organisation, ...]
    kpis: tuple[KpiComparison, ...]

    def kpi(self, code: str) -> KpiComparison | None:
        return next((k for k in self.kpis if k.kpi.code == code), None)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON (Decimals as strings, as printed): the API's shape."""
        return {
            "year": self.year,
            "years": list(self.years),
            "kpis": [_kpi_json(k) for k in self.kpis],
        }


# --------------------------------------------------------------------------- the KPIs


def comparable_kpis() -> list[Kpi]:
    """Every KPI the catalogue derives as a rate or a ratio, in the catalogue's order,
    with the library's direction and standard line (two queries)."""
    specs = [s for s in catalogue_specs(organisation=None) if s.kind in COMPARED_KINDS]
    library = {
        row.code: row
        for row in LibraryIndicator.objects.filter(
            code__in=[c for s in specs for c in s.library_codes]
        )
    }
    return [_kpi(spec, library) for spec in specs]


def _kpi(spec: MetricSpec, library: Mapping[str, LibraryIndicator]) -> Kpi:
    entry = next((library[c] for c in spec.library_codes if c in library), None)
    better = (
        Better.LOWER
        if entry is not None and entry.direction == Direction.LOWER_BETTER
        else Better.HIGHER
    )
    standard = None
    if (
        entry is not None
        and entry.standard_value is not None
        and entry.standard_comparator
        and entry.standard_comparator != Comparator.QUALITATIVE
    ):
        standard = Standard(
            text=entry.standard_text,
            comparator=Comparator(entry.standard_comparator),
            value=without_trailing_zeros(entry.standard_value),
        )
    note = STANDARD_NOTES.get(spec.code)
    return Kpi(
        code=spec.code,
        name=spec.name,
        unit=spec.unit,
        better=better,
        standard=standard,
        standard_note="" if note is None else str(note),
        definition=spec.description,
    )


# --------------------------------------------------------------------------- years


def comparison_years(*, organisations: QuerySet[Organisation]) -> list[int]:
    """The years any of ``organisations`` has standard operating data for, latest first."""
    return sorted(
        set(
            OperatingValue.objects.filter(
                organisation__in=organisations, metric__organisation__isnull=True
            )
            .values_list("year", flat=True)
            .distinct()
            .order_by()
        ),
        reverse=True,
    )


# --------------------------------------------------------------------------- the comparison


def kpi_comparison(
    *,
    user: AbstractBaseUser | AnonymousUser,
    year: int | None = None,
    metric: str | None = None,
) -> Comparison:
    """The user's visible centres compared on every KPI (or on ``metric`` alone) in
    ``year`` (default: the latest year with data). Raises ``UnknownMetric`` for a code
    that is not a compared KPI."""
    kpis = comparable_kpis()
    if metric is not None:
        kpis = [k for k in kpis if k.code == metric]
        if not kpis:
            raise UnknownMetric(
                _("“%(code)s” is not an indicator that can be compared.")
                % {"code": metric}
            )
    visible = organisations_for(user)
    years = comparison_years(organisations=visible)
    if year is None:
        year = years[0] if years else None
    if year is None:
        return Comparison(None, (), (), tuple(KpiComparison(k, (), None) for k in kpis))
    centres = list(
        visible.filter(
            operating_values__year=year,
            operating_values__metric__organisation__isnull=True,
        )
        .distinct()
        .order_by("region", "city", "name")
    )
    actuals = standard_actual_values(organisations=centres, year=year)
    origins = _origins(centres, year)
    verdicts = _verdicts(centres, year)
    compared = []
    for kpi in kpis:
        found = [
            (centre, actuals[centre.pk][kpi.code])
            for centre in centres
            if kpi.code in actuals.get(centre.pk, {})
        ]
        compared.append(
            _compare(
                kpi,
                [(c, a) for c, a in found if not a.reconstructed],
                origins,
                verdicts,
                set_aside=tuple(c for c, a in found if a.reconstructed),
            )
        )
    return Comparison(year, tuple(years), tuple(centres), tuple(compared))


def _compare(
    kpi: Kpi,
    found: Sequence[tuple[Organisation, ActualValue]],
    origins: Mapping[int, Mapping[str, frozenset[str]]],
    verdicts: Mapping[int, Mapping[str, str]],
    *,
    set_aside: tuple[Organisation, ...] = (),
) -> KpiComparison:
    ranks = competition_ranks([a.value for _c, a in found], kpi.better)
    figures = []
    for (centre, actual), rank in zip(found, ranks, strict=True):
        verdict = verdicts.get(centre.pk, {}).get(kpi.code)
        figures.append(
            CentreFigure(
                organisation=centre,
                value=actual.value,
                unit=actual.unit,
                numerator=actual.numerator,
                numerator_unit=actual.numerator_unit,
                denominator=actual.denominator,
                denominator_unit=actual.denominator_unit,
                rank=rank,
                of=len(found),
                meets_standard=_meets(kpi, actual),
                source=_source(
                    kpi.code, origins.get(centre.pk, {}), verdict == Verdict.CONSISTENT
                ),
                source_detail=actual.source,
                verification=verdict,
                reconstructed=actual.reconstructed,
                counts_reconstructed=actual.counts_reconstructed,
            )
        )
    figures.sort(key=lambda f: (f.rank, f.organisation.name))
    return KpiComparison(kpi, tuple(figures), spread(kpi, figures), set_aside)


def competition_ranks(values: Sequence[Decimal], better: Better) -> list[int]:
    """Each value's rank among ``values``, best first (1 + how many are strictly
    better): ties share a rank and the next rank is skipped (1, 2, 2, 4)."""
    if better is Better.HIGHER:
        return [1 + sum(other > value for other in values) for value in values]
    return [1 + sum(other < value for other in values) for value in values]


def spread(kpi: Kpi, figures: Sequence[CentreFigure]) -> Spread | None:
    """The lowest, highest, median and range of the figures (None without figures)."""
    if not figures:
        return None
    values = sorted(f.value for f in figures)
    middle = len(values) // 2
    median = (
        values[middle]
        if len(values) % 2
        else metrics.mean([values[middle - 1], values[middle]])
    )
    below = (
        None
        if kpi.standard is None
        else sum(1 for f in figures if f.meets_standard is False)
    )
    return Spread(
        count=len(values),
        minimum=values[0],
        maximum=values[-1],
        median=median,
        range=values[-1] - values[0],
        below_standard=below,
    )


def _meets(kpi: Kpi, actual: ActualValue) -> bool | None:
    if kpi.standard is None:
        return None
    judgement = judge(
        comparator=kpi.standard.comparator,
        target=kpi.standard.value,
        target_unit=kpi.unit,
        actual=actual.value,
        actual_unit=actual.unit,
    )
    return {"met": True, "not_met": False}.get(judgement.status)


# --------------------------------------------------------------------------- sources


def _origins(
    centres: Sequence[Organisation], year: int
) -> dict[int, dict[str, frozenset[str]]]:
    """By centre, each entered metric's upload sources in ``year`` (the whole-year row's
    when there is one, else the months'), in one query."""
    rows: dict[int, dict[str, dict[bool, set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    for organisation_id, code, month, source in OperatingValue.objects.filter(
        organisation__in=[c.pk for c in centres],
        year=year,
        metric__organisation__isnull=True,
    ).values_list("organisation_id", "metric__code", "month", "upload__source"):
        rows[organisation_id][code][month is None].add(source)
    return {
        organisation_id: {
            code: frozenset(by_period[True] or by_period[False])
            for code, by_period in codes.items()
        }
        for organisation_id, codes in rows.items()
    }


def _inputs(code: str, specs: Mapping[str, MetricSpec]) -> set[str]:
    """The entered metrics a metric is computed from (itself, if entered)."""
    spec = specs.get(code)
    if spec is None or spec.kind.is_entered:
        return {code}
    parts = (spec.numerator, spec.denominator, *spec.parts)
    return {entered for part in parts if part for entered in _inputs(part, specs)}


def _source(code: str, origins: Mapping[str, frozenset[str]], verified: bool) -> Source:
    if verified:
        return Source.VERIFIED
    sources = {s for part in _inputs(code, BY_CODE) for s in origins.get(part, ())}
    return Source.PUBLISHED if sources == {SEED_SOURCE} else Source.UPLOADED


def _verdicts(centres: Iterable[Organisation], year: int) -> dict[int, dict[str, str]]:
    """By centre, each metric's whole-year verdict against the raw records, for the
    centres with records of ``year`` (the others need no reconciliation)."""
    with_records = set(
        RecordPartition.objects.filter(
            organisation__in=[c.pk for c in centres], year=year
        ).values_list("organisation_id", flat=True)
    )
    found: dict[int, dict[str, str]] = {}
    for centre in centres:
        if centre.pk not in with_records:
            continue
        verification = year_verification(centre, year)
        if verification is None:
            continue
        found[centre.pk] = {
            line.metric: line.verdict.value
            for line in verification.lines
            if line.month is None
        }
    return found


# --------------------------------------------------------------------------- JSON


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _kpi_json(compared: KpiComparison) -> dict[str, Any]:
    kpi, spread_ = compared.kpi, compared.spread
    return {
        "metric": kpi.code,
        "name": kpi.name,
        "unit": kpi.unit,
        "better": kpi.better.value,
        "standard": None
        if kpi.standard is None
        else {
            "text": kpi.standard.text,
            "comparator": kpi.standard.comparator.value,
            "value": str(kpi.standard.value),
        },
        "standard_note": kpi.standard_note,
        "spread": None
        if spread_ is None
        else {
            "count": spread_.count,
            "min": str(spread_.minimum),
            "max": str(spread_.maximum),
            "median": str(spread_.median),
            "range": str(spread_.range),
            "below_standard": spread_.below_standard,
        },
        "figures": [
            {
                "organisation": f.organisation.code,
                "organisation_name": f.organisation.name,
                "region": f.organisation.region,
                "city": f.organisation.city,
                "value": str(f.value),
                "numerator": _text(f.numerator),
                "numerator_unit": f.numerator_unit,
                "denominator": _text(f.denominator),
                "denominator_unit": f.denominator_unit,
                "rank": f.rank,
                "of": f.of,
                "meets_standard": f.meets_standard,
                "source": f.source.value,
                "source_label": f.source.label,
                "source_detail": f.source_detail,
                "verification": f.verification,
                "reconstructed": f.reconstructed,
                "counts_reconstructed": f.counts_reconstructed,
            }
            for f in compared.figures
        ],
        "set_aside": [o.code for o in compared.set_aside],
    }

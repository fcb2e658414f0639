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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.scoping import organisations_for
from budgets.models import Organisation
from comparisons.kpis import Better, Kpi, Standard, comparable_kpis, competition_ranks
from comparisons.sources import Source, origins, source_of, verdicts
from kernel import metrics
from operations.models import OperatingValue
from operations.selectors import ActualValue, standard_actual_values
from records.reconciliation import Verdict
from targets.judgement import judge

__all__ = [
    "Better",
    "CentreFigure",
    "Comparison",
    "Kpi",
    "KpiComparison",
    "Source",
    "Spread",
    "Standard",
    "UnknownMetric",
    "comparable_kpis",
    "comparison_years",
    "competition_ranks",
    "kpi_comparison",
    "spread",
]


class UnknownMetric(ValueError):
    """A KPI code the comparison does not know (not a rate or ratio of the catalogue)."""


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
    centre_origins = origins(centres, year)
    centre_verdicts = verdicts(centres, year)
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
                centre_origins,
                centre_verdicts,
                set_aside=tuple(c for c, a in found if a.reconstructed),
            )
        )
    return Comparison(year, tuple(years), tuple(centres), tuple(compared))


def _compare(
    kpi: Kpi,
    found: Sequence[tuple[Organisation, ActualValue]],
    centre_origins: Mapping[int, Mapping[str, frozenset[str]]],
    centre_verdicts: Mapping[int, Mapping[str, str]],
    *,
    set_aside: tuple[Organisation, ...] = (),
) -> KpiComparison:
    ranks = competition_ranks([a.value for _c, a in found], kpi.better)
    figures = []
    for (centre, actual), rank in zip(found, ranks, strict=True):
        verdict = centre_verdicts.get(centre.pk, {}).get(kpi.code)
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
                source=source_of(
                    kpi.code,
                    centre_origins.get(centre.pk, {}),
                    verdict == Verdict.CONSISTENT,
                ),
                source_detail=actual.source,
                verification=verdict,
                reconstructed=actual.reconstructed,
                counts_reconstructed=actual.counts_reconstructed,
            )
        )
    figures.sort(key=lambda f: (f.rank, f.organisation.name))
    return KpiComparison(kpi, tuple(figures), spread(kpi, figures), set_aside)


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

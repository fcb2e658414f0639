"""The KPIs a comparison covers: what the operations catalogue derives as a rate or a
ratio, with the indicator library's direction (which way is better) and published
standard line (GB/T 33358-2016: 接通率 ≥ 95 %), and competition ranks by that direction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext_lazy

from kernel.decimals import without_trailing_zeros
from kernel.indicator_values import Comparator
from operations.catalogue import Kind, MetricSpec
from operations.selectors import catalogue_specs
from targets.models import Direction, LibraryIndicator

COMPARED_KINDS: Final = (Kind.RATE, Kind.RATIO)

STANDARD_NOTES: Final = {
    "answer-15s-rate": gettext_lazy(
        "GB/T 33358-2016 requires each call to be answered within 15 seconds; it sets "
        "no rate, so no line is drawn."
    ),
}
"""What a published standard says of a KPI it sets no figure for."""


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


def competition_ranks(values: Sequence[Decimal], better: Better) -> list[int]:
    """Each value's rank among ``values``, best first (1 + how many are strictly
    better): ties share a rank and the next rank is skipped (1, 2, 2, 4)."""
    if better is Better.HIGHER:
        return [1 + sum(other > value for other in values) for value in values]
    return [1 + sum(other < value for other in values) for value in values]

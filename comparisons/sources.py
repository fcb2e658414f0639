"""Where each compared figure comes from: verified from the raw records (the year's
reconciliation says 一致), a published report (every count behind it was loaded from a
published evaluation report: the seed workbooks, uploaded as “种子数据”), or uploaded
operating data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext_lazy

from budgets.models import Organisation
from operations.catalogue import BY_CODE, MetricSpec
from operations.models import OperatingValue
from operations.services import SEED_SOURCE
from records.models import RecordPartition
from records.selectors import year_verification


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


def origins(
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


def source_of(
    code: str, origins: Mapping[str, frozenset[str]], verified: bool
) -> Source:
    if verified:
        return Source.VERIFIED
    sources = {s for part in _inputs(code, BY_CODE) for s in origins.get(part, ())}
    return Source.PUBLISHED if sources == {SEED_SOURCE} else Source.UPLOADED


def verdicts(centres: Iterable[Organisation], year: int) -> dict[int, dict[str, str]]:
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

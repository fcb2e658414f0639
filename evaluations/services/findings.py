"""An evaluation's findings (发现的问题) and recommendations (建议)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.concurrency import allocate
from evaluations.models import Evaluation, Finding, Recommendation


@transaction.atomic
def finding_add(
    *,
    evaluation: Evaluation,
    title: str,
    text: str,
    indicator_names: Sequence[str] = (),
) -> Finding:
    def add(attempt: int) -> Finding:
        finding = Finding(
            evaluation=evaluation,
            position=_next_position(evaluation.findings.all()),
            title=title,
            text=text,
        )
        finding.full_clean(exclude=["position"])  # a taken one: refused, retried
        finding.save()
        return finding

    finding = allocate(add, field="position")
    if indicator_names:
        indicators = list(evaluation.indicators.filter(name__in=indicator_names))
        unknown = set(indicator_names) - {i.name for i in indicators}
        if unknown:
            raise ValidationError(
                _("Unknown indicators: %(names)s")
                % {"names": "、".join(sorted(unknown))}
            )
        finding.indicators.set(indicators)
    return finding


def recommendation_add(
    *, evaluation: Evaluation, title: str, text: str, finding: Finding | None = None
) -> Recommendation:
    def add(attempt: int) -> Recommendation:
        recommendation = Recommendation(
            evaluation=evaluation,
            position=_next_position(evaluation.recommendations.all()),
            title=title,
            text=text,
            finding=finding,
        )
        recommendation.full_clean(exclude=["position"])  # a taken one: retried
        recommendation.save()
        return recommendation

    return allocate(add, field="position")


def _next_position(rows: QuerySet[Finding] | QuerySet[Recommendation]) -> int:
    """The last position + 1 (read, then inserted: ``allocate`` retries a collision)."""
    last = rows.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1

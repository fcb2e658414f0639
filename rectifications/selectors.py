"""Reads of rectification items for the pages, the 待办 lists, the report and the uses
of results above (``results_use``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from evaluations.models import Evaluation, Finding
from rectifications.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    RectificationItem,
)
from targets.models import MonitoringLight, MonitoringLine, MonitoringReport


def overdue(
    items: QuerySet[RectificationItem], today: date
) -> QuerySet[RectificationItem]:
    """Items past their deadline with the work unfinished."""
    return items.filter(status__in=OPEN_STATUSES, deadline__lt=today)


def awaiting_verification(
    items: QuerySet[RectificationItem],
) -> QuerySet[RectificationItem]:
    """Items reported finished that the finance bureau has not yet verified (销号)."""
    return items.filter(status__in=FINISHED_STATUSES, verified_at__isnull=True)


def unfinished(items: QuerySet[RectificationItem]) -> QuerySet[RectificationItem]:
    """Items not yet closed: the work unfinished, or finished but not yet verified."""
    return items.filter(verified_at__isnull=True)


def item_list(
    items: QuerySet[RectificationItem], today: date
) -> QuerySet[RectificationItem]:
    """Items as the list shows them: with their evidence count and whether overdue."""
    return items.select_related(
        "project", "responsible", "evaluation", "monitoring_line__report"
    ).annotate(
        evidence_count=Count("evidence"),
        overdue=ExpressionWrapper(
            Q(status__in=OPEN_STATUSES, deadline__lt=today),
            output_field=BooleanField(),
        ),
    )


@dataclass(frozen=True)
class FindingRow:
    """A finding of an evaluation, its recommendation and its item (None: not yet one)."""

    finding: Finding
    recommendation_titles: tuple[str, ...]
    item: RectificationItem | None
    overdue: bool = False


def finding_rows(evaluation: Evaluation, today: date) -> list[FindingRow]:
    """Every finding of ``evaluation`` in order, with its item (two queries)."""
    findings = list(
        evaluation.findings.prefetch_related("recommendations").order_by("position")
    )
    items = {
        item.finding_id: item
        for item in RectificationItem.objects.filter(
            finding__in=findings
        ).select_related("responsible", "recommendation")
    }
    return [
        FindingRow(
            finding=finding,
            recommendation_titles=tuple(
                r.title
                for r in sorted(finding.recommendations.all(), key=lambda r: r.position)
            ),
            item=items.get(finding.pk),
            overdue=finding.pk in items and items[finding.pk].is_overdue(today),
        )
        for finding in findings
    ]


def open_items_of_project(
    project_id: int, *, before_year: int
) -> QuerySet[RectificationItem]:
    """A project's items from years before ``before_year`` not yet closed (销号)."""
    return (
        RectificationItem.objects.filter(
            project_id=project_id, year__lt=before_year, verified_at__isnull=True
        )
        .select_related("responsible", "evaluation")
        .order_by("year", "deadline", "pk")
    )


def counts(items: QuerySet[RectificationItem], today: date) -> dict[str, int]:
    """How many items, open, overdue, awaiting 销号 and closed (one query)."""
    return items.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        awaiting=Count(
            "pk", filter=Q(status__in=FINISHED_STATUSES, verified_at__isnull=True)
        ),
        closed=Count("pk", filter=Q(verified_at__isnull=False)),
    )


def red_lines(report: MonitoringReport) -> list[MonitoringLine]:
    """A monitoring report's red lights in its order, each with its item if it has one
    (one query)."""
    return list(
        report.lines.filter(light=MonitoringLight.RED)
        .select_related("rectification_item", "rectification_item__responsible")
        .order_by("position")
    )

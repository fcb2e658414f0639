"""整改情况报告: an evaluation's findings and what became of each, as a document.

For each finding of the evaluation, in the report's order: the problem, the recommendation
that answers it, the responsible organisation, the measures, the deadline, the status (未整改
/ 整改中 / 已整改 / 无法整改 with its reason), what was done, the evidence files and the
finance bureau's verification (销号) — or that it is not yet a rectification item. Above the
table, the count of items in each state as of the day printed. Plain values only
(``documents.kinds.Document``): a change to any item changes the fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from core.people import person_name
from documents.kinds import Document
from documents.models import DocumentFormat, DocumentKind
from evaluations.models import Evaluation
from evaluations.scoping import evaluations_for
from rectifications.models import RectificationItem, RectificationStatus
from rectifications.scoping import items_for, reads_items

TEMPLATE = "reports/rectification_report.html"
TITLE = "整改情况报告"

STATUS_PRINTED = {
    RectificationStatus.OPEN: "未整改",
    RectificationStatus.IN_PROGRESS: "整改中",
    RectificationStatus.DONE: "已整改",
    RectificationStatus.IMPOSSIBLE: "无法整改",
}
"""The statuses as the report prints them (in Chinese whatever the reader's language:
the report is an official document)."""


@dataclass(frozen=True)
class ReportRow:
    number: int
    problem: str
    recommendation: str
    responsible: str
    measures: str
    deadline: str
    status: str
    status_reason: str
    progress: str
    evidence: tuple[str, ...]
    verification: str
    overdue: bool


@dataclass(frozen=True)
class Tally:
    findings: int
    items: int
    open: int
    in_progress: int
    done: int
    impossible: int
    verified: int
    overdue: int


class RectificationReportDocuments:
    kind: DocumentKind = DocumentKind.RECTIFICATION_REPORT
    formats: tuple[DocumentFormat, ...] = (DocumentFormat.PDF,)

    def visible(self, user: AbstractBaseUser | AnonymousUser, code: str) -> bool:
        # who reads an evaluation's rectification items: its project's finance,
        # department and unit (rectifications.scoping), through the evaluation
        return items_for(user).filter(
            evaluation__code=code
        ).exists() or _readable_evaluation(user, code)

    def build(self, code: str) -> Document:
        return rectification_report_document(code=code)

    def export(self, document: Document, format: DocumentFormat) -> bytes:
        raise ValueError(f"Rectification reports have no {format} export.")

    def notes(self, code: str) -> list[str]:
        return []


def _readable_evaluation(user: AbstractBaseUser | AnonymousUser, code: str) -> bool:
    if not reads_items(user):
        return False
    return evaluations_for(user).filter(code=code, project__isnull=False).exists()


def _date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def rectification_report_document(*, code: str, today: date | None = None) -> Document:
    """Evaluation ``code``'s 整改情况报告 (raises ``Evaluation.DoesNotExist``)."""
    today = today or timezone.localdate()
    evaluation = Evaluation.objects.select_related("project", "project__unit").get(
        code=code, project__isnull=False
    )
    project = evaluation.project
    assert project is not None
    findings = list(
        evaluation.findings.prefetch_related("recommendations").order_by("position")
    )
    items = {
        item.finding_id: item
        for item in RectificationItem.objects.filter(evaluation=evaluation)
        .select_related("responsible", "recommendation", "verified_by")
        .prefetch_related("evidence")
    }
    rows = []
    for number, finding in enumerate(findings, start=1):
        item = items.get(finding.pk)
        recommendations = sorted(
            finding.recommendations.all(), key=lambda r: r.position
        )
        if item is None:
            rows.append(
                ReportRow(
                    number=number,
                    problem=finding.title,
                    recommendation="；".join(r.title for r in recommendations),
                    responsible="",
                    measures="",
                    deadline="",
                    status="尚未列入整改",
                    status_reason="",
                    progress="",
                    evidence=(),
                    verification="",
                    overdue=False,
                )
            )
            continue
        rows.append(
            ReportRow(
                number=number,
                problem=item.title,
                recommendation=item.recommendation.title if item.recommendation else "",
                responsible=item.responsible.name,
                measures=item.measures,
                deadline=_date(item.deadline),
                status=STATUS_PRINTED[RectificationStatus(item.status)],
                status_reason=item.status_reason,
                progress=item.progress,
                evidence=tuple(
                    e.description or e.filename
                    for e in sorted(item.evidence.all(), key=lambda e: e.pk)
                ),
                verification=(
                    f"已销号（{_date(timezone.localdate(item.verified_at))}，"
                    f"{person_name(item.verified_by)}）"
                    if item.verified_at
                    else ""
                ),
                overdue=item.is_overdue(today),
            )
        )
    listed = list(items.values())
    tally = Tally(
        findings=len(findings),
        items=len(listed),
        open=sum(i.status == RectificationStatus.OPEN for i in listed),
        in_progress=sum(i.status == RectificationStatus.IN_PROGRESS for i in listed),
        done=sum(i.status == RectificationStatus.DONE for i in listed),
        impossible=sum(i.status == RectificationStatus.IMPOSSIBLE for i in listed),
        verified=sum(i.verified_at is not None for i in listed),
        overdue=sum(i.is_overdue(today) for i in listed),
    )
    title = f"{project.name}{evaluation.year}年度绩效评价{TITLE}"
    return Document(
        kind=DocumentKind.RECTIFICATION_REPORT,
        code=evaluation.code,
        title=title,
        template_name=TEMPLATE,
        context={
            "title": title,
            "evaluation_title": evaluation.title,
            "unit": project.unit.name,
            "as_of": _date(today),
            "rows": tuple(rows),
            "tally": tally,
            "running_header": f"{project.name}　{TITLE}",
        },
    )

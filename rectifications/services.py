"""Writes of rectification items: each through ``full_clean()``, each changing only the
fields it is given, each refusing bad input with a Chinese message (``ValidationError``)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import Organisation
from core.concurrency import claim
from evaluations.models import Finding
from rectifications.models import (
    FINISHED_STATUSES,
    RectificationEvidence,
    RectificationItem,
    RectificationStatus,
)
from targets.models import MonitoringLight, MonitoringLine


def check_deadline(deadline: date, today: date) -> None:
    if deadline < today:
        raise ValidationError(
            {
                "deadline": _(
                    "The deadline %(deadline)s is in the past: choose today or a "
                    "later day."
                )
                % {"deadline": deadline.isoformat()}
            }
        )


def finding_source(finding: Finding) -> str:
    """Where a finding's item comes from, as the pages and the report print it."""
    evaluation = finding.evaluation
    return _("%(evaluation)s, finding %(position)s") % {
        "evaluation": evaluation.title,
        "position": finding.position,
    }


@transaction.atomic
def item_from_finding(
    *,
    finding: Finding,
    responsible: Organisation,
    measures: str,
    deadline: date,
    user: AbstractBaseUser | None,
    today: date | None = None,
) -> RectificationItem:
    """Make ``finding`` a rectification item, linked to the recommendation that answers it
    (the first by position, when the report links one). One item per finding."""
    today = today or timezone.localdate()
    evaluation = finding.evaluation
    if evaluation.project is None:
        raise ValidationError(
            _("Only the findings of a project's evaluation become rectification items.")
        )
    if RectificationItem.objects.filter(finding=finding).exists():
        raise ValidationError(
            _("The finding “%(title)s” already has its rectification item.")
            % {"title": finding.title}
        )
    check_deadline(deadline, today)
    item = RectificationItem(
        evaluation=evaluation,
        finding=finding,
        recommendation=finding.recommendations.order_by("position").first(),
        project=evaluation.project,
        year=evaluation.year,
        source_text=finding_source(finding),
        title=finding.title,
        problem=finding.text,
        responsible=responsible,
        measures=measures.strip(),
        deadline=deadline,
    )
    item.created_by = user  # type: ignore[assignment]
    item.full_clean()
    item.save()
    return item


def _saved(item: RectificationItem) -> dict[str, object]:
    return {
        str(_("status")): item.get_status_display(),
        str(_("why it cannot be rectified")): item.status_reason,
        str(_("rectification measures")): item.measures,
        str(_("what was done")): item.progress,
    }


@transaction.atomic
def item_report(
    *,
    item: RectificationItem,
    version: int | None,
    status: str | None = None,
    status_reason: str | None = None,
    measures: str | None = None,
    progress: str | None = None,
) -> RectificationItem:
    """The responsible organisation reports on ``item``: only the fields given change.

    无法整改 needs its reason; 已整改 needs at least one evidence file; a verified item is
    closed. ``version`` is the one the page was drawn from (``core.concurrency``)."""
    if item.is_verified:
        raise ValidationError(
            _("This item has been verified and can no longer be changed.")
        )
    typed: dict[str, object] = {}
    if status is not None:
        item.status = status
        typed[str(_("status"))] = RectificationStatus(status).label
    if status_reason is not None:
        item.status_reason = status_reason.strip()
        typed[str(_("why it cannot be rectified"))] = item.status_reason
    if measures is not None:
        item.measures = measures.strip()
        typed[str(_("rectification measures"))] = item.measures
    if progress is not None:
        item.progress = progress.strip()
        typed[str(_("what was done"))] = item.progress
    if item.status == RectificationStatus.IMPOSSIBLE and not item.status_reason:
        raise ValidationError(
            {
                "status_reason": _(
                    "Say why the item cannot be rectified: it needs its reason."
                )
            }
        )
    if item.status == RectificationStatus.DONE and not item.evidence.exists():
        raise ValidationError(
            {
                "status": _(
                    "Upload at least one evidence file before reporting the item "
                    "as rectified."
                )
            }
        )
    item.full_clean()
    claim(
        item,
        version=version,
        what=_("the rectification item “%(title)s”") % {"title": item.title},
        typed=typed,
        saved=_saved,
    )
    item.save()
    return item


def evidence_add(
    *,
    item: RectificationItem,
    file: File,  # type: ignore[type-arg]
    description: str,
    user: AbstractBaseUser,
) -> RectificationEvidence:
    """Attach an evidence file to an item that is not yet verified."""
    if item.is_verified:
        raise ValidationError(
            _("This item has been verified and can no longer be changed.")
        )
    evidence = RectificationEvidence(
        item=item, file=file, description=description.strip()
    )
    evidence.uploaded_by = user  # type: ignore[assignment]
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def item_verify(
    *,
    item: RectificationItem,
    user: AbstractBaseUser,
    note: str,
    accept: bool,
) -> RectificationItem:
    """The finance bureau's 销号 (``accept``), or the item sent back to 整改中 with the
    bureau's note (which is then required)."""
    locked = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if locked.is_verified:
        raise ValidationError(_("This item has already been verified."))
    if locked.status not in FINISHED_STATUSES:
        raise ValidationError(
            _(
                "Only an item reported as rectified, or as impossible to rectify, can "
                "be verified."
            )
        )
    note = note.strip()
    if accept:
        locked.verified_at = timezone.now()
        locked.verified_by = user  # type: ignore[assignment]
    else:
        if not note:
            raise ValidationError(
                {"note": _("Say why the item is sent back for more work.")}
            )
        locked.status = RectificationStatus.IN_PROGRESS
    locked.verification_note = note
    locked.full_clean()
    locked.version += 1
    locked.save()
    return locked


RED_LIGHT_STATUSES = ("submitted", "accepted")
"""A report's red lights become items once the unit has submitted it (with the cause and
纠偏措施 of each, which the submission requires)."""


def red_light_source(line: MonitoringLine) -> str:
    report = line.report
    return _("%(form)s, monitoring report for January–%(month)s, line %(position)s") % {
        "form": report.form.title or report.form.code,
        "month": report.months,
        "position": line.position,
    }


def red_light_problem(line: MonitoringLine) -> str:
    """The red light as the item states it: target, completion to date, the forecast,
    and the unit's cause as it reported them."""
    parts = [
        _("full-year target: %(target)s") % {"target": line.year_target or "—"},
        _("completed to date: %(done)s") % {"done": line.to_date or "—"},
        _("expected for the year: %(expected)s") % {"expected": line.expected or "—"},
    ]
    if line.cause:
        cause = line.get_cause_display()
        parts.append(
            _("cause: %(cause)s") % {"cause": f"{cause}（{line.cause_text}）"}
            if line.cause_text
            else _("cause: %(cause)s") % {"cause": cause}
        )
    return "；".join(str(p) for p in parts)


@transaction.atomic
def item_from_red_light(
    *,
    line: MonitoringLine,
    responsible: Organisation,
    measures: str,
    deadline: date,
    user: AbstractBaseUser | None,
    today: date | None = None,
) -> RectificationItem:
    """Make a red light of a submitted monitoring report a rectification item (one per
    line); its 纠偏措施 are offered as the measures."""
    today = today or timezone.localdate()
    report = line.report
    if line.light != MonitoringLight.RED or report.status not in RED_LIGHT_STATUSES:
        raise ValidationError(
            _(
                "Only a red light of a submitted monitoring report becomes a "
                "rectification item."
            )
        )
    if RectificationItem.objects.filter(monitoring_line=line).exists():
        raise ValidationError(
            _("The red light “%(title)s” already has its rectification item.")
            % {"title": line.name}
        )
    check_deadline(deadline, today)
    title = str(_("Red light: %(name)s") % {"name": line.name})
    item = RectificationItem(
        monitoring_line=line,
        project=report.form.project,
        year=report.form.year,
        source_text=red_light_source(line)[:300],
        title=title[:200],
        problem=red_light_problem(line),
        responsible=responsible,
        measures=measures.strip(),
        deadline=deadline,
    )
    item.created_by = user  # type: ignore[assignment]
    item.full_clean()
    item.save()
    return item

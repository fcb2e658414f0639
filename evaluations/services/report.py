"""The report's sections (``ReportSection``): the seeds' texts, starting from the template,
the evaluator's edits and the suggestions they accept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.concurrency import claim, model_field_label
from evaluations.models import Evaluation, ReportSection
from evaluations.reports.text import TextError, lines_of
from evaluations.services.guards import check_unlocked


@dataclass(frozen=True)
class SectionData:
    level: int
    heading: str = ""
    body: str = ""
    kind: str = ReportSection.Kind.TEXT
    topic: str = ""


def _check_text(body: str) -> None:
    try:
        lines_of(body)
    except TextError as error:
        raise ValidationError(
            {
                "body": _(
                    "%(line)s names no table, figure or indicator: write [[表1-1]], "
                    "[[表1-2]], [[表1-3]], [[表2]], [[表3]], [[图1]], [[图2]] or "
                    "[[指标：name]]."
                )
                % {"line": error}
            }
        ) from error


@transaction.atomic
def report_sections_replace(
    *, evaluation: Evaluation, sections: Sequence[SectionData]
) -> list[ReportSection]:
    """Replace the evaluation's sections by ``sections``, in order (the seeds; starting
    from the template). Nothing is written when one is invalid."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    check_unlocked(evaluation)
    evaluation.report_sections.all().delete()
    created = []
    for position, data in enumerate(sections, start=1):
        _check_text(data.body)
        section = ReportSection(
            evaluation=evaluation,
            position=position,
            level=data.level,
            heading=data.heading.strip(),
            body=data.body.strip(),
            kind=data.kind,
            topic=data.topic,
        )
        section.full_clean()
        section.save()
        created.append(section)
    return created


def _section_values(heading: str, body: str) -> dict[str, object]:
    return {
        model_field_label(ReportSection, "heading"): heading,
        model_field_label(ReportSection, "body"): body,
    }


@transaction.atomic
def report_section_save(
    *,
    section: ReportSection,
    heading: str,
    body: str,
    version: int | None = None,
) -> ReportSection:
    """Save the evaluator's heading and text of one section. ``version`` is the one the
    page was drawn from: when someone saved the section since, ``EditConflict`` refuses
    the save and names what they saved."""
    evaluation = Evaluation.objects.select_for_update().get(pk=section.evaluation_id)
    check_unlocked(evaluation)
    heading, body = heading.strip(), body.strip()
    _check_text(body)
    claim(
        section,
        version=version,
        what=_("the report section “%(heading)s”")
        % {"heading": section.heading or _("(untitled)")},
        typed=_section_values(heading, body),
        saved=lambda stored: _section_values(stored.heading, stored.body),
    )
    section.heading = heading
    section.body = body
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def report_section_append(
    *, section: ReportSection, text: str, version: int | None = None
) -> ReportSection:
    """Add ``text`` (an accepted suggestion) as the section's last paragraphs, keeping
    everything the evaluator wrote."""
    evaluation = Evaluation.objects.select_for_update().get(pk=section.evaluation_id)
    check_unlocked(evaluation)
    stored = ReportSection.objects.get(pk=section.pk)
    body = "\n".join(part for part in (stored.body.strip(), text.strip()) if part)
    _check_text(body)
    claim(
        section,
        version=version,
        what=_("the report section “%(heading)s”")
        % {"heading": section.heading or _("(untitled)")},
        typed=_section_values(section.heading, section.body),
        saved=lambda row: _section_values(row.heading, row.body),
    )
    section.heading = stored.heading
    section.body = body
    section.full_clean()
    section.save()
    return section

"""What a printable document is about, for its 公开版: the organisation and year it is
published under, the objects behind it, and the contact fields those objects hold.

``documents.kinds`` knows how to read and print each kind; it does not say whose document
it is. Here each kind names the object its code points to (``SUBJECTS``); a kind added
later without an entry is refused publication with a message (``subject_of`` returns None)
rather than published under a guessed organisation.

``PERSONAL_FIELDS`` are the model fields that hold a person's name or number (issue 17 §2:
"contact fields are known"): every value such a field holds on an object behind the
document is removed wherever it is printed, whatever the pattern finder says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from budgets.models import Organisation, Project
from core.people import person_name
from disclosure.patterns import Category
from evaluations.models import Evaluation
from rectifications.models import RectificationItem
from targets.models import MonitoringReport, TargetForm


@dataclass(frozen=True)
class PersonalField:
    """A model field holding a person's name or number; ``read`` gives the text printed
    for it when that is not the field's own value (a user: their name)."""

    model: type[models.Model]
    field: str
    category: Category
    label: Promise
    read: Callable[[Any], str] | None = None

    def value(self, obj: models.Model) -> str:
        if self.read is not None:
            return self.read(obj)
        return str(getattr(obj, self.field) or "")


PERSONAL_FIELDS: tuple[PersonalField, ...] = (
    # seed 000's 项目基本情况表: 项目负责人 许春梅, 联系电话 022-24538025
    PersonalField(Project, "manager", Category.NAME, _("Project manager")),
    PersonalField(Project, "manager_phone", Category.LANDLINE, _("Contact phone")),
    # the 整改情况报告 prints who verified an item (已销号（日期，姓名）)
    PersonalField(
        RectificationItem,
        "verified_by",
        Category.NAME,
        _("Verified by"),
        read=lambda item: person_name(item.verified_by),
    ),
)


@dataclass(frozen=True)
class FieldValue:
    """A contact field's value on an object behind a document."""

    category: Category
    label: str
    text: str


@dataclass(frozen=True)
class Subject:
    """Whose document it is (``organisation``, ``year``) and the objects behind it."""

    organisation: Organisation
    year: int | None
    objects: tuple[models.Model, ...]

    def field_values(self) -> list[FieldValue]:
        found: list[FieldValue] = []
        for obj in self.objects:
            for personal in PERSONAL_FIELDS:
                if not isinstance(obj, personal.model):
                    continue
                value = personal.value(obj).strip()
                if value:
                    found.append(
                        FieldValue(personal.category, str(personal.label), value)
                    )
        return found


def _project_year(project: Project) -> int | None:
    first = project.budget_years.order_by("year").values_list("year", flat=True).first()
    if first is not None:
        return int(first)
    return project.start_date.year if project.start_date else None


def _form_subject(form: TargetForm, *objects: models.Model) -> Subject | None:
    if form.project is not None:
        return Subject(form.project.unit, form.year, (form.project, form, *objects))
    if form.organisation is not None:
        return Subject(form.organisation, form.year, (form, *objects))
    return None


def _target_form(code: str) -> Subject | None:
    form = (
        TargetForm.objects.select_related("project__unit", "organisation")
        .filter(code=code)
        .first()
    )
    return None if form is None else _form_subject(form)


def _monitoring_report(code: str) -> Subject | None:
    report = (
        MonitoringReport.objects.select_related(
            "form__project__unit", "form__organisation"
        )
        .filter(code=code)
        .first()
    )
    return None if report is None else _form_subject(report.form, report)


def _evaluation(code: str) -> Subject | None:
    evaluation = (
        Evaluation.objects.select_related("project__unit", "organisation")
        .filter(code=code)
        .first()
    )
    if evaluation is None:
        return None
    if evaluation.project is not None:
        return Subject(
            evaluation.project.unit, evaluation.year, (evaluation.project, evaluation)
        )
    if evaluation.organisation is not None:
        return Subject(evaluation.organisation, evaluation.year, (evaluation,))
    return None


def _rectification_report(code: str) -> Subject | None:
    subject = _evaluation(code)
    if subject is None:
        return None
    items = RectificationItem.objects.filter(evaluation__code=code).select_related(
        "verified_by"
    )
    return Subject(subject.organisation, subject.year, (*subject.objects, *items))


def _project(code: str) -> Subject | None:
    project = Project.objects.select_related("unit").filter(code=code).first()
    if project is None:
        return None
    return Subject(project.unit, _project_year(project), (project,))


SUBJECTS: dict[str, Callable[[str], Subject | None]] = {
    "target_form": _target_form,
    "evaluation_report": _evaluation,
    # 项目支出绩效自评表: the self-evaluation's own code (documents/self_evaluation_tables)
    "self_evaluation_table": _evaluation,
    "project_info": _project,
    # 绩效运行监控表: the report's code (documents/monitoring_tables)
    "monitoring_table": _monitoring_report,
    # 整改情况报告: the evaluation's code (documents/rectification_reports)
    "rectification_report": _rectification_report,
}


def subject_of(kind: str, code: str) -> Subject | None:
    """Whose document ``kind``/``code`` is; None for a kind without an entry or an
    object that is not there."""
    resolve = SUBJECTS.get(kind)
    return None if resolve is None else resolve(code)

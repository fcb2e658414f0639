"""The finance bureau's year at a glance: every visible project active in a year, with the
state of each stage of its year, filtered and sorted in the database.

A project is *active* in a year when it has a budget year, a target form or an evaluation
of that year. The list is ``budgets.scoping.projects_for`` (as every other list), so nobody
sees another organisation's project.

The number of queries does not grow with the number of projects: the filters and sorts
are annotations of the one project query (a join for the target form and the budget year,
which are one per project-year; a subquery for the evaluations, of which a project-year may
have several), and the stages of the page's rows are then read in one query per stage
(``rows_of``).

A stage whose data do not exist shows nothing invented: a project without a target form
for the year says so (``target_status`` is ``None``), and a column appears on the page
only once the stage it shows is stored by the application at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce

from budgets.models import BudgetYear, Project
from budgets.scoping import projects_for
from core.lists import name_contains
from evaluations.models import Evaluation, EvaluationKind, ReviewStage
from rectifications.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    RectificationItem,
)
from results_use.models import BudgetDecision
from targets.models import (
    MonitoringLight,
    MonitoringLine,
    MonitoringReport,
    TargetForm,
    TargetFormStatus,
)

NONE = "none"
"""The filter value for "this stage has nothing for the year" (no form, no evaluation)."""

# An external evaluation is any evaluation that is not the unit's own: a third-party key
# evaluation (重点评价) or one by the supervising department.
EXTERNAL_KINDS = (EvaluationKind.THIRD_PARTY, EvaluationKind.DEPARTMENT)
GRADES = ("优", "良", "中", "差")
RECTIFICATION_FILTERS = ("open", "overdue", "unverified", NONE)
"""Items unfinished, past their deadline, not yet verified (销号), or none at all."""
DECISION_RECORDED = "recorded"
SELF_DRAFT = "draft"
"""The self-evaluation filter's value for one not yet in review (``ReviewStage.NONE``)."""


@dataclass(frozen=True, slots=True)
class EvaluationState:
    code: str
    kind_label: str
    status: str
    status_label: str
    submitted: bool
    total: Decimal | None
    """The published total (set when the evaluation is submitted), else ``None``."""
    grade: str
    source_total: Decimal | None
    """The total a source report printed (a seed read from a report), kept apart."""
    source_grade: str


@dataclass(frozen=True, slots=True)
class MonitoringState:
    """The year's latest 运行监控 report (the longest period): its status and its worst
    light (red before yellow before green), with how many lines are red and yellow."""

    code: str
    months: int
    status: str
    status_label: str
    light: str
    light_label: str
    red: int
    yellow: int


@dataclass(frozen=True, slots=True)
class RectificationState:
    """The project-year's 整改事项 (from its evaluations' findings and its monitoring's
    red lights), counted by where they stand."""

    total: int
    open: int
    """Work not finished (未整改, 整改中)."""
    overdue: int
    """Of ``open``, past the deadline."""
    awaiting_verification: int
    """Reported finished (已整改, 无法整改), not yet verified by the bureau (销号)."""
    verified: int


@dataclass(frozen=True, slots=True)
class DecisionState:
    """结果应用: the finance bureau's decision on the project's next year's budget, with
    the result and the recommendation it was taken on."""

    budget_year: int
    evaluation_year: int
    total: Decimal
    grade: str
    recommendation: str
    decision: str
    decision_label: str


@dataclass(frozen=True, slots=True)
class YearRow:
    """One project's year: what each stage holds (``None``: nothing for the year)."""

    project: Project
    year: int
    target_code: str | None
    target_status: str | None
    target_status_label: str
    target_resubmitted: bool
    has_budget: bool
    monitoring: MonitoringState | None
    self_evaluation: EvaluationState | None
    external: EvaluationState | None
    rectifications: RectificationState | None
    """``None``: no item for the year."""
    decision: DecisionState | None
    """``None``: no decision recorded on next year's budget."""


def _evaluations(kinds: Sequence[str], year: int) -> QuerySet[Evaluation]:
    """The project-year's evaluations of ``kinds``, the submitted one first, then the
    latest (the subqueries below take the first)."""
    return Evaluation.objects.filter(
        project=OuterRef("pk"), year=year, kind__in=kinds
    ).order_by(
        Case(
            When(status=Evaluation.Status.DRAFT, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        "-pk",
    )


# A report's light is its worst line's: red, then yellow, then green, then none.
_LIGHT_ORDER = [
    MonitoringLight.RED,
    MonitoringLight.YELLOW,
    MonitoringLight.GREEN,
    MonitoringLight.NONE,
]


def _severity(field: str) -> Case:
    return Case(
        *[
            When(**{field: value}, then=Value(position))
            for position, value in enumerate(_LIGHT_ORDER)
        ],
        default=Value(len(_LIGHT_ORDER)),
        output_field=IntegerField(),
    )


def _count(items: QuerySet[RectificationItem]) -> Coalesce:
    """The number of ``items`` (filtered on ``OuterRef("pk")``), 0 for none."""
    return Coalesce(
        Subquery(
            items.order_by()
            .values("project")
            .annotate(number=Count("pk"))
            .values("number")[:1]
        ),
        0,
    )


def _first(queryset: QuerySet[Evaluation], field: str) -> Subquery:
    return Subquery(queryset.values(field)[:1])


def projects_of_year(
    user: AbstractBaseUser | AnonymousUser, year: int, today: date
) -> QuerySet[Project]:
    """The projects ``user`` sees that are active in ``year``, annotated with what the
    filters and sorts read (``today``: what is overdue)."""
    items = RectificationItem.objects.filter(project=OuterRef("pk"), year=year)
    self_evaluations = _evaluations([EvaluationKind.SELF], year)
    externals = _evaluations(EXTERNAL_KINDS, year)
    return (
        projects_for(user)
        .filter(
            Exists(BudgetYear.objects.filter(project=OuterRef("pk"), year=year))
            | Exists(TargetForm.objects.filter(project=OuterRef("pk"), year=year))
            | Exists(Evaluation.objects.filter(project=OuterRef("pk"), year=year))
        )
        .annotate(
            form=FilteredRelation("target_forms", condition=Q(target_forms__year=year)),
            budget=FilteredRelation(
                "budget_years", condition=Q(budget_years__year=year)
            ),
        )
        .annotate(
            target_code=F("form__code"),
            target_status=F("form__status"),
            target_submissions=F("form__submissions"),
            budget_id=F("budget__pk"),
            # the form's latest report, read off its (form, months) index
            monitoring_id=Subquery(
                MonitoringReport.objects.filter(form=OuterRef("form__pk"))
                .order_by("-months")
                .values("pk")[:1]
            ),
            monitoring_status=Subquery(
                MonitoringReport.objects.filter(pk=OuterRef("monitoring_id")).values(
                    "status"
                )[:1]
            ),
            monitoring_light=Subquery(
                MonitoringLine.objects.filter(report=OuterRef("monitoring_id"))
                .order_by(_severity("light"))
                .values("light")[:1]
            ),
            self_id=_first(self_evaluations, "pk"),
            self_stage=_first(self_evaluations, "review_stage"),
            self_total=_first(self_evaluations, "published_total"),
            external_id=_first(externals, "pk"),
            external_total=_first(externals, "published_total"),
            external_grade=_first(externals, "published_grade"),
            rectifications_open=_count(items.filter(status__in=OPEN_STATUSES)),
            rectifications_overdue=_count(
                items.filter(status__in=OPEN_STATUSES, deadline__lt=today)
            ),
            rectifications_unverified=_count(items.filter(verified_at__isnull=True)),
            decision_id=Subquery(
                BudgetDecision.objects.filter(
                    budget_year__project=OuterRef("pk"), budget_year__year=year + 1
                ).values("pk")[:1]
            ),
        )
        .select_related("unit", "department")
    )


def _nulls_last(field: str, *, descending: bool = False) -> OrderBy:
    expression = F(field)
    if descending:
        return expression.desc(nulls_last=True)
    return expression.asc(nulls_last=True)


# The target form's stages in the order of the cycle, for sorting by it.
_TARGET_ORDER = Case(
    *[
        When(target_status=value, then=Value(position))
        for position, value in enumerate(
            [
                TargetFormStatus.APPROVED,
                TargetFormStatus.SUBMITTED,
                TargetFormStatus.RETURNED,
                TargetFormStatus.DRAFT,
            ]
        )
    ],
    default=Value(9),
    output_field=IntegerField(),
)

SORTS: Mapping[str, Sequence[str | Combinable]] = {
    "project": ("name",),
    "-project": ("-name",),
    "unit": ("unit__name", "name"),
    "-unit": ("-unit__name", "name"),
    "target": (_TARGET_ORDER, "name"),
    "-target": (_TARGET_ORDER.desc(), "name"),
    "monitoring": (_severity("monitoring_light"), "name"),
    "-monitoring": (_severity("monitoring_light").desc(), "name"),
    "rectifications": (
        F("rectifications_overdue").desc(),
        F("rectifications_open").desc(),
        "name",
    ),
    "-rectifications": (
        F("rectifications_overdue").asc(),
        F("rectifications_open").asc(),
        "name",
    ),
    "self": (_nulls_last("self_total", descending=True), "name"),
    "-self": (_nulls_last("self_total"), "name"),
    "external": (_nulls_last("external_total", descending=True), "name"),
    "-external": (_nulls_last("external_total"), "name"),
}
"""Each sort key and its ordering; a key and its ``-`` twin reverse each other (scores
sort highest first, projects without a score last either way)."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What the page's filter form asks; an empty string asks nothing."""

    query: str = ""
    target: str = ""
    """A ``TargetFormStatus`` value, or ``NONE`` (no form for the year)."""
    monitoring: str = ""
    """A ``MonitoringStatus`` value, or ``NONE`` (no report for the year)."""
    light: str = ""
    """A ``MonitoringLight`` value: the worst light of the latest report."""
    self_evaluation: str = ""
    """``SELF_DRAFT``, a ``ReviewStage`` value, or ``NONE``."""
    grade: str = ""
    """One of ``GRADES`` (the published grade of the external evaluation), or ``NONE``."""
    rectifications: str = ""
    """One of ``RECTIFICATION_FILTERS``."""
    decision: str = ""
    """``recorded`` or ``NONE``: a decision on next year's budget recorded or not."""


def _has_light(light: str) -> Exists:
    return Exists(
        MonitoringLine.objects.filter(report=OuterRef("monitoring_id"), light=light)
    )


def _worst_light_is(light: str) -> Q:
    """The latest report's worst light is ``light``: a line of that light and none
    worse (an EXISTS on the lines' report index rather than sorting every report's
    lines)."""
    worse = _LIGHT_ORDER[: _LIGHT_ORDER.index(MonitoringLight(light))]
    condition = Q(monitoring_id__isnull=False)
    if light != MonitoringLight.NONE:
        condition &= Q(_has_light(light))
    for other in worse:
        condition &= ~Q(_has_light(other))
    return condition


def filtered(
    projects: QuerySet[Project], filters: Filters, year: int
) -> QuerySet[Project]:
    if filters.query:
        projects = projects.filter(
            name_contains("name", filters.query)
            | name_contains("unit__name", filters.query)
        )
    if filters.target == NONE:
        projects = projects.filter(Q(target_status__isnull=True))
    elif filters.target:
        projects = projects.filter(Q(target_status=filters.target))
    if filters.monitoring == NONE:
        projects = projects.filter(Q(monitoring_id__isnull=True))
    elif filters.monitoring:
        projects = projects.filter(Q(monitoring_status=filters.monitoring))
    if filters.light:
        projects = projects.filter(_worst_light_is(filters.light))
    if filters.self_evaluation == NONE:
        projects = projects.filter(Q(self_id__isnull=True))
    elif filters.self_evaluation == SELF_DRAFT:
        projects = projects.filter(
            Q(self_id__isnull=False, self_stage=ReviewStage.NONE)
        )
    elif filters.self_evaluation:
        projects = projects.filter(Q(self_stage=filters.self_evaluation))
    if filters.grade == NONE:
        projects = projects.filter(
            Q(external_grade__isnull=True) | Q(external_grade="")
        )
    elif filters.grade:
        projects = projects.filter(Q(external_grade=filters.grade))
    match filters.rectifications:
        case "open":
            projects = projects.filter(Q(rectifications_open__gt=0))
        case "overdue":
            projects = projects.filter(Q(rectifications_overdue__gt=0))
        case "unverified":
            projects = projects.filter(Q(rectifications_unverified__gt=0))
        case "none":
            projects = projects.exclude(
                Exists(
                    RectificationItem.objects.filter(project=OuterRef("pk"), year=year)
                )
            )
    if filters.decision == DECISION_RECORDED:
        projects = projects.filter(Q(decision_id__isnull=False))
    elif filters.decision == NONE:
        projects = projects.filter(Q(decision_id__isnull=True))
    return projects


def years_of(user: AbstractBaseUser | AnonymousUser) -> list[int]:
    """The years in which any project ``user`` sees is active, latest first."""
    visible = projects_for(user).order_by().values("pk")
    years: set[int] = set()
    for model in (BudgetYear, TargetForm, Evaluation):
        years.update(
            model.objects.filter(project__in=visible)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
    return sorted(years, reverse=True)


def _evaluation_state(evaluation: Evaluation) -> EvaluationState:
    """A self-evaluation's state is its review's (``ReviewStage``; a draft before it is
    submitted); any other evaluation's is its status."""
    if evaluation.kind == EvaluationKind.SELF:
        status = evaluation.review_stage or SELF_DRAFT
        label = (
            evaluation.get_review_stage_display()
            if evaluation.review_stage
            else Evaluation.Status.DRAFT.label
        )
    else:
        status, label = evaluation.status, evaluation.get_status_display()
    return EvaluationState(
        code=evaluation.code,
        kind_label=str(evaluation.get_kind_display()),
        status=status,
        status_label=str(label),
        submitted=evaluation.status == Evaluation.Status.SUBMITTED,
        total=evaluation.published_total,
        grade=evaluation.published_grade,
        source_total=evaluation.source_total,
        source_grade=evaluation.source_grade,
    )


def rows_of(projects: Iterable[Project], year: int, today: date) -> list[YearRow]:
    """The rows of projects reached through ``projects_of_year``: one query per stage
    for all of them, whatever their number."""
    projects = list(projects)
    counts = (
        {
            entry["project"]: RectificationState(
                total=entry["total"],
                open=entry["open"],
                overdue=entry["overdue"],
                awaiting_verification=entry["awaiting"],
                verified=entry["verified"],
            )
            for entry in RectificationItem.objects.filter(
                project__in=[p.pk for p in projects], year=year
            )
            .order_by()
            .values("project")
            .annotate(
                total=Count("pk"),
                open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
                overdue=Count(
                    "pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)
                ),
                awaiting=Count(
                    "pk",
                    filter=Q(status__in=FINISHED_STATUSES, verified_at__isnull=True),
                ),
                verified=Count("pk", filter=Q(verified_at__isnull=False)),
            )
        }
        if projects
        else {}
    )
    decided = [
        project.decision_id  # type: ignore[attr-defined]
        for project in projects
        if project.decision_id is not None  # type: ignore[attr-defined]
    ]
    decisions = (
        {
            d.pk: DecisionState(
                budget_year=d.budget_year.year,
                evaluation_year=d.evaluation.year,
                total=d.total,
                grade=d.grade,
                recommendation=d.recommendation,
                decision=d.decision,
                decision_label=str(d.get_decision_display()),
            )
            for d in BudgetDecision.objects.filter(pk__in=decided).select_related(
                "budget_year", "evaluation"
            )
        }
        if decided
        else {}
    )
    wanted = {
        pk
        for project in projects
        for pk in (project.self_id, project.external_id)  # type: ignore[attr-defined]
        if pk is not None
    }
    monitored = [
        project.monitoring_id  # type: ignore[attr-defined]
        for project in projects
        if project.monitoring_id is not None  # type: ignore[attr-defined]
    ]
    evaluations = (
        Evaluation.objects.only(
            "code",
            "kind",
            "status",
            "review_stage",
            "published_total",
            "published_grade",
            "source_total",
            "source_grade",
        ).in_bulk(wanted)
        if wanted
        else {}
    )

    reports = (
        MonitoringReport.objects.filter(pk__in=monitored)
        .annotate(
            red=Count("lines", filter=Q(lines__light=MonitoringLight.RED)),
            yellow=Count("lines", filter=Q(lines__light=MonitoringLight.YELLOW)),
        )
        .only("code", "months", "status")
        .in_bulk()
        if monitored
        else {}
    )

    def monitoring(project: Project) -> MonitoringState | None:
        pk = project.monitoring_id  # type: ignore[attr-defined]
        if pk is None:
            return None
        report = reports[pk]
        light = project.monitoring_light or MonitoringLight.NONE  # type: ignore[attr-defined]
        return MonitoringState(
            code=report.code,
            months=report.months,
            status=report.status,
            status_label=str(report.get_status_display()),
            light=light,
            light_label=str(MonitoringLight(light).label),
            red=report.red,
            yellow=report.yellow,
        )

    def state(pk: int | None) -> EvaluationState | None:
        return None if pk is None else _evaluation_state(evaluations[pk])

    rows = []
    for project in projects:
        status: str | None = project.target_status  # type: ignore[attr-defined]
        rows.append(
            YearRow(
                project=project,
                year=year,
                target_code=project.target_code,  # type: ignore[attr-defined]
                target_status=status,
                target_status_label=""
                if status is None
                else str(TargetFormStatus(status).label),
                target_resubmitted=status == TargetFormStatus.SUBMITTED
                and project.target_submissions > 1,  # type: ignore[attr-defined]
                has_budget=project.budget_id is not None,  # type: ignore[attr-defined]
                monitoring=monitoring(project),
                self_evaluation=state(project.self_id),  # type: ignore[attr-defined]
                external=state(project.external_id),  # type: ignore[attr-defined]
                rectifications=counts.get(project.pk),
                decision=decisions.get(
                    project.decision_id  # type: ignore[attr-defined]
                ),
            )
        )
    return rows

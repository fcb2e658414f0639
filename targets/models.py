"""Performance target forms (绩效目标表), their indicators, and the indicator library (指标库).

A form's indicators are one tree: 一级 → 二级 → (重点工作, department forms only) → 三级, or
一级 → 三级 on the 申报表 layout, which has no 二级 column. Only 三级 indicators carry 指标值.
An 指标值 keeps the text exactly as written and its parsed parts (``kernel.indicator_values``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from budgets.models import AmountUnit, Organisation, Project
from core.concurrency import Versioned
from core.history import ChangesOnlyHistory
from core.models import (
    AdjustmentRequest,
    AdjustmentStatus,
    Reviewed,
    Snapshot,
    Submitted,
    optional_key,
)
from kernel.indicator_values import Comparator, ParsedValue, parse_indicator_value

COMPARATOR_CHOICES = [(c.value, c.value) for c in Comparator]


class FormLayout(models.TextChoices):
    PROJECT = "project", _("Project expenditure performance target form")
    APPLICATION = "application", _("Fiscal expenditure project target application form")
    DEPARTMENT = "department", _("Department-wide budget performance target form")


class CategoryScheme(models.TextChoices):
    """Where an official category is used: one of the form layouts, or evaluations."""

    PROJECT = "project", _("Project expenditure performance target form")
    APPLICATION = "application", _("Fiscal expenditure project target application form")
    DEPARTMENT = "department", _("Department-wide budget performance target form")
    EVALUATION = "evaluation", _("Evaluation framework (Cai Yu [2020] No. 10)")


class IndicatorLevel(models.TextChoices):
    LEVEL1 = "level1", _("Level-1 indicator")
    LEVEL2 = "level2", _("Level-2 indicator")
    KEY_TASK = "key_task", _("Key task")
    LEVEL3 = "level3", _("Level-3 indicator")


# Which parent level each level may sit under, per layout (None: a root).
ALLOWED_PARENTS: dict[str, dict[str, frozenset[str | None]]] = {
    FormLayout.PROJECT: {
        IndicatorLevel.LEVEL1: frozenset({None}),
        IndicatorLevel.LEVEL2: frozenset({IndicatorLevel.LEVEL1}),
        IndicatorLevel.LEVEL3: frozenset({IndicatorLevel.LEVEL2}),
    },
    FormLayout.APPLICATION: {
        IndicatorLevel.LEVEL1: frozenset({None}),
        IndicatorLevel.LEVEL3: frozenset({IndicatorLevel.LEVEL1}),
    },
    FormLayout.DEPARTMENT: {
        IndicatorLevel.LEVEL1: frozenset({None}),
        IndicatorLevel.LEVEL2: frozenset({IndicatorLevel.LEVEL1}),
        IndicatorLevel.KEY_TASK: frozenset({IndicatorLevel.LEVEL2}),
        IndicatorLevel.LEVEL3: frozenset(
            {IndicatorLevel.LEVEL2, IndicatorLevel.KEY_TASK}
        ),
    },
}


class Direction(models.TextChoices):
    HIGHER_BETTER = "higher_better", _("Higher is better")
    LOWER_BETTER = "lower_better", _("Lower is better")
    QUALITATIVE = "qualitative", _("Qualitative")


class IndicatorCategory(models.Model):
    """An official 一级 or 二级 indicator category of a form layout."""

    layout = models.CharField(
        _("used in"), max_length=20, choices=CategoryScheme.choices
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator category")
        verbose_name_plural = _("indicator categories")
        ordering = ["layout", "parent_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["layout", "name"],
                condition=Q(parent__isnull=True),
                name="indicator_category_unique_root_name",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(parent__isnull=False),
                name="indicator_category_unique_child_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name if self.parent is None else f"{self.parent.name} / {self.name}"


class LibraryIndicator(models.Model):
    """A standard indicator of the 指标库 that target forms and evaluations reference."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    level2_aliases = models.JSONField(
        _("aliases within its level-2 category"),
        default=list,
        blank=True,
        help_text=_(
            "Names that mean this indicator only under its own level-2 category "
            "(seed 000 uses one name under 数量, 时效 and 成本)."
        ),
    )
    category = optional_key(
        IndicatorCategory, verbose_name=_("category"), related_name="indicators"
    )
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    comparator = models.CharField(
        _("comparator"), max_length=4, choices=COMPARATOR_CHOICES, blank=True
    )
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction.choices
    )
    numerator = models.CharField(_("numerator"), max_length=50, blank=True)
    denominator = models.CharField(_("denominator"), max_length=50, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    standard_text = models.CharField(
        _("published standard"), max_length=200, blank=True
    )
    standard_comparator = models.CharField(
        _("standard comparator"), max_length=4, choices=COMPARATOR_CHOICES, blank=True
    )
    standard_value = models.DecimalField(
        _("standard value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    recommended_for_hotline = models.BooleanField(
        _("recommended for hotlines"), default=False
    )

    class Meta:
        verbose_name = _("library indicator")
        verbose_name_plural = _("indicator library")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TargetFormStatus(models.TextChoices):
    """目标申报 → 目标审核: draft → submitted → returned → (re)submitted → approved."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class TargetForm(Submitted, Reviewed):
    """A 绩效目标表 for a project-year (layouts project/application) or a department-year."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    layout = models.CharField(_("layout"), max_length=20, choices=FormLayout.choices)
    title = models.CharField(_("title"), max_length=100, blank=True)
    project = optional_key(
        Project, verbose_name=_("project"), related_name="target_forms"
    )
    organisation = optional_key(
        Organisation,
        verbose_name=_("organisation"),
        related_name="department_target_forms",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    has_half_year = models.BooleanField(_("has half-year values"), default=False)
    funds_unit = models.CharField(
        _("unit"), max_length=4, choices=AmountUnit.choices, default=AmountUnit.WAN_YUAN
    )
    funds_total = models.DecimalField(
        _("project funds"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    funds_fiscal = models.DecimalField(
        _("of which fiscal appropriation"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    funds_other = models.DecimalField(
        _("other funds"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    overall_goal = models.TextField(_("overall goal"), blank=True)
    annual_goal = models.TextField(_("annual goal"), blank=True)
    long_term_goal = models.TextField(_("medium- and long-term goal"), blank=True)
    main_functions = models.TextField(_("main functions of the unit"), blank=True)
    staffing = models.TextField(_("organisation and staffing"), blank=True)
    source_notes = models.TextField(_("source notes"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TargetFormStatus.choices,
        default=TargetFormStatus.DRAFT,
    )
    submissions = models.PositiveSmallIntegerField(_("times submitted"), default=0)
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("target form")
        verbose_name_plural = _("target forms")
        ordering = ["-year", "code"]
        # the lists' default order: the first page is read off the index
        indexes = [models.Index(fields=["-year", "code"], name="targetform_year_code")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        layout=FormLayout.DEPARTMENT,
                        organisation__isnull=False,
                        project__isnull=True,
                    )
                    | Q(
                        layout__in=[FormLayout.PROJECT, FormLayout.APPLICATION],
                        project__isnull=False,
                        organisation__isnull=True,
                    )
                ),
                name="target_form_subject_matches_layout",
                violation_error_message=_(
                    "A project form needs a project; a department form needs an organisation."
                ),
            ),
            models.UniqueConstraint(
                fields=["project", "year"],
                condition=Q(project__isnull=False),
                name="target_form_one_per_project_year",
                violation_error_message=_(
                    "This project already has a target form for that year."
                ),
            ),
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=Q(organisation__isnull=False),
                name="target_form_one_per_department_year",
                violation_error_message=_(
                    "This organisation already has a department target form for that year."
                ),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0})
                    | Q(**{f"{field}__isnull": True}),
                    name=f"target_form_{field}_non_negative",
                    violation_error_message=_("Amounts cannot be negative."),
                )
                for field in ("funds_total", "funds_fiscal", "funds_other")
            ],
            models.CheckConstraint(
                condition=Q(status__in=TargetFormStatus.values),
                name="target_form_valid_status",
                violation_error_message=_("Unknown target form status."),
            ),
        ]

    def __str__(self) -> str:
        subject = self.project or self.organisation
        return f"{subject} {self.year}"

    @property
    def is_editable(self) -> bool:
        """Values change freely only before review or when returned; an approved form
        changes through a 目标调整 request (``TargetAdjustment``)."""
        return self.status in (TargetFormStatus.DRAFT, TargetFormStatus.RETURNED)

    @property
    def is_resubmitted(self) -> bool:
        return self.status == TargetFormStatus.SUBMITTED and self.submissions > 1


class TargetIndicator(Versioned):
    """A node of a form's indicator tree; 三级 nodes carry the full-year and half-year 指标值.

    Its ``version`` covers what the grid's row edits: name, library entry, 指标值."""

    form = models.ForeignKey(
        TargetForm,
        verbose_name=_("target form"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=10, choices=IndicatorLevel.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.TextField(_("name"))
    source_text = models.TextField(
        _("text as printed"),
        blank=True,
        help_text=_("The garbled original where the name was corrected."),
    )
    library_indicator = models.ForeignKey(
        LibraryIndicator,
        verbose_name=_("library indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="target_indicators",
    )
    value_text = models.TextField(_("full-year target value"), blank=True)
    value_comparator = models.CharField(
        _("comparator"), max_length=4, choices=COMPARATOR_CHOICES, blank=True
    )
    value_number = models.DecimalField(
        _("number"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    value_unit = models.CharField(_("unit"), max_length=10, blank=True)
    half_year_text = models.TextField(_("half-year target value"), blank=True)
    half_year_comparator = models.CharField(
        _("half-year comparator"), max_length=4, choices=COMPARATOR_CHOICES, blank=True
    )
    half_year_number = models.DecimalField(
        _("half-year number"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    half_year_unit = models.CharField(_("half-year unit"), max_length=10, blank=True)
    # 运行监控 and year end: what was achieved, as written, and its parsed number.
    half_year_actual_text = models.CharField(
        _("half-year actual"), max_length=200, blank=True
    )
    half_year_actual_number = models.DecimalField(
        _("half-year actual number"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried forward from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The previous year's indicator this one was copied from (从上年复制), whose "
            "target and actual the grid shows beside it."
        ),
    )
    actual_text = models.CharField(_("full-year actual"), max_length=200, blank=True)
    actual_number = models.DecimalField(
        _("full-year actual number"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
    )
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("target indicator")
        verbose_name_plural = _("target indicators")
        ordering = ["form", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=IndicatorLevel.values),
                name="target_indicator_valid_level",
                violation_error_message=_("Unknown indicator level."),
            ),
            models.CheckConstraint(
                condition=Q(level=IndicatorLevel.LEVEL1, parent__isnull=True)
                | (~Q(level=IndicatorLevel.LEVEL1) & Q(parent__isnull=False)),
                name="target_indicator_only_level1_is_root",
                violation_error_message=_(
                    "Level-1 indicators have no parent; every other level needs one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(level=IndicatorLevel.LEVEL3)
                | Q(value_text="", half_year_text="", value_number__isnull=True),
                name="target_indicator_values_on_level3_only",
                violation_error_message=_(
                    "Only level-3 indicators carry target values."
                ),
            ),
            # positions are taken as "the last one + 1": two simultaneous additions
            # cannot both take the same one (``targets.services.target_indicator_add``)
            models.UniqueConstraint(
                fields=["form", "position"],
                name="target_indicator_unique_position",
                violation_error_message=_("Two indicators of a form share a position."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def value(self) -> ParsedValue:
        return parse_indicator_value(self.value_text)

    @property
    def half_year_value(self) -> ParsedValue:
        return parse_indicator_value(self.half_year_text)

    def set_values(self, *, full_year: str, half_year: str = "") -> None:
        """Store the 指标值 texts exactly and their parsed comparator, number and unit."""
        full, half = parse_indicator_value(full_year), parse_indicator_value(half_year)
        self.value_text = full_year
        self.value_comparator = full.comparator.value if full.text.strip() else ""
        self.value_number, self.value_unit = full.number, full.unit
        self.half_year_text = half_year
        self.half_year_comparator = half.comparator.value if half.text.strip() else ""
        self.half_year_number, self.half_year_unit = half.number, half.unit

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        parent = self.parent if self.parent_id is not None else None
        if parent is not None and parent.form_id != self.form_id:
            errors.setdefault("parent", []).append(
                str(_("The parent indicator belongs to another form."))
            )
        layout_rules = ALLOWED_PARENTS[self.form.layout]
        parent_level = parent.level if parent is not None else None
        if self.level not in layout_rules:
            errors.setdefault("level", []).append(
                str(_("This form layout has no indicators at that level."))
            )
        elif parent_level not in layout_rules[self.level]:
            errors.setdefault("parent", []).append(
                str(
                    _("An indicator of this level cannot sit under a “%(parent)s”.")
                    % {
                        "parent": IndicatorLevel(parent_level).label
                        if parent_level
                        else "—"
                    }
                )
            )
        if self.half_year_text and not self.form.has_half_year:
            errors.setdefault("half_year_text", []).append(
                str(_("This form has no half-year values."))
            )
        if self.level != IndicatorLevel.LEVEL3 and (
            self.value_text or self.half_year_text
        ):
            errors.setdefault("value_text", []).append(
                str(_("Only level-3 indicators carry target values."))
            )
        if errors:
            raise ValidationError(errors)


class ReviewComment(models.Model):
    """A reviewer's comment on a submitted form, on one indicator or on the whole form.

    Comments are kept for every round (``round`` = the submission they answer), so the
    unit sees what to fix and the next reviewer sees what was asked before. A comment on an
    indicator the unit later removes (in the grid, or by importing a workbook without it)
    stays, as a comment on the form naming that indicator (``indicator_name``)."""

    form = models.ForeignKey(
        TargetForm,
        verbose_name=_("target form"),
        on_delete=models.CASCADE,
        related_name="review_comments",
    )
    indicator = models.ForeignKey(
        TargetIndicator,
        verbose_name=_("indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
    )
    indicator_name = models.CharField(
        _("indicator commented on"),
        max_length=200,
        blank=True,
        help_text=_("The indicator's name when the comment was written."),
    )
    round = models.PositiveSmallIntegerField(_("submission"), default=0)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["form", "-round", "created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class TargetAdjustment(AdjustmentRequest):
    """目标调整: a request to change an approved indicator's values, with its reason; the
    new values apply only when the request is approved."""

    form = models.ForeignKey(
        TargetForm,
        verbose_name=_("target form"),
        on_delete=models.CASCADE,
        related_name="adjustments",
    )
    indicator = models.ForeignKey(
        TargetIndicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="adjustments",
    )
    old_value_text = models.TextField(_("current full-year value"), blank=True)
    old_half_year_text = models.TextField(_("current half-year value"), blank=True)
    value_text = models.TextField(_("proposed full-year value"))
    half_year_text = models.TextField(_("proposed half-year value"), blank=True)
    decision_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        verbose_name = _("target adjustment")
        verbose_name_plural = _("target adjustments")
        ordering = ["form", "-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AdjustmentStatus.values),
                name="target_adjustment_valid_status",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="target_adjustment_reason_required",
                violation_error_message=_("An adjustment needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} → {self.value_text}"


class TargetFormSnapshot(Snapshot):
    """The budget figures an approved target form prints as they were when approved (the
    application layout's budget year, the department layout's 部门整体资金), as plain
    values (``targets.snapshots``), taken by ``target_form_approve`` and by each approved
    target adjustment. The PDF, the workbook and the pages read it instead of the live
    budget, which may move after approval."""

    form = models.OneToOneField(
        TargetForm,
        verbose_name=_("target form"),
        on_delete=models.CASCADE,
        related_name="snapshot",
    )

    class Meta:
        verbose_name = _("target form snapshot")
        verbose_name_plural = _("target form snapshots")

    def __str__(self) -> str:
        return f"{self.form_id} @ {self.taken_at:%Y-%m-%d %H:%M}"


class TargetFormReturn(Snapshot):
    """The form as it stood when the finance bureau returned it (目标审核 退回): its header
    figures and every indicator, as plain values (``targets.resubmission``), one per
    return. On resubmission the reviewer sees what changed since, indicator by indicator,
    instead of reading the whole form again."""

    form = models.ForeignKey(
        TargetForm,
        verbose_name=_("target form"),
        on_delete=models.CASCADE,
        related_name="returns",
    )
    round = models.PositiveSmallIntegerField(
        _("submission returned"),
        help_text=_("The submission (1 = the first) that was returned."),
    )

    class Meta:
        verbose_name = _("returned version")
        verbose_name_plural = _("returned versions")
        ordering = ["form", "-round"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "round"], name="target_form_return_one_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id} #{self.round}"


# --------------------------------------------------------------------------- 运行监控


class MonitoringStatus(models.TextChoices):
    """运行监控 report: draft → submitted → returned → (re)submitted → accepted (locked)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class MonitoringLight(models.TextChoices):
    """A line's light: green on track, yellow behind, red far behind or a target that
    will not be met; none where nothing could be judged yet."""

    GREEN = "green", _("on track")
    YELLOW = "yellow", _("behind")
    RED = "red", _("far behind")
    NONE = "none", _("no data")


class DeviationCause(models.TextChoices):
    """偏差原因 as the 绩效运行监控表 lists them."""

    FUNDING = "funding", _("Funding")
    RULES = "rules", _("Rules and systems")
    STAFF = "staff", _("Staffing")
    HARDWARE = "hardware", _("Hardware and facilities")
    OTHER = "other", _("Other")


class Likelihood(models.TextChoices):
    """完成目标可能性: how likely the unit finds the full-year target."""

    CERTAIN = "certain", _("Certain")
    POSSIBLE = "possible", _("Possible")
    IMPOSSIBLE = "impossible", _("Impossible")


class MonitoringReport(Versioned, Submitted, Reviewed):
    """运行监控: the report a unit submits on its target form for the months of a year
    from January to ``months`` (6: the half year; 1–7 months as many provinces ask).

    Its lines (``MonitoringLine``) are the budget's execution and each 三级 indicator,
    their targets copied from the form when the report was started. The budget figures
    are stored here as the unit reports them (a department form's spending to date is
    read from its department budget while the report is open and kept as submitted).
    Its ``version`` covers the report page: the figures and every line."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    form = models.ForeignKey(
        TargetForm,
        verbose_name=_("target form"),
        on_delete=models.CASCADE,
        related_name="monitoring_reports",
    )
    months = models.PositiveSmallIntegerField(
        _("months"),
        help_text=_("The period runs from January to the end of this month."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MonitoringStatus.choices,
        default=MonitoringStatus.DRAFT,
    )
    submissions = models.PositiveSmallIntegerField(_("times submitted"), default=0)
    review_comment = models.TextField(_("review comment"), blank=True)
    budget_unit = models.CharField(
        _("unit"), max_length=4, choices=AmountUnit.choices, default=AmountUnit.WAN_YUAN
    )
    budget = models.DecimalField(
        _("full-year budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    planned_to_date = models.DecimalField(
        _("planned execution to date"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    spent_to_date = models.DecimalField(
        _("execution to date"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["form", "months"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "months"],
                name="monitoring_report_one_per_period",
                violation_error_message=_(
                    "This form already has a monitoring report for that period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=12),
                name="monitoring_report_months_in_year",
                violation_error_message=_("The period ends in a month from 1 to 12."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=MonitoringStatus.values),
                name="monitoring_report_valid_status",
                violation_error_message=_("Unknown monitoring report status."),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0})
                    | Q(**{f"{field}__isnull": True}),
                    name=f"monitoring_report_{field}_non_negative",
                    violation_error_message=_("Amounts cannot be negative."),
                )
                for field in ("budget", "planned_to_date", "spent_to_date")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.form} 1–{self.months}月"

    @property
    def is_editable(self) -> bool:
        return self.status in (MonitoringStatus.DRAFT, MonitoringStatus.RETURNED)


class MonitoringLine(models.Model):
    """One line of a monitoring report: the budget's execution (``kind`` budget) or one
    三级 indicator, with what was done to date, the full-year forecast, its light and, for
    a deviation, its cause (``cause`` + ``cause_text``) and 纠偏措施 (``measures``).

    Targets and names are copied from the form when the report starts, so a submitted
    report keeps what it was judged against. ``light`` is set by the service from the
    figures (``targets.monitoring.line_light``) each time the line is saved."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget execution")
        INDICATOR = "indicator", _("Indicator")

    report = models.ForeignKey(
        MonitoringReport,
        verbose_name=_("monitoring report"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    indicator = models.ForeignKey(
        TargetIndicator,
        verbose_name=_("indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitoring_lines",
    )
    level1 = models.CharField(_("level-1 indicator"), max_length=200, blank=True)
    level2 = models.TextField(_("level-2 indicator"), blank=True)
    name = models.TextField(_("name"))
    period_target = models.CharField(
        _("target for the period"), max_length=200, blank=True
    )
    year_target = models.CharField(_("full-year target"), max_length=200, blank=True)
    to_date = models.CharField(_("completed to date"), max_length=200, blank=True)
    to_date_source = models.CharField(_("source"), max_length=300, blank=True)
    expected = models.CharField(
        _("expected full-year completion"), max_length=200, blank=True
    )
    likelihood = models.CharField(
        _("likelihood of meeting the target"),
        max_length=10,
        choices=Likelihood.choices,
        blank=True,
    )
    light = models.CharField(
        _("light"),
        max_length=6,
        choices=MonitoringLight.choices,
        default=MonitoringLight.NONE,
    )
    cause = models.CharField(
        _("cause of the deviation"),
        max_length=10,
        choices=DeviationCause.choices,
        blank=True,
    )
    cause_text = models.TextField(_("cause explained"), blank=True)
    measures = models.TextField(_("corrective measures"), blank=True)
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("monitoring line")
        verbose_name_plural = _("monitoring lines")
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position"], name="monitoring_line_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(light__in=MonitoringLight.values),
                name="monitoring_line_valid_light",
                violation_error_message=_("Unknown light."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_explanation(self) -> bool:
        """A red line is submitted only with its cause and 纠偏措施."""
        return self.light == MonitoringLight.RED

"""Evaluation frameworks (weighted indicator trees as data) and evaluations of a project-year.

Scores are computed by the pure engine in ``evaluations.scoring``; the models keep what people
entered (targets, actuals, the evaluator's final score and reason) and what the published
report printed, so both the engine's and the evaluator's score can always be shown.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from budgets.models import Organisation, Project
from core.concurrency import Versioned
from core.history import ChangesOnlyHistory
from core.models import Snapshot, Submitted, Uploaded, optional_key
from evaluations.scoring import RuleKind
from targets.models import (
    COMPARATOR_CHOICES,
    LibraryIndicator,
    TargetForm,
    TargetIndicator,
)

RULE_CHOICES = [(kind.value, kind.label) for kind in RuleKind]


def default_grade_bands() -> list[dict[str, str]]:
    """优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below (财政部 standard)."""
    return [
        {"grade": "优", "minimum": "90"},
        {"grade": "良", "minimum": "80"},
        {"grade": "中", "minimum": "60"},
        {"grade": "差", "minimum": "0"},
    ]


class Level(models.IntegerChoices):
    LEVEL1 = 1, _("Level-1 indicator")
    LEVEL2 = 2, _("Level-2 indicator")
    LEVEL3 = 3, _("Level-3 indicator")


def _weight(verbose_name: StrOrPromise, **kwargs: Any) -> Any:
    """A weight or a score: two decimals, at most 9999.99."""
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=2, **kwargs)


class Framework(models.Model):
    """A weighted indicator system (评价指标体系) that evaluations copy their tree from.

    Not-applicable indicators: their points are redistributed by re-scaling the applicable
    weights to ``total_weight`` (the engine's documented rule, ``scoring.tree``).
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    total_weight = _weight(_("total weight"), default=Decimal(100))
    grade_bands = models.JSONField(_("grade bands"), default=default_grade_bands)
    over_achievement_ratio = models.DecimalField(
        _("over-achievement ratio"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.30"),
    )
    source_notes = models.TextField(_("source notes"), blank=True)
    # 自评质量: a self-evaluation whose total is higher than a third-party evaluation's of
    # the same project-year by more than this is flagged (``evaluations.quality``)
    quality_margin = _weight(_("self-evaluation quality margin"), default=Decimal(10))

    class Meta:
        verbose_name = _("evaluation framework")
        verbose_name_plural = _("evaluation frameworks")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class IndicatorFields(models.Model):
    """What a framework indicator and an evaluation indicator share."""

    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    weight = _weight(_("weight"))
    weight_reconstructed = models.BooleanField(
        _("weight reconstructed"),
        default=False,
        help_text=_("The published report does not state this weight."),
    )
    explanation = models.TextField(_("explanation"), blank=True)
    rule_kind = models.CharField(
        _("scoring rule"), max_length=20, choices=RULE_CHOICES, blank=True
    )
    rule_params = models.JSONField(_("rule parameters"), default=dict, blank=True)
    library_indicator = models.ForeignKey(
        LibraryIndicator,
        verbose_name=_("library indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class FrameworkIndicator(IndicatorFields):
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
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
    expand_from_target_form = models.CharField(
        _("expand from target form"),
        max_length=50,
        blank=True,
        help_text=_(
            "Self-evaluation templates: the level-1 category of the target form whose "
            "indicators become this node's children, sharing its weight equally."
        ),
    )

    class Meta:
        verbose_name = _("framework indicator")
        verbose_name_plural = _("framework indicators")
        ordering = ["framework", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="framework_indicator_weight_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True)
                | Q(level__in=[2, 3], parent__isnull=False),
                name="framework_indicator_valid_level",
            ),
        ]


class EvaluationKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("Third-party key evaluation")
    DEPARTMENT = "department", _("Department evaluation")
    SELF = "self", _("Self-evaluation")


class ReviewStage(models.TextChoices):
    """A self-evaluation's review (``evaluations.services.self_review``): the unit submits
    to its 主管部门, which forwards it to the finance bureau, which accepts it; either
    returns it with comments. Other evaluations have none ("")."""

    NONE = "", _("Not in review")
    DEPARTMENT = "department", _("Awaiting the supervising department")
    FINANCE = "finance", _("Awaiting the finance bureau")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class Evaluation(Submitted):
    """An evaluation (绩效评价) of a project-year, or of a department-year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EvaluationKind.choices)
    framework = optional_key(
        Framework, verbose_name=_("framework"), related_name="evaluations"
    )
    project = optional_key(
        Project, verbose_name=_("project"), related_name="evaluations"
    )
    organisation = optional_key(
        Organisation,
        verbose_name=_("organisation evaluated"),
        related_name="department_evaluations",
    )
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    title = models.CharField(_("title"), max_length=200)
    commissioned_by = optional_key(
        Organisation,
        verbose_name=_("commissioned by"),
        related_name="commissioned_evaluations",
    )
    evaluator = optional_key(
        Organisation,
        verbose_name=_("evaluating organisation"),
        related_name="evaluations_performed",
    )
    evaluator_name = models.CharField(
        _("evaluator as named"), max_length=200, blank=True
    )
    period_text = models.CharField(_("evaluation period"), max_length=100, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    report_date = models.DateField(_("report date"), null=True, blank=True)
    opening = models.TextField(_("opening paragraph"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    scope = models.TextField(_("object and scope"), blank=True)
    basis = models.JSONField(_("basis of evaluation"), default=list, blank=True)
    principles = models.TextField(_("principles"), blank=True)
    methods = models.TextField(_("methods"), blank=True)
    process = models.TextField(_("process"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    annual_goal = models.TextField(_("performance goal"), blank=True)
    grade_bands = models.JSONField(_("grade bands"), default=default_grade_bands)
    over_achievement_ratio = models.DecimalField(
        _("over-achievement ratio"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.30"),
    )
    # What the evaluator published: set by ``evaluation_submit`` from the engine's
    # total, never typed; empty until then.
    published_total = _weight(_("published total"), null=True, blank=True)
    published_grade = models.CharField(_("published grade"), max_length=4, blank=True)
    published_total_reason = models.TextField(
        _("why the published total differs from the source report's"), blank=True
    )
    # A total some earlier document printed (the report a seed was read from): kept as
    # recorded, compared with the engine's total, never overwritten by a submission.
    source_total = _weight(_("total in the source report"), null=True, blank=True)
    source_grade = models.CharField(
        _("grade in the source report"), max_length=4, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source_notes = models.TextField(_("source notes"), blank=True)
    # a self-evaluation: the approved target form it was started from, the 年度总体目标's
    # 实际完成情况 the unit writes (its 预期目标 is ``annual_goal``, from the form), and
    # where its review stands (``ReviewStage``; ``submissions`` counts the rounds)
    target_form = models.ForeignKey(
        TargetForm,
        verbose_name=_("target form"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="self_evaluations",
    )
    goal_achieved = models.TextField(_("actual completion of the goal"), blank=True)
    review_stage = models.CharField(
        _("review stage"),
        max_length=10,
        choices=ReviewStage.choices,
        default=ReviewStage.NONE,
        blank=True,
    )
    submissions = models.PositiveSmallIntegerField(_("times submitted"), default=0)
    history = ChangesOnlyHistory(
        excluded_fields=["opening", "purpose", "scope", "principles", "methods"]
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, organisation__isnull=True)
                | Q(project__isnull=True, organisation__isnull=False),
                name="evaluation_of_a_project_or_a_department",
                violation_error_message=_(
                    "An evaluation is of a project or of a department, not both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(published_total__gte=0, published_total__lte=100)
                | Q(published_total__isnull=True),
                name="evaluation_published_total_in_range",
                violation_error_message=_("A total score lies between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(source_total__gte=0, source_total__lte=100)
                | Q(source_total__isnull=True),
                name="evaluation_source_total_in_range",
                violation_error_message=_("A total score lies between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED


class EvaluationIndicator(Versioned, IndicatorFields):
    """A node of an evaluation's tree; 三级 nodes carry target, actual, score and reason.

    Its ``version`` covers what the scoring page edits: score, reason, applicable, tier."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
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
    target_indicator = models.ForeignKey(
        TargetIndicator,
        verbose_name=_("target form indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation_indicators",
    )
    target_text = models.CharField(_("target value"), max_length=200, blank=True)
    target_comparator = models.CharField(
        _("target comparator"), max_length=4, choices=COMPARATOR_CHOICES, blank=True
    )
    target_number = models.DecimalField(
        _("target number"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_unit = models.CharField(_("target unit"), max_length=10, blank=True)
    target_source = models.CharField(_("target source"), max_length=200, blank=True)
    actual_text = models.CharField(_("actual value"), max_length=200, blank=True)
    actual_number = models.DecimalField(
        _("actual number"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    actual_unit = models.CharField(_("actual unit"), max_length=10, blank=True)
    actual_numerator = models.DecimalField(
        _("numerator"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    actual_denominator = models.DecimalField(
        _("denominator"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    actual_source = models.CharField(
        _("actual value source"), max_length=300, blank=True
    )
    # an actual the evaluator typed, with its source, stays as typed when the operating
    # data or the budget move (``evaluations.services.data``); the others follow them
    actual_typed = models.BooleanField(
        _("actual typed by the evaluator"), default=False
    )
    applicable = models.BooleanField(_("applicable"), default=True)
    satisfied_points = models.JSONField(
        _("review points satisfied"), default=list, blank=True
    )
    tier = models.CharField(_("qualitative tier"), max_length=20, blank=True)
    final_score = _weight(_("final score"), null=True, blank=True)
    score_reconstructed = models.BooleanField(
        _("score reconstructed"),
        default=False,
        help_text=_("The published report does not state this score."),
    )
    published_score = _weight(_("published score"), null=True, blank=True)
    reason = models.TextField(_("scoring explanation"), blank=True)
    # a self-evaluation: 偏差原因分析及改进措施 (required where the target is not met or
    # over-achieved), and why the unit typed an actual instead of the data's
    deviation_reason = models.TextField(
        _("causes of deviation and improvements"), blank=True
    )
    actual_override_reason = models.TextField(
        _("reason for overriding the actual value"), blank=True
    )
    # Every change of a score (who, when, before, after): issue 6.
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("evaluation indicator")
        verbose_name_plural = _("evaluation indicators")
        ordering = ["evaluation", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="evaluation_indicator_weight_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(final_score__isnull=True)
                | Q(final_score__gte=0, final_score__lte=F("weight")),
                name="evaluation_indicator_score_within_weight",
                violation_error_message=_("A score must lie between 0 and the weight."),
            ),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True)
                | Q(level__in=[2, 3], parent__isnull=False),
                name="evaluation_indicator_valid_level",
                violation_error_message=_(
                    "Level-1 indicators have no parent; others need one."
                ),
            ),
        ]


class Evidence(Uploaded):
    """A file that supports an indicator's score (佐证材料)."""

    indicator = models.ForeignKey(
        EvaluationIndicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.description or self.file.name or ""


class Finding(models.Model):
    """存在的主要问题: a problem found, linked to the indicators it concerns."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    indicators = models.ManyToManyField(
        EvaluationIndicator,
        verbose_name=_("indicators"),
        blank=True,
        related_name="findings",
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["evaluation", "position"]
        constraints = [  # positions are taken as "the last + 1" (``finding_add``)
            models.UniqueConstraint(
                fields=["evaluation", "position"], name="finding_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    """相关建议: a recommendation, answering a finding where the report links one."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["evaluation", "position"]
        constraints = [  # taken as "the last + 1" (``recommendation_add``)
            models.UniqueConstraint(
                fields=["evaluation", "position"], name="recommendation_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReportSection(Versioned):
    """A section of the evaluation report as the evaluator writes it (``evaluations.report``).

    ``heading`` is printed as typed, numbering included (“一、项目基本情况”, “（1）坐席电话
    接听率”); ``body`` holds one printed paragraph per line. A line that is only
    ``[[表2]]``, ``[[表3]]``, ``[[图1]]``, ``[[指标：坐席设置数量]]`` … places a table, a
    figure or an indicator's paragraph built from the data; ``{{受理量同比增长率}}`` in a
    line places a figure computed from the data (``evaluations.report.figures``). ``topic``
    says what the section is about, so the page can offer the generated sentences that fit
    it as suggestions; it is never printed."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        SIGNATURE = "signature", _("signature")

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="report_sections",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    level = models.PositiveSmallIntegerField(_("heading level"), default=1)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT
    )
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = ChangesOnlyHistory(excluded_fields=["version", "updated_at"])

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        ordering = ["evaluation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "position"],
                name="report_section_unique_position",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=4),
                name="report_section_valid_level",
                violation_error_message=_("A heading level lies between 0 and 4."),
            ),
        ]

    def __str__(self) -> str:
        return self.heading or f"#{self.position}"


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    FORWARDED = "forwarded", _("Forwarded to the finance bureau")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class ReviewStep(models.Model):
    """One step of a self-evaluation's review: who submitted, forwarded, returned or
    accepted it, when, in which round (the submission it concerns) and with what comment
    (a return needs one)."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="review_steps",
    )
    round = models.PositiveSmallIntegerField(_("submission"))
    action = models.CharField(_("action"), max_length=10, choices=ReviewAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    total = _weight(_("total score"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["evaluation", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="returned") | ~Q(comment=""),
                name="review_step_return_has_a_comment",
                violation_error_message=_(
                    "Say what to change when returning the self-evaluation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} #{self.round} {self.action}"


class EvaluationSnapshot(Snapshot):
    """What a submitted evaluation was scored with and prints: the engine's result, the
    indicators as scored, the budget year (表1-1 to 1-3) and the cost table (表3), as
    plain values (``evaluations.snapshots``), taken by ``evaluation_submit`` in its
    transaction. Reports, exports and pages read it instead of the live data, which may
    move after submission."""

    evaluation = models.OneToOneField(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="snapshot",
    )

    class Meta:
        verbose_name = _("evaluation snapshot")
        verbose_name_plural = _("evaluation snapshots")

    def __str__(self) -> str:
        return f"{self.evaluation_id} @ {self.taken_at:%Y-%m-%d %H:%M}"

"""结果应用: the bureau's rule from an evaluation's grade to a budget recommendation, as
data, and the decision the finance bureau records on the next year's budget.

``GradeRule``: one row per grade (优/良/中/差) and bureau; a rule without a bureau is the
default of every bureau that has not set its own (the migration writes the common one:
优 may increase, 良 keep, 中 reduce by 10 %, 差 reduce or stop). ``BudgetDecision``: what the
bureau decided for a budget year, beside the recommendation it was shown (kept as shown,
with its source), so a later change of rule or score does not rewrite the record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from budgets.models import BudgetYear, Organisation
from core.concurrency import Versioned
from core.history import ChangesOnlyHistory
from evaluations.models import Evaluation


class BudgetAction(models.TextChoices):
    INCREASE = "increase", _("May increase")  # 可适当增加
    KEEP = "keep", _("Keep the budget")  # 维持
    REDUCE = "reduce", _("Reduce by a set share")  # 按比例压减
    REDUCE_OR_STOP = "reduce_or_stop", _("Reduce or stop")  # 压减或取消


class GradeRule(models.Model):
    """A grade's budget recommendation, for one bureau or (no bureau) by default."""

    bureau = models.ForeignKey(
        Organisation,
        verbose_name=_("finance bureau"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grade_rules",
        help_text=_("Empty: the rule of every bureau that has not set its own."),
    )
    grade = models.CharField(_("grade"), max_length=4)
    action = models.CharField(_("action"), max_length=16, choices=BudgetAction.choices)
    share = models.DecimalField(
        _("reduction (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The share of the budget to reduce, for “reduce by a set share”."),
    )
    text = models.CharField(_("recommendation as worded"), max_length=200)

    class Meta:
        verbose_name = _("grade rule")
        verbose_name_plural = _("grade rules")
        ordering = ["bureau", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "grade"],
                condition=Q(bureau__isnull=False),
                name="grade_rule_one_per_bureau_and_grade",
            ),
            models.UniqueConstraint(
                fields=["grade"],
                condition=Q(bureau__isnull=True),
                name="grade_rule_one_default_per_grade",
            ),
            models.CheckConstraint(
                condition=~Q(action="reduce") | Q(share__gt=0, share__lte=100),
                name="grade_rule_reduce_has_a_share",
                violation_error_message=_(
                    "A reduction by a set share needs its share, above 0 and at "
                    "most 100 %."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade}: {self.text}"


class Decision(models.TextChoices):
    FOLLOW = "follow", _("Follow the recommendation")
    ADJUST = "adjust", _("Follow it with changes")
    DECLINE = "decline", _("Do not follow it")


class BudgetDecision(Versioned):
    """The finance bureau's decision on a budget year, given last year's result."""

    budget_year = models.OneToOneField(
        BudgetYear,
        verbose_name=_("budget year"),
        on_delete=models.CASCADE,
        related_name="result_decision",
    )
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="budget_decisions",
    )
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=4)
    recommendation = models.CharField(_("recommendation"), max_length=200)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"))
    history = ChangesOnlyHistory()

    class Meta:
        verbose_name = _("budget decision")
        verbose_name_plural = _("budget decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="follow") | ~Q(note=""),
                name="budget_decision_change_has_a_note",
                violation_error_message=_(
                    "Say what was decided instead when the recommendation is not "
                    "followed as it is."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_year}: {self.get_decision_display()}"

"""Who a user works for and in which role; every page scopes its data by this."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import Role


class Membership(models.Model):
    """A user's organisation and role. One per user: a person acts for one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organisation = models.ForeignKey(
        "budgets.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="membership_valid_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class ExpertAssignment(models.Model):
    """An expert reviewer (专家) invited to read and comment on one evaluation.

    Experts are individuals, not the evaluating firm: the assignment is per user, made by
    an administrator or the finance bureau, so an expert sees exactly the evaluations they
    were asked to review (``evaluations.scoping.evaluations_for``, from
    ``accounts.scoping.assigned_evaluation_ids``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="expert_assignments",
    )
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="expert_assignments",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "evaluation"], name="expert_assignment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.evaluation}"


class ExpertComment(models.Model):
    """An expert's written comment on an evaluation, optionally on one of its indicators."""

    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="expert_comments",
    )
    indicator = models.ForeignKey(
        "evaluations.EvaluationIndicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="expert_comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert comment")
        verbose_name_plural = _("expert comments")
        ordering = ["evaluation", "created_at"]

    def __str__(self) -> str:
        return self.text[:40]
